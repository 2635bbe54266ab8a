"""GET /v1/households: a household's basket cost, as `ppne cost household` gives it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import SessionDep, SettingsDep
from api.errors import ERROR_RESPONSES
from services.household_view import HouseholdCostView
from services.households import household_cost, member_numbers
from services.protocol import costing_protocol

router = APIRouter(tags=["costs"], responses=ERROR_RESPONSES)


@router.get("/v1/households")
def households(
    session: SessionDep,
    settings: SettingsDep,
    members: Annotated[
        str,
        Query(
            description='One SEX:AGE per member, babies in months ("F:4m"), e.g. '
            '"M:40,F:39,M:14,F:9"; ages 0 to 120',
            examples=["M:40,F:39,M:14,F:9"],
        ),
    ],
    region: Annotated[str, Query(description="Region code")] = "montreal",
    period: Annotated[
        str | None,
        Query(description="Month YYYY-MM or PPNE round YYYY-Qn; the latest if omitted"),
    ] = None,
    preset: Annotated[str, Query(description="Conversion preset: nfb, usda or ppne")] = "nfb",
    pregnant: Annotated[
        str | None, Query(description="Pregnant members by number, from 1: 2 or 2,3")
    ] = None,
    breastfeeding: Annotated[
        str | None, Query(description="Breastfeeding members by number, from 1")
    ] = None,
) -> HouseholdCostView:
    """Price a household from its members' age-sex groups, in a region and period.

    A member out of range (age over 120, a woman of 0 with a size factor, a bad number) is a
    422 naming it; a withheld figure comes with its status and reasons and no money.
    """
    cost = household_cost(
        session,
        costing_protocol(settings),
        members,
        region,
        period,
        preset,
        member_numbers(pregnant),
        member_numbers(breastfeeding),
        allow_withheld=True,
    )
    return HouseholdCostView.of(cost, preset)
