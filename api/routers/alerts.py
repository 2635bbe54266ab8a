"""GET /v1/alerts: the price-spike alerts stored by `ppne compute`, in every list format."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from api.formats import Format, FormatParam, Separator, SepParam, chosen_format, streamed
from api.parameters import naming
from basket.periods import check_month
from core.regions import region_by_code
from services.alerts import ALERT_TABLE_COLUMNS, SPIKE_BANDS, check_item, stored_alerts

router = APIRouter(tags=["costs"], responses=ERROR_RESPONSES)


class AlertRow(BaseModel):
    """The alert of one item's monthly price series in one store or region."""

    period: str = Field(examples=["2026-10"])
    level: str = Field(description="store or region")
    entity: str = Field(description="The store's or region's code")
    region: str = Field(description="The region (a store's own region at store level)")
    item: str = Field(description="Basket item code")
    basket_version: str
    method: str = Field(description="alps (36+ monthly prices) or robust (z of the last change)")
    months: int = Field(description="Monthly prices in the series")
    score: float
    band: str = Field(description="normal, stress, alert or crisis")
    computed_at: str = Field(description="When `ppne compute` stored it (UTC)")


class AlertList(BaseModel):
    """The stored alerts of a month, and why the list is empty when it is."""

    period: str | None = Field(description="The month read; null when no alert is stored")
    level: str
    rows: list[AlertRow]
    note: str | None = Field(description="Why no alert is listed, when none is")


@router.get("/v1/alerts", response_model=AlertList)
def alerts(
    request: Request,
    session: SessionDep,
    level: Annotated[Literal["store", "region"], Query(description="store or region")] = "region",
    band: Annotated[
        list[Literal["normal", "stress", "alert", "crisis"]],
        Query(description="Bands to list (repeat for several); stress, alert and crisis if none"),
    ] = [],  # noqa: B006
    region: Annotated[
        str | None, Query(description="Region code; at store level, the stores of that region")
    ] = None,
    item: Annotated[str | None, Query(description="Basket item code")] = None,
    period: Annotated[
        str | None, Query(description="Month YYYY-MM; the latest stored if omitted")
    ] = None,
    format: FormatParam = None,
    sep: SepParam = Separator.comma,
) -> Response:
    """List the price-spike alerts `ppne compute` stored for a month: ALPS with 36 monthly
    prices or more, a robust z-score of the last change on shorter series (8 or more).

    Nothing is fitted on request. A month without stored alerts answers an empty list and
    a note saying why, not an error.
    """
    # Each value checked on its own, so that a refusal names its parameter.
    with naming("period"):
        period and check_month(period)
    # An unknown region is a 404, as on every /v1 route that names one.
    if region:
        region_by_code(session, region)
    with naming("item"):
        item and check_item(session, item)
    found = stored_alerts(session, period, level, tuple(band) or SPIKE_BANDS, region, item)
    chosen = chosen_format(request, format)
    if chosen is Format.json:
        body = {"period": found.period, "level": found.level, "rows": found.rows}
        return Response(json.dumps({**body, "note": found.note}), media_type="application/json")
    return streamed([found.rows], ALERT_TABLE_COLUMNS, chosen, "alerts", sep)
