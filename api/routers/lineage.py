"""GET /v1/lineage: `ppne explain` as data, how a region's figure was obtained, item by item."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from api.deps import SessionDep, SettingsDep
from api.errors import ERROR_RESPONSES
from api.formats import Format, FormatParam, Separator, SepParam, chosen_format, streamed
from api.parameters import checked, naming
from basket.periods import check_period
from core.regions import region_by_code
from services.explain import LINEAGE_TABLE_COLUMNS, explain, lineage_view
from services.protocol import costing_protocol

router = APIRouter(tags=["costs"], responses=ERROR_RESPONSES)


class LineageRow(BaseModel):
    """One item of the region's figure and one store price it rests on (if any)."""

    item: str = Field(description="Basket item code")
    region_price: str | None = Field(description="The region's price; null when missing")
    imputation: str = Field(description="observed, carried forward, parent region... or missing")
    source_region: str | None = Field(description="Region the price was observed in")
    source_period: str | None = Field(description="Period the price was observed in")
    store: str | None = Field(description="Store code")
    store_price: str | None = Field(description="The store's lowest price of the purchase size")
    observation_id: int | None = Field(description="The observation (GET /v1/observations)")
    product: str | None = Field(description="The store product chosen for the item")
    conversion: str = Field(description="How a price per kg or L became the store price")
    family_units: float | None = Field(
        description="The reference family's purchase sizes a week (size factor applied)"
    )
    family_cost: str | None = Field(description="region_price x family_units")


class Lineage(BaseModel):
    """The lineage of a region's figure in one period."""

    region: str
    period: str
    basket_version: str
    currency: str = "CAD"
    rows: list[LineageRow]


@router.get("/v1/lineage", response_model=Lineage)
def lineage(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    period: Annotated[str, Query(description="Month YYYY-MM (or round YYYY-Qn when costed so)")],
    region: Annotated[str, Query(description="Region code")] = "montreal",
    item: Annotated[str | None, Query(description="One basket item code")] = None,
    format: FormatParam = None,
    sep: SepParam = Separator.comma,
) -> Response:
    """Return how a region's figure was obtained, as `ppne explain --json` gives it: per item,
    the region's price and how it was imputed, each store price it rests on with the product
    and observation behind it and the conversion of a price per kg or L, and the family's
    weekly amount and cost of the item. Read from the lineage `ppne compute` stored.
    """
    # Each value checked on its own, so that a refusal names its parameter.
    checked("period", check_period, period)
    region_by_code(session, region)  # unknown: a 404, as on every /v1 route that names one
    with naming("item"):
        found = explain(session, costing_protocol(settings), region, period, item)
    view = lineage_view(found)
    chosen = chosen_format(request, format)
    if chosen is Format.json:
        return Response(json.dumps(view), media_type="application/json")
    return streamed([view["rows"]], LINEAGE_TABLE_COLUMNS, chosen, "lineage", sep)
