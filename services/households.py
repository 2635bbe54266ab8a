"""A household's basket cost from the stored group costs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from basket.households import assign_groups, household_weekly_costs, parse_members
from basket.protocol import CostingProtocol
from core.errors import InvalidInput, NoData
from core.queries.basket import age_sex_groups_frame
from core.queries.costs import costs_in_effect_frame
from core.regions import region_by_code
from services.conversions import CostFigures, convert_cost


@dataclass(frozen=True)
class HouseholdCost:
    """A household's basket cost in a region and period, and what it rests on."""

    region: str
    period: str
    basket_version: str  # the version in effect for the period, whose costs were read
    members: list[str]  # the age-sex group of each member
    size_factor: float
    figures: CostFigures
    imputed_share: float  # share of the cost resting on imputed prices, 4 decimals
    warnings: list[str]  # the warnings stored with the members' group costs


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
) -> HouseholdCost:
    """Return a household's weekly, monthly, annual and per-person-per-day cost, with coverage.

    The group costs are those of the basket version in effect for the period.

    Args:
        members: one SEX:AGE per member, e.g. "M:40,F:39,M:14,F:9".
        period: the latest period with costs when None.
        pregnant, breastfeeding: member numbers, from 1.

    Raises:
        InvalidInput: a member is malformed; RegionNotFound; NoData: nothing computed.
    """
    people = parse_members(members, pregnant, breastfeeding)
    found = region_by_code(session, region)
    assert found.id is not None
    costs = costs_in_effect_frame(session, found.id)
    costs = costs[costs["scope"] != "family"]
    if costs.empty:
        raise NoData(f"no costs computed for region {region!r}: run `ppne compute`")
    period = period or str(costs["period"].max())
    in_period = costs[costs["period"] == period]
    if in_period.empty:
        raise NoData(f"no costs computed for region {region!r} and period {period}")
    people = assign_groups(people, age_sex_groups_frame(session))
    group_costs = in_period.rename(columns={"scope": "group_code"}).assign(
        imputed_cost=lambda f: f["weekly_cost"] * f["imputed_share"]
    )
    household = household_weekly_costs(
        group_costs, people["group_code"].tolist(), protocol.size_factors
    )
    if household.empty:
        raise NoData(f"some members' groups have no cost in {region} for {period}")
    weekly = float(household["weekly_cost"].iloc[0])
    imputed = float(household["imputed_cost"].iloc[0])
    return HouseholdCost(
        region=region,
        period=period,
        basket_version=str(in_period["basket_version"].iloc[0]),
        members=people["group_code"].tolist(),
        size_factor=float(household["size_factor"].iloc[0]),
        figures=convert_cost(weekly, "weekly", len(people), preset),
        imputed_share=round(imputed / weekly, 4) if weekly else 0.0,
        warnings=sorted({w for w in in_period["warning"].dropna() if w}),
    )
