"""GET /v1/observations: every price observation with its provenance, filtered, paged by
keyset, counted on request, faceted, as JSON, CSV, NDJSON or Parquet."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from api.contract import asked_head
from api.deps import app_settings, require_migrated
from api.errors import ERROR_RESPONSES
from api.formats import Format, FormatParam, Separator, SepParam, chosen_format, streamed
from api.read_pool import read_in_pool
from core.queries.observations import COLUMN_TYPES, FACETS
from services.observations_query import (
    MAX_PAGE,
    ORDERS,
    ObservationPage,
    ObservationQuery,
    observation_chunks,
    observation_facets_at,
    observation_page_at,
)

router = APIRouter(tags=["observations"], responses=ERROR_RESPONSES)
COUNT_SECONDS = 1.0
# Row ids are 32-bit integers on PostgreSQL: a larger one is a 422, not a database error.
MAX_ID = 2**31 - 1


async def observation_query(
    region: Annotated[
        str | None, Query(description="Region code; its stores and those of every region in it")
    ] = None,
    store: Annotated[list[str], Query(description="Store code (repeat for several)")] = [],  # noqa: B006
    chain: Annotated[list[str], Query(description="Chain, e.g. iga, metro")] = [],  # noqa: B006
    item: Annotated[list[str], Query(description="Basket item code matched to the product")] = [],  # noqa: B006
    category: Annotated[list[str], Query(description="Basket item category")] = [],  # noqa: B006
    product: Annotated[
        list[Annotated[int, Field(ge=1, le=MAX_ID)]], Query(description="Store product id")
    ] = [],  # noqa: B006
    observed_from: Annotated[
        date | None, Query(alias="from", description="First day observed (UTC), e.g. 2025-01-01")
    ] = None,
    observed_to: Annotated[
        date | None, Query(alias="to", description="Last day observed (UTC), included")
    ] = None,
    method: Annotated[list[str], Query(description="json-ld, api, html, survey or import")] = [],  # noqa: B006
    status: Annotated[
        list[Literal["ok", "quarantined", "duplicate", "outlier"]],
        Query(description="Status; every status when left out"),
    ] = [],  # noqa: B006
    price_per: Annotated[list[Literal["unit", "kg", "L"]], Query()] = [],  # noqa: B006
    price_min: Annotated[Decimal | None, Query(ge=0, le=1_000_000, allow_inf_nan=False)] = None,
    price_max: Annotated[Decimal | None, Query(ge=0, le=1_000_000, allow_inf_nan=False)] = None,
    order: Annotated[
        Literal[ORDERS], Query(description="Sort column, '-' first for descending; id breaks ties")
    ] = "id",
) -> ObservationQuery:
    """Collect the filters shared by the list and its facets (async: no I/O, so no thread)."""
    return ObservationQuery(
        region=region or None,
        stores=tuple(store),
        chains=tuple(chain),
        items=tuple(item),
        categories=tuple(category),
        products=tuple(product),
        observed_from=observed_from,
        observed_to=observed_to,
        methods=tuple(method),
        statuses=tuple(status),
        price_per=tuple(price_per),
        price_min=price_min,
        price_max=price_max,
        order=order,
    )


QueryDep = Annotated[ObservationQuery, Depends(observation_query)]


class Observation(BaseModel):
    """One price seen in one store, with where it came from."""

    id: int
    observed_at: datetime
    collected_at: datetime
    store: str = Field(description="Store code")
    store_name: str
    chain: str
    region: str = Field(description="Code of the store's region")
    product_id: int
    product_sku: str
    product_name: str
    gtin: str | None
    item: str | None = Field(description="Basket item the product is matched to, if any")
    item_category: str | None
    price: str = Field(description="Price with two decimals, e.g. 3.49", examples=["3.49"])
    currency: str
    price_per: str = Field(description="unit, kg or L")
    price_kind: str = Field(description="regular, sale or member")
    multibuy_quantity: int = Field(description="Units the price buys, e.g. 2 for 2 for 5 $")
    available: bool
    method: str
    collector: str
    source_url: str
    raw_price_text: str
    status: str


class ObservationList(BaseModel):
    """A page of observations and the link to the next one."""

    rows: list[Observation]
    next: str | None = Field(description="URL of the next page; null on the last")
    count: int | None = Field(
        default=None, description="Rows matching, when count=true and counted in time"
    )


class FacetCount(BaseModel):
    """How many matching rows have one value."""

    value: str | None
    count: int


class Facets(BaseModel):
    """Counts of the matching rows by region, chain, item, method, status and month."""

    facets: dict[str, list[FacetCount]]


@router.get("/v1/observations", response_model=ObservationList)
async def observations(
    request: Request,
    query: QueryDep,
    size: Annotated[
        int | None,
        Query(ge=1, le=MAX_PAGE, description="Rows a page; 100 in JSON, every row in files"),
    ] = None,
    cursor: Annotated[str | None, Query(description="From the `next` link of a page")] = None,
    count: Annotated[
        bool, Query(description=f"Count every match (null after {COUNT_SECONDS:g} s)")
    ] = False,
    format: FormatParam = None,
    sep: SepParam = Separator.comma,
) -> Response:
    """Return observations in `order`, a page at a time in JSON, or as a streamed file.

    Async, with no session nor settings dependency: the database is read on the shared
    read threads (api/read_pool.py), one hop a request.
    """
    url = app_settings().database_url
    chosen = chosen_format(request, format)
    if chosen is not Format.json:
        chunks = await read_in_pool(_checked_chunks, url, query, cursor or None, size)
        head = asked_head(request)
        return streamed(chunks, COLUMN_TYPES, chosen, "observations", sep, head=head)
    page = await read_in_pool(_page, url, query, size or 100, cursor or None, count, COUNT_SECONDS)
    following = (
        str(request.url.include_query_params(cursor=page.next_cursor)) if page.next_cursor else None
    )
    body: dict[str, object] = {"rows": page.rows, "next": following}
    if page.counted:
        body["count"] = page.count
    headers = {"Link": f'<{following}>; rel="next"'} if following else None
    return Response(orjson.dumps(body), media_type="application/json", headers=headers)


def _page(
    url: str,
    query: ObservationQuery,
    size: int,
    cursor: str | None,
    count: bool,
    count_seconds: float,
) -> ObservationPage:
    require_migrated(url)
    return observation_page_at(
        url, query, size, cursor=cursor, count=count, count_seconds=count_seconds
    )


def _checked_chunks(
    url: str, query: ObservationQuery, cursor: str | None, size: int | None
) -> Iterator[list[dict[str, Any]]]:
    # The region and cursor are checked here, before the file's first byte is sent.
    require_migrated(url)
    return observation_chunks(url, query, cursor, size)


def _facets(
    url: str, query: ObservationQuery, facets: tuple[str, ...]
) -> dict[str, list[tuple[Any, int]]]:
    require_migrated(url)
    return observation_facets_at(url, query, facets)


@router.get("/v1/observations/facets", response_model=Facets)
async def observation_facet_counts(
    query: QueryDep,
    facet: Annotated[
        list[Literal[FACETS]], Query(description="Facets to count; all when left out")
    ] = [],  # noqa: B006
) -> Facets:
    """Return how many matching observations each region, chain, item, method, status and
    month has, under the same filters as the list (read on the shared read threads)."""
    url = app_settings().database_url
    counts = await read_in_pool(_facets, url, query, tuple(facet) or FACETS)
    return Facets(
        facets={
            name: [FacetCount(value=None if v is None else str(v), count=n) for v, n in found]
            for name, found in counts.items()
        }
    )
