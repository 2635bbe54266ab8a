"""What collection keeps besides observations: quarantined items and the products chosen."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.models.base import money_field, timestamp_field, utc_now


class QuarantinedItem(SQLModel, table=True):
    """An item a pipeline refused, kept with its raw payload and the reason, never deleted."""

    id: int | None = Field(default=None, primary_key=True)
    run_id: int | None = Field(default=None, foreign_key="collectionrun.id", index=True)
    spider: str = Field(max_length=64, index=True)
    reason: str = Field(max_length=64, index=True)
    detail: str | None = Field(default=None, max_length=500)
    source_url: str | None = Field(default=None, max_length=1000)
    raw_price_text: str | None = Field(default=None, max_length=500)
    payload: str = Field(default="", sa_type=Text)
    quarantined_at: datetime = timestamp_field(default_factory=utc_now)
    # Same spider, reason, payload and day: quarantined once, so a repeated crawl adds nothing.
    content_hash: str = Field(max_length=64, unique=True)


class ChosenProduct(SQLModel, table=True):
    """The product whose price stood for a basket item in a store and month, and why."""

    __table_args__ = (UniqueConstraint("version_id", "store_id", "item_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="basketversion.id", index=True)
    store_id: int = Field(foreign_key="store.id", index=True)
    item_id: int = Field(foreign_key="basketitem.id", index=True)
    period: str = Field(max_length=7)
    store_product_id: int = Field(foreign_key="storeproduct.id", index=True)
    price: Decimal = money_field()  # the package's price as observed
    item_price: Decimal = money_field()  # that price for the item's purchase size
    candidates: int = 1  # how many qualifying products the store had that month
    chosen_at: datetime = timestamp_field(default_factory=utc_now)
