"""What a cost trend is made of: the series, its index, the food CPI and category drivers.

These models are the answer of GET /v1/trends and of `ppne trends --json` alike; money is
Decimal, sent as a string so no cent is lost.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field


class TrendPoint(BaseModel):
    """One period of a cost series, its changes and index, and the food CPI beside it."""

    period: str = Field(description="Month YYYY-MM or PPNE round YYYY-Qn", examples=["2026-11"])
    basket_version: str = Field(description="Basket version in effect for the period")
    weekly_cost: Decimal = Field(description="Two decimals, as a string", examples=["216.11"])
    monthly_cost: Decimal = Field(description="Two decimals, as a string")
    status: str = Field(description="published, warning or imputed (basket/coverage.py)")
    change_previous: float | None = Field(description="Change from the month before, in %")
    change_year: float | None = Field(description="Change from a year before, in %")
    index: float = Field(description="Cost index, base period = 100")
    change_base: float = Field(description="Change since the base period, in % (index - 100)")
    cpi: float | None = Field(description="Food CPI as published (null: not available)")
    cpi_index: float | None = Field(description="Food CPI rebased so the base period = 100")


class CategoryChange(BaseModel):
    """How much one food category added to a change of the weekly cost."""

    category: str = Field(examples=["fruits"])
    cost_start: Decimal
    cost_end: Decimal
    change: Decimal
    contribution_points: float | None = Field(description="Points of % of the total change")
    share_of_change: float | None = Field(description="Its part of the change (sums to 1)")


class ChangeDriversOut(BaseModel):
    """Which categories drove the weekly cost from one period to another."""

    start: str
    end: str
    categories: list[CategoryChange]


class CpiSource(BaseModel):
    """Which food CPI series stands beside the basket, if any was imported."""

    table: str = Field(examples=["18-10-0004-01"])
    product: str = Field(examples=["Food"])
    geo: str | None = Field(description="StatCan GEO used; null when none is imported")
    geos_searched: list[str] = Field(description="GEOs looked for, closest to the region first")
    fallback: bool = Field(description="True when a broader GEO than the closest one was used")


class Trend(BaseModel):
    """A region's cost series with its changes, index, food CPI and category drivers."""

    region: str
    region_name: str
    group: str = Field(description='"family" or an age-sex group code')
    basket_version: str = Field(description="Basket version in effect for the last period")
    members: list[str] = Field(
        description="Age-sex group of each person the series sums (the stored family's)"
    )
    currency: str = "CAD"
    base_period: str = Field(description="The period the index and the rebased CPI equal 100")
    cpi: CpiSource
    series: list[TrendPoint]
    drivers: list[ChangeDriversOut] = Field(
        description="Category contributions: last period vs the one before and a year before"
    )
