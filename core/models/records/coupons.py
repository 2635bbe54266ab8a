"""Coupons as data (Olo's kinds), a client's weekly allocation, distributions and their value."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Numeric
from sqlmodel import Field, SQLModel

from core.models.base import quantity_field, timestamp_field, utc_now


class CouponKind(SQLModel, table=True):
    """A kind of coupon: exchanged for a product at a grocer, not for an amount."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=48, unique=True)
    name_fr: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    phase: str = Field(default="prenatal", max_length=16)  # prenatal | postnatal
    source: str = Field(default="", max_length=300)


class CouponKindItem(SQLModel, table=True):
    """What one coupon buys, as a basket item (by code) and a quantity in its purchase unit."""

    id: int | None = Field(default=None, primary_key=True)
    coupon_kind_id: int = Field(foreign_key="couponkind.id", index=True)
    item_code: str = Field(max_length=64)
    quantity: Decimal = quantity_field()  # in g, mL or units, as the basket item is bought


class CouponAllocation(SQLModel, table=True):
    """A dietitian's weekly allocation of one coupon kind to a client, over a span of dates."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    coupon_kind_id: int = Field(foreign_key="couponkind.id")
    per_week: int
    starts_on: date
    ends_on: date | None = None
    set_by_id: int | None = Field(default=None, foreign_key="user.id")
    reason: str | None = Field(default=None, max_length=300)
    set_at: datetime = timestamp_field(default_factory=utc_now)


class Distribution(SQLModel, table=True):
    """Coupons handed to a client on a day, valued at her territory's basket prices then."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    distributed_on: date = Field(index=True)
    staff_id: int | None = Field(default=None, foreign_key="user.id")
    # The prices the value was taken from: region, period and basket version.
    region_id: int | None = Field(default=None, foreign_key="region.id")
    period: str | None = Field(default=None, max_length=7)
    basket_version_id: int | None = Field(default=None, foreign_key="basketversion.id")
    total_value: Decimal | None = Field(default=None, sa_type=Numeric(12, 2))
    # observed | imputed | few_stores | missing: the weakest of its lines.
    price_status: str = Field(default="missing", max_length=16)


class DistributionLine(SQLModel, table=True):
    """One coupon kind in a distribution: how many, serials, and their value."""

    id: int | None = Field(default=None, primary_key=True)
    distribution_id: int = Field(foreign_key="distribution.id", index=True)
    coupon_kind_id: int = Field(foreign_key="couponkind.id")
    count: int
    serials: str | None = Field(default=None, max_length=500)
    unit_value: Decimal | None = Field(default=None, sa_type=Numeric(12, 3))
    value: Decimal | None = Field(default=None, sa_type=Numeric(12, 2))
    price_status: str = Field(default="missing", max_length=16)
