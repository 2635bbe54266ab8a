"""Use cases of the public observations: a page after a cursor, every row in chunks, facets.

Public data only: prices, stores, products and items, never a client record. Pages use a
keyset (the last row's sort value and id, in an opaque cursor), never OFFSET, so that a page
costs the same deep in the list and rows inserted meanwhile neither shift nor repeat rows.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from core.db import get_engine
from core.errors import InvalidInput, RegionNotFound
from core.queries.observation_pages import PageShape, page_select, region_exists
from core.queries.observations import (
    COLUMNS,
    FACETS,
    ITEM,
    REGION,
    STORE,
    ObservationFilter,
    count_within,
    descendant_region_ids,
    facet_select,
    product_ids_where,
    store_ids_where,
)

ORDERS = ("id", "-id", "observed_at", "-observed_at", "price", "-price")
MAX_PAGE = 1_000
# Rows fetched from the driver at a time when a whole list is streamed (a Parquet row group).
# 2,000, not 5,000: a chunk is held as dicts, then as Arrow arrays; with 5,000 the API
# process grew 54 MB streaming Parquet, with 2,000 30 MB, for files about 20% larger.
CHUNK = 2_000
CENT = Decimal("0.01")


class InvalidCursor(InvalidInput):
    """A cursor this service did not write, or one written for another order."""


@dataclass(frozen=True)
class ObservationQuery:
    """What a caller asks of the observations; lists are OR within, AND between them."""

    region: str | None = None
    stores: tuple[str, ...] = ()
    chains: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    products: tuple[int, ...] = ()
    observed_from: date | None = None
    observed_to: date | None = None
    methods: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    price_per: tuple[str, ...] = ()
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    order: str = "id"


@dataclass
class ObservationPage:
    """One page of rows, the cursor of the next one (None at the end) and the count if asked."""

    rows: list[dict[str, Any]]
    next_cursor: str | None
    count: int | None = None
    counted: bool = False
    facets: dict[str, list[tuple[Any, int]]] = field(default_factory=dict)


def resolve_filters(connection: Connection, query: ObservationQuery) -> ObservationFilter:
    """Turn codes into the store and product ids the observation table is filtered on.

    Raises:
        RegionNotFound: no region has the code asked for.
    """
    store_conditions = []
    if query.region:
        region_id = connection.execute(
            select(REGION.c.id).where(REGION.c.code == query.region)
        ).scalar()
        if region_id is None:
            raise RegionNotFound(f"unknown region {query.region!r}")
        store_conditions.append(STORE.c.region_id.in_(descendant_region_ids(connection, region_id)))
    if query.stores:
        store_conditions.append(STORE.c.code.in_(query.stores))
    if query.chains:
        store_conditions.append(STORE.c.chain.in_(query.chains))
    item_conditions = []
    if query.items:
        item_conditions.append(ITEM.c.code.in_(query.items))
    if query.categories:
        item_conditions.append(ITEM.c.category.in_(query.categories))
    product_ids: set[int] | None = None
    if item_conditions:
        product_ids = product_ids_where(connection, item_conditions)
    if query.products:
        chosen = set(query.products)
        product_ids = chosen if product_ids is None else product_ids & chosen
    store_ids = store_ids_where(connection, store_conditions) if store_conditions else None
    return ObservationFilter(
        store_ids=tuple(sorted(store_ids)) if store_ids is not None else None,
        product_ids=tuple(sorted(product_ids)) if product_ids is not None else None,
        observed_from=_midnight(query.observed_from),
        observed_before=_midnight(query.observed_to + timedelta(days=1))
        if query.observed_to
        else None,
        methods=query.methods,
        statuses=query.statuses,
        price_per=query.price_per,
        price_min=query.price_min,
        price_max=query.price_max,
    )


def _midnight(day: date | None) -> datetime | None:
    return datetime.combine(day, time(), tzinfo=UTC) if day else None


def public_row(row: Any) -> dict[str, Any]:
    """Return a result row as the API writes it: money as a two-decimal string, UTC ISO times."""
    found = dict(zip(COLUMNS, row, strict=True))
    found["price"] = str(Decimal(found["price"]).quantize(CENT))
    found["observed_at"] = utc_text(found["observed_at"])
    found["collected_at"] = utc_text(found["collected_at"])
    found["available"] = bool(found["available"])
    return found


def utc_text(moment: datetime | str | None) -> str | None:
    """Return a time as ISO 8601 in UTC with a Z, e.g. 2024-02-05T00:00:00Z.

    A page reads SQLite's stored text as it is ("YYYY-MM-DD HH:MM:SS.ffffff", UTC, see
    core/models/base.py): rewriting it is several times cheaper than parsing it into a
    datetime and formatting that back, and a page holds two hundred of them.
    """
    if moment is None:
        return None
    if isinstance(moment, str):
        if len(moment) != 26 or moment[10] != " " or moment[19] != ".":
            return utc_text(datetime.fromisoformat(moment).replace(tzinfo=UTC))
        fraction = "" if moment.endswith("000000") else moment[19:]
        return f"{moment[:10]}T{moment[11:19]}{fraction}Z"
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def encode_cursor(order: str, row: dict[str, Any]) -> str:
    """Return the opaque cursor of the position after `row` in `order`."""
    key = order.lstrip("-")
    payload = json.dumps([order, row[key], row["id"]], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(order: str, cursor: str) -> tuple[Any, int]:
    """Return the (sort value, id) a cursor holds.

    Raises:
        InvalidCursor: the cursor is malformed or was written for another order.
    """
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        written_for, value, last_id = json.loads(base64.urlsafe_b64decode(padded))
        if written_for != order or not isinstance(last_id, int):
            raise ValueError("another order")
        key = order.lstrip("-")
        if key == "observed_at":
            value = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        elif key == "price":
            value = Decimal(str(value))
    except (ValueError, TypeError, binascii.Error, ArithmeticError) as error:
        raise InvalidCursor(f"cursor: not a cursor of this list in order {order!r}") from error
    return value, last_id


def page_parameters(query: ObservationQuery) -> tuple[frozenset[str], dict[str, Any]]:
    """Return the names of the filters a query has and their bound values."""
    values: dict[str, Any] = {
        "region": query.region,
        "stores": list(query.stores),
        "chains": list(query.chains),
        "items": list(query.items),
        "categories": list(query.categories),
        "products": list(query.products),
        "observed_from": _midnight(query.observed_from),
        "observed_before": _midnight(query.observed_to + timedelta(days=1))
        if query.observed_to
        else None,
        "methods": list(query.methods),
        "statuses": list(query.statuses),
        "price_per": list(query.price_per),
        "price_min": query.price_min,
        "price_max": query.price_max,
    }
    found = {name: value for name, value in values.items() if value not in (None, [])}
    return frozenset(found), found


def _bound(query: ObservationQuery, cursor: str | None) -> tuple[PageShape, dict[str, Any]]:
    """Return the shape of a query's statement and the values bound to it."""
    present, values = page_parameters(query)
    order = query.order.lstrip("-")
    shape = PageShape(present, order, query.order.startswith("-"), cursor is not None)
    if cursor:
        values["after_value"], values["after_id"] = decode_cursor(query.order, cursor)
    return shape, values


def observation_page(
    connection: Connection,
    query: ObservationQuery,
    size: int,
    cursor: str | None = None,
    count: bool = False,
    count_seconds: float = 1.0,
) -> ObservationPage:
    """Return one page of `size` rows after `cursor`, with the count of every match if asked.

    Raises:
        RegionNotFound: no region has the code asked for.
        InvalidCursor: the cursor was not written for this order.
    """
    shape, values = _bound(query, cursor)
    values["limit"] = size + 1
    rows = [public_row(row) for row in connection.execute(page_select(shape), values)]
    # An empty page may be an unknown region: only then is it worth asking.
    if not rows and query.region and not _region_known(connection, query.region):
        raise RegionNotFound(f"unknown region {query.region!r}")
    more = len(rows) > size
    rows = rows[:size]
    page = ObservationPage(rows, encode_cursor(query.order, rows[-1]) if more else None)
    if count:
        page.counted = True
        page.count = count_within(connection, resolve_filters(connection, query), count_seconds)
    return page


def observation_page_at(
    url: str, query: ObservationQuery, size: int, **options: Any
) -> ObservationPage:
    """Return one page (see observation_page) read on one connection of the database at `url`."""
    with get_engine(url).connect() as connection:
        return observation_page(connection, query, size, **options)


def _region_known(connection: Connection, code: str) -> bool:
    return bool(connection.execute(region_exists(), {"region": code}).scalar())


def observation_chunks(
    url: str, query: ObservationQuery, cursor: str | None = None, limit: int | None = None
) -> Iterator[list[dict[str, Any]]]:
    """Return the rows matching (or the first `limit`), CHUNK rows at a time, in order.

    The cursor and the region are checked here, before the caller starts its answer: a
    refusal raised once rows are streaming could only cut the answer short.

    Raises:
        RegionNotFound: no region has the code asked for.
        InvalidCursor: the cursor was not written for this order.
    """
    shape, values = _bound(query, cursor)
    if limit is not None:
        values["limit"] = limit
    if query.region:
        with get_engine(url).connect() as connection:
            if not _region_known(connection, query.region):
                raise RegionNotFound(f"unknown region {query.region!r}")
    return _streamed_chunks(url, page_select(shape, limited=limit is not None), values)


def _streamed_chunks(
    url: str, statement: Any, values: dict[str, Any]
) -> Iterator[list[dict[str, Any]]]:
    # Its own connection: a streamed answer outlives the request's session.
    with get_engine(url).connect() as connection:
        streamed = connection.execution_options(stream_results=True, yield_per=CHUNK)
        for chunk in streamed.execute(statement, values).partitions(CHUNK):
            yield [public_row(row) for row in chunk]


def observation_facets(
    connection: Connection, query: ObservationQuery, facets: tuple[str, ...] = FACETS
) -> dict[str, list[tuple[Any, int]]]:
    """Return, for each facet, (value, number of matching rows), the most frequent first."""
    filters = resolve_filters(connection, query)
    dialect = connection.dialect.name
    return {
        facet: [
            (value, int(n))
            for value, n in connection.execute(facet_select(filters, facet, dialect))
        ]
        for facet in facets
    }


def observation_facets_at(
    url: str, query: ObservationQuery, facets: tuple[str, ...] = FACETS
) -> dict[str, list[tuple[Any, int]]]:
    """Return observation_facets read on one connection of the database at `url`."""
    with get_engine(url).connect() as connection:
        return observation_facets(connection, query, facets)
