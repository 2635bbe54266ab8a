"""GET /v1/costs: the reference family's stored cost in a region and period, with its status."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from services.costs import FamilyCost, family_cost

router = APIRouter(tags=["costs"], responses=ERROR_RESPONSES)


@router.get("/v1/costs")
def costs(
    session: SessionDep,
    region: Annotated[str, Query(description="Region code, e.g. montreal, lachine")] = "montreal",
    period: Annotated[
        str | None,
        Query(
            description="Month YYYY-MM, PPNE round YYYY-Qn (2026-Q4 opens with the October "
            "survey) or a round by name (octobre 2026); the latest if omitted"
        ),
    ] = None,
) -> FamilyCost:
    """Return the reference family's weekly and monthly basket cost in a region and period.

    The figure is the one stored by the basket version in effect for the period, with the
    family, preset and version that produced it, and its status: published, warning,
    imputed (a territory without a store of its own, priced with its parent's prices) or
    withheld (too little of the basket priced: no figure, only the reason). Money is a
    two-decimal string.
    """
    return family_cost(session, region, period)
