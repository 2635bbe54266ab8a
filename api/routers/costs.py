"""GET /v1/costs: the reference family's stored cost in a region and month."""

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
    period: Annotated[str | None, Query(description="Month YYYY-MM; latest if omitted")] = None,
) -> FamilyCost:
    """Return the reference family's weekly and monthly basket cost in a region and month.

    The figure is the one stored by the basket version in effect for the month, with the
    family, preset and version that produced it.
    """
    return family_cost(session, region, period)
