"""What the engine stores besides costs: lineage prices and series breaks."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from core.models.base import money_field, timestamp_field, utc_now


class ItemStorePrice(SQLModel, table=True):
    """An item's lowest price in a store and period, and the observation it came from."""

    __table_args__ = (UniqueConstraint("version_id", "store_id", "item_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="basketversion.id", index=True)
    store_id: int = Field(foreign_key="store.id", index=True)
    item_id: int = Field(foreign_key="basketitem.id", index=True)
    period: str = Field(max_length=7, index=True)  # YYYY-MM or YYYY-Qn
    price: Decimal = money_field()  # for one purchase size
    observation_id: int | None = Field(default=None, foreign_key="priceobservation.id")


class ItemRegionPrice(SQLModel, table=True):
    """An item's price in a region and period, observed or imputed, as costing used it."""

    __table_args__ = (UniqueConstraint("version_id", "region_id", "item_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="basketversion.id", index=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    item_id: int = Field(foreign_key="basketitem.id", index=True)
    period: str = Field(max_length=7, index=True)
    price: Decimal | None = money_field(default=None)  # None: missing even after imputation
    stores: int = 0
    # observed, carried_forward, parent or missing (basket/imputation.py)
    imputation: str = Field(max_length=16)
    source_region_id: int | None = Field(default=None, foreign_key="region.id")
    source_period: str | None = Field(default=None, max_length=7)


class SeriesBreak(SQLModel, table=True):
    """A recorded break in the cost series: a new basket version or a change of method."""

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="basketversion.id", index=True)
    previous_version_id: int | None = Field(default=None, foreign_key="basketversion.id")
    effective_from: date
    reason: str = Field(max_length=500)
    recorded_at: datetime = timestamp_field(default_factory=utc_now)
