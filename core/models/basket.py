"""Basket definitions: versions, items, age-sex groups and weekly quantities."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from core.models.base import quantity_field


class BasketVersion(SQLModel, table=True):
    """One published definition of the basket; changing version breaks the series."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    source: str = Field(max_length=500)
    effective_from: date | None = None
    effective_to: date | None = None


class BasketItem(SQLModel, table=True):
    """A food of the basket, bought in a stated purchase size."""

    __table_args__ = (UniqueConstraint("version_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="basketversion.id", index=True)
    code: str = Field(max_length=64)
    name_fr: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    category: str = Field(max_length=64)
    purchase_size: Decimal = quantity_field()
    purchase_unit: str = Field(max_length=8)  # g, mL or unit
    # Matching specification: words a product name must hold, words it must not, size range.
    keywords: str = Field(default="", max_length=300)
    excluded_words: str = Field(default="", max_length=300)
    size_min: Decimal | None = quantity_field(default=None)
    size_max: Decimal | None = quantity_field(default=None)


class AgeSexGroup(SQLModel, table=True):
    """A Canada's Food Guide age and sex group, or a pregnancy or breastfeeding group."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    sex: str = Field(max_length=1)  # F, M or A (any)
    age_min: int
    age_max: int | None = None
    state: str = Field(default="none", max_length=16)  # none, pregnant, breastfeeding
    label_fr: str = Field(max_length=200)
    label_en: str = Field(max_length=200)


class WeeklyQuantity(SQLModel, table=True):
    """How much of an item one person of a group needs in a week, in the item's unit."""

    __table_args__ = (UniqueConstraint("item_id", "group_id"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="basketitem.id", index=True)
    group_id: int = Field(foreign_key="agesexgroup.id", index=True)
    amount: Decimal = quantity_field()
