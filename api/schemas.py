"""Response bodies of the API; money is Decimal, sent as a string so no cent is lost."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    database: str
    schema_revision: str | None


class FamilyCost(BaseModel):
    """The reference family's basket cost in one region and month."""

    region: str = Field(description="Region code", examples=["montreal"])
    region_name: str
    period: str = Field(description="Month, YYYY-MM", examples=["2026-11"])
    basket_version: str
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
    preset: str = Field(description="Conversion preset (nfb: monthly = weekly x 4.33)")
    family: list[str] = Field(description="Age-sex group of each family member")
    computed_at: str


class RegionOut(BaseModel):
    code: str
    name: str
    level: str
    parent_code: str | None
