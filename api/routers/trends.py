"""GET /v1/trends: a region's cost series, its changes and index, the food CPI beside it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import SessionDep, SettingsDep
from api.errors import ERROR_RESPONSES
from core.queries.cpi import CPI_FOOD
from services.trend_models import Trend
from services.trends import build_trend

router = APIRouter(tags=["costs"], responses=ERROR_RESPONSES)


@router.get("/v1/trends")
def trends(
    session: SessionDep,
    settings: SettingsDep,
    region: Annotated[str, Query(description="Region code, e.g. montreal, lachine")] = "montreal",
    group: Annotated[str, Query(description='"family" or an age-sex group code')] = "family",
    base: Annotated[
        str | None,
        Query(
            description="Period the index equals 100 in (e.g. 2021-Q4, the PPNE's base "
            "round); the first by default"
        ),
    ] = None,
    period_from: Annotated[
        str | None,
        Query(alias="from", description="First period: YYYY-MM, or YYYY-Qn for PPNE rounds"),
    ] = None,
    period_to: Annotated[
        str | None, Query(alias="to", description="Last period: YYYY-MM or YYYY-Qn")
    ] = None,
    cpi_product: Annotated[
        str, Query(description="Product of StatCan table 18-10-0004-01 shown beside")
    ] = CPI_FOOD,
) -> Trend:
    """Return a region's cost per period with its changes, index and the food CPI beside it.

    A quarter in `from`, `to` or `base` gives the series by PPNE round: each quarter the
    mean of its months (flagged when fewer than three are priced), the CPI likewise.
    """
    # An empty query value (`base=`) is a form left blank: the same as leaving it out.
    return build_trend(
        session,
        region,
        settings.reference_family,
        group,
        base or None,
        period_from or None,
        period_to or None,
        cpi_product,
        settings.base_period,
    )
