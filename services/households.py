"""A household's basket cost from the stored group costs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session

from basket.coverage import PUBLISHED, WITHHELD, gravest
from basket.households import (
    assign_groups,
    household_size_factor,
    household_weekly_costs,
    parse_members,
)
from basket.periods import is_quarter, normalise_period, quarter_months, quarterly_costs
from basket.protocol import CostingProtocol
from core.basket_versions import first_month
from core.errors import InvalidInput, NoData
from core.queries.basket import age_sex_groups_frame
from core.queries.costs import costs_in_effect_frame
from core.regions import region_by_code
from services.conversions import CostFigures, convert_cost
from services.costs import published_status


@dataclass(frozen=True)
class HouseholdCost:
    """A household's basket cost in a region and period, and what it rests on."""

    region: str
    period: str
    basket_version: str  # the version in effect for the period, whose costs were read
    members: list[str]  # the age-sex group of each member
    size_factor: float
    figures: CostFigures | None  # None when withheld: no figure to quote
    imputed_share: float  # share of the cost resting on imputed prices, 4 decimals
    warnings: list[str]  # the reasons stored with the members' group costs
    status: str = PUBLISHED  # the gravest of the members' groups (basket/coverage.py)
    source_region: str | None = None  # whose prices, when the region has none of its own


NEWBORN_GROUP = "infant_0_5"


def member_numbers(text: str | None) -> list[int]:
    """Return the member numbers of "2" or "2,3" (members are numbered from 1)."""
    try:
        return [int(part) for part in (text or "").split(",") if part.strip()]
    except ValueError:
        raise InvalidInput(f"{text!r} is not a list of member numbers, e.g. 2 or 2,3") from None


def household_cost(
    session: Session,
    protocol: CostingProtocol,
    members: str,
    region: str,
    period: str | None = None,
    preset: str = "nfb",
    pregnant: Sequence[int] = (),
    breastfeeding: Sequence[int] = (),
    allow_withheld: bool = False,
) -> HouseholdCost:
    """Return a household's weekly, monthly, annual and per-person-per-day cost, with coverage.

    The group costs are those of the basket version in effect for the period.

    Args:
        members: one SEX:AGE per member, e.g. "M:40,F:39,M:14,F:9".
        period: the latest period with costs when None.
        pregnant, breastfeeding: member numbers, from 1.
        allow_withheld: return a withheld cost (figures None, status and reasons) instead
            of raising NoData, for readers that show the status.

    Raises:
        InvalidInput: a member is malformed; RegionNotFound; NoData: nothing computed.
    """
    people = parse_members(members, pregnant, breastfeeding)
    period = normalise_period(period) if period else None
    found = region_by_code(session, region)
    assert found.id is not None
    costs = costs_in_effect_frame(session, found.id, include_withheld=True)
    costs = costs[costs["scope"] != "family"]
    if costs.empty:
        raise NoData(f"no costs computed for region {region!r}: run `ppne compute`")
    period = period or str(costs.loc[costs["period"].map(first_month).idxmax(), "period"])
    in_period = group_costs_in(costs, period)
    if in_period.empty:
        raise NoData(f"no costs computed for region {region!r} and period {period}")
    people = assign_groups(people, age_sex_groups_frame(session))
    codes = people["group_code"].tolist()
    mine = in_period[in_period["scope"].isin(codes)]
    status = PUBLISHED
    for label in mine["status"]:
        status = gravest(status, published_status(label))
    source = mine["source_region_id"].dropna()
    lent = _region_code(session, int(source.iloc[0])) if not source.empty else None
    common = {
        "region": region,
        "period": period,
        "basket_version": str(in_period["basket_version"].iloc[0]),
        "members": codes,
        "warnings": sorted({str(w) for w in mine["warning"].dropna() if w}),
        "status": status,
        "source_region": lent if lent != found.code else None,
    }
    if status == WITHHELD and not allow_withheld:
        raise NoData(
            f"the cost in {region} for {period} is withheld: {'; '.join(common['warnings'])}"
        )
    if status == WITHHELD:
        factor = household_size_factor(len(codes), protocol.size_factors)
        return HouseholdCost(size_factor=factor, figures=None, imputed_share=0.0, **common)
    group_costs = in_period.rename(columns={"scope": "group_code"}).assign(
        imputed_cost=lambda f: f["weekly_cost"] * f["imputed_share"]
    )
    if protocol.infant_feeding == "breast_milk":
        # Breastfed babies under 6 months need nothing bought (the documented choice).
        newborn = group_costs["group_code"] == NEWBORN_GROUP
        group_costs.loc[newborn, ["weekly_cost", "imputed_cost"]] = 0.0
    household = household_weekly_costs(group_costs, codes, protocol.size_factors)
    if household.empty:
        raise NoData(f"some members' groups have no cost in {region} for {period}")
    weekly = float(household["weekly_cost"].iloc[0])
    imputed = float(household["imputed_cost"].iloc[0])
    return HouseholdCost(
        size_factor=float(household["size_factor"].iloc[0]),
        figures=convert_cost(weekly, "weekly", len(people), preset),
        imputed_share=round(imputed / weekly, 4) if weekly else 0.0,
        **common,
    )


def group_costs_in(costs: pd.DataFrame, period: str) -> pd.DataFrame:
    """Return the stored group costs of a period; a round not stored is formed from months.

    Args:
        costs: costs_in_effect_frame rows (scope, period, weekly_cost, monthly_cost,
            imputed_share, status, warning, source_region_id, basket_version).
    """
    exact = costs[costs["period"] == period]
    if not exact.empty or not is_quarter(period):
        return exact
    months = costs[costs["period"].isin(quarter_months(period))]
    if months.empty:
        return months
    quarter = quarterly_costs(months, ["region_id", "scope"])
    # The imputed share of the round: the mean of its priced months'.
    priced = months[months["weekly_cost"].notna()]
    shares = priced.groupby("scope")["imputed_share"].mean().rename("imputed_share")
    latest = months.sort_values("period").groupby("scope").tail(1)
    rest = latest[["scope", "source_region_id", "basket_version"]]
    return (
        quarter.merge(shares, on="scope", how="left")
        .merge(rest, on="scope", how="left")
        .fillna({"imputed_share": 0.0})
    )


def _region_code(session: Session, region_id: int) -> str | None:
    from core.models import Region

    region = session.get(Region, region_id)
    return region.code if region else None
