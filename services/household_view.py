"""A household's cost as the API and `ppne cost household --json` give it: money as strings."""

from __future__ import annotations

from pydantic import BaseModel, Field

from services.households import HouseholdCost

FIGURES = ("weekly", "monthly", "annual", "per_person_per_day")


class HouseholdCostView(BaseModel):
    """A household's basket cost in one region and period, with what it rests on."""

    region: str = Field(examples=["montreal-est"])
    period: str = Field(examples=["2026-Q4", "2026-11"])
    basket_version: str
    currency: str = "CAD"
    preset: str = Field(description="Conversion preset: nfb, usda or ppne")
    status: str = Field(description="published, warning, imputed or withheld")
    source_region: str | None = Field(
        description="Whose prices, when the region has no store of its own"
    )
    members: list[str] = Field(description="The age-sex group of each member, in order")
    size_factor: float = Field(description="The household-size adjustment applied")
    weekly: str | None = Field(description="Two decimals; null when withheld")
    monthly: str | None
    annual: str | None
    per_person_per_day: str | None
    imputed_share: float
    warnings: list[str]

    @classmethod
    def of(cls, cost: HouseholdCost, preset: str) -> HouseholdCostView:
        """The view of a household cost computed with `preset`."""
        figures = cost.figures
        money = {
            name: None if figures is None else f"{getattr(figures, name):.2f}" for name in FIGURES
        }
        return cls(
            region=cost.region,
            period=cost.period,
            basket_version=cost.basket_version,
            preset=preset,
            status=cost.status,
            source_region=cost.source_region,
            members=cost.members,
            size_factor=cost.size_factor,
            imputed_share=cost.imputed_share,
            warnings=cost.warnings,
            **money,
        )
