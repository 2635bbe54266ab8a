"""The reference family's stored cost in a region and month, and the regions costed."""

from __future__ import annotations

import re
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlmodel import Session

from core.errors import InvalidInput
from core.queries.costs import family_cost_row
from core.queries.geo import regions_frame

PERIOD = re.compile(r"\A\d{4}-(0[1-9]|1[0-2])\Z")


class FamilyCost(BaseModel):
    """The reference family's basket cost in one region and month, as it was stored."""

    region: str = Field(description="Region code", examples=["montreal"])
    region_name: str
    period: str = Field(description="Month, YYYY-MM", examples=["2026-11"])
    basket_version: str = Field(description="Basket version in effect for the month")
    currency: str = "CAD"
    weekly_cost: Decimal = Field(description="Weekly cost of the reference family")
    monthly_cost: Decimal = Field(description="Weekly cost x 4.33")
    stores_priced: int = Field(description="Stores of the region with at least one price")
    items_priced: int = Field(description="Basket items with a price in the region")
    items_total: int = Field(description="Items in the basket")
    imputed_share: float = Field(
        description="Share of the cost resting on imputed (carried-forward or parent) prices"
    )
    status: str = Field(description="ok, or warning when the region has too few stores")
    warning: str | None = Field(description="Why the figure carries a warning, if it does")
    preset: str = Field(description="Conversion preset the cost was computed with")
    family: list[str] | None = Field(
        description="Age-sex group of each family member the cost sums; "
        "null for costs computed before it was recorded"
    )
    computed_at: str


class RegionOut(BaseModel):
    """A region costs are computed for, with its parent."""

    code: str
    name: str
    level: str
    parent_code: str | None


def family_cost(session: Session, region: str, period: str | None = None) -> FamilyCost:
    """Return the stored family cost of a region for a month (the latest when None).

    Raises:
        InvalidInput: the period is not a month written YYYY-MM.
        RegionNotFound, NoData: see core.queries.costs.family_cost_row.
    """
    if period is not None and not PERIOD.match(period):
        raise InvalidInput(f"period {period!r} is not a month written YYYY-MM")
    cost, found_region, version = family_cost_row(session, region, period)
    return FamilyCost(
        region=found_region.code,
        region_name=found_region.name,
        period=cost.period,
        basket_version=version.code,
        weekly_cost=cost.weekly_cost,
        monthly_cost=cost.monthly_cost,
        stores_priced=cost.stores_priced,
        items_priced=cost.items_priced,
        items_total=cost.items_total,
        imputed_share=cost.imputed_share,
        status=cost.status,
        warning=cost.warning,
        preset=cost.preset,
        family=cost.family.split(",") if cost.family else None,
        computed_at=cost.computed_at.isoformat(),
    )


def list_regions(session: Session) -> list[RegionOut]:
    """List the regions costs are computed for, with their parents."""
    frame = regions_frame(session).astype(object).where(lambda f: f.notna(), None)
    return [RegionOut.model_validate(row) for row in frame.to_dict("records")]
