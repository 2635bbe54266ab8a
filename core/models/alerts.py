"""Price-spike alerts stored when costs are computed, so readers never refit the series."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from core.models.base import timestamp_field, utc_now


class StoredPriceAlert(SQLModel, table=True):
    """The alert of one item's monthly price series in one store or region, for one month."""

    __table_args__ = (UniqueConstraint("period", "level", "entity", "item"),)

    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(max_length=7, index=True)  # YYYY-MM
    level: str = Field(max_length=8)  # store or region
    entity: str = Field(max_length=64)  # the store's or region's code
    # The region of the series: the region itself, or the store's own region, so that
    # `region=` filters both levels without a join.
    region: str = Field(max_length=64)
    item: str = Field(max_length=64)
    basket_version: str = Field(max_length=64)
    method: str = Field(max_length=8)  # alps or robust
    months: int  # monthly prices in the series
    score: float
    band: str = Field(max_length=8)  # normal, stress, alert or crisis
    computed_at: datetime = timestamp_field(default_factory=utc_now)
