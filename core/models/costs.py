"""Computed basket costs, stored so the API and publications read them without recomputing."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from core.models.base import money_field, timestamp_field, utc_now


class BasketCost(SQLModel, table=True):
    """The basket cost of one scope (a group or the family) in one region and month."""

    __table_args__ = (UniqueConstraint("version_id", "region_id", "period", "scope"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="basketversion.id", index=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    period: str = Field(max_length=7, index=True)  # YYYY-MM
    scope: str = Field(max_length=64)  # an age-sex group code, or "family"
    # NULL when the figure is withheld: its status and reason are kept, not a number to quote.
    weekly_cost: Decimal | None = money_field(default=None, nullable=True)
    monthly_cost: Decimal | None = money_field(default=None, nullable=True)
    stores_priced: int
    items_priced: int
    items_total: int
    # Share of the cost resting on imputed prices; status published, warning, imputed or
    # withheld (basket/coverage.py; "ok" before migration 0013 means published).
    imputed_share: float = Field(default=0.0, sa_column_kwargs={"server_default": "0"})
    status: str = Field(default="ok", max_length=16, sa_column_kwargs={"server_default": "ok"})
    warning: str | None = Field(default=None, max_length=500)
    preset: str = Field(default="nfb", max_length=8, sa_column_kwargs={"server_default": "nfb"})
    # The group codes of the reference family the computation used, comma-separated; NULL
    # for costs computed before it was recorded (migration 0007).
    family: str | None = Field(default=None, max_length=500)
    # Coverage (migration 0013): shares of the basket's items and cost priced, and the region
    # whose prices a region without a store of its own borrowed; NULL before.
    item_share: float | None = None
    cost_share: float | None = None
    source_region_id: int | None = None
    computed_at: datetime = timestamp_field(default_factory=utc_now)
