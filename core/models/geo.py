"""Regions in a hierarchy and the stores in them."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class Region(SQLModel, table=True):
    """A place costs are reported for; its parent is the next larger place."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)  # the French name, as officially spelled
    # The English name where it differs in English usage (Quebec, Montreal); NULL means the
    # French name serves both languages (boroughs keep their official spelling).
    name_en: str | None = Field(default=None, max_length=200)
    # province, metro, city, borough, neighbourhood or store_area
    level: str = Field(max_length=32)
    parent_id: int | None = Field(default=None, foreign_key="region.id", index=True)


class Store(SQLModel, table=True):
    """A physical or online store of a chain, in one region."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    chain: str = Field(max_length=64)
    banner: str = Field(max_length=64)
    name: str = Field(max_length=200)
    region_id: int = Field(foreign_key="region.id", index=True)
    address: str | None = Field(default=None, max_length=300)
    postal_code: str | None = Field(default=None, max_length=10)
    # regular, discount, online, convenience or warehouse; the costing protocol leaves out
    # convenience and warehouse stores by default.
    kind: str = Field(default="regular", max_length=16)
