"""SQL of the public observations: one row per price with its provenance, filters, keyset
order, facets and a count that gives up after a time limit."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, String, func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, OperationalError

from core.models import BasketItem, PriceObservation, ProductMatch, Region, Store, StoreProduct

OBS = PriceObservation.__table__
STORE = Store.__table__
REGION = Region.__table__
PRODUCT = StoreProduct.__table__
ITEM = BasketItem.__table__
MATCH = ProductMatch.__table__

# A product matched to several items shows the lowest item id: one row per observation.
_FIRST_MATCH = (
    select(MATCH.c.store_product_id, func.min(MATCH.c.item_id).label("item_id"))
    .where(MATCH.c.status == "approved")
    .group_by(MATCH.c.store_product_id)
    .subquery("first_match")
)

# The public columns, in the order every format writes them; the names are the API's contract.
COLUMNS: dict[str, Any] = {
    "id": OBS.c.id,
    "observed_at": OBS.c.observed_at,
    "collected_at": OBS.c.collected_at,
    "store": STORE.c.code,
    "store_name": STORE.c.name,
    "chain": STORE.c.chain,
    "region": REGION.c.code,
    "product_id": PRODUCT.c.id,
    "product_sku": PRODUCT.c.sku,
    "product_name": PRODUCT.c.name,
    "gtin": PRODUCT.c.gtin,
    "item": ITEM.c.code,
    "item_category": ITEM.c.category,
    "price": OBS.c.price,
    "currency": OBS.c.currency,
    "price_per": OBS.c.price_per,
    "price_kind": OBS.c.price_kind,
    "multibuy_quantity": OBS.c.multibuy_quantity,
    "available": OBS.c.available,
    "method": OBS.c.method,
    "collector": OBS.c.collector,
    "source_url": OBS.c.source_url,
    "raw_price_text": OBS.c.raw_price_text,
    "status": OBS.c.status,
}
# The type of each public column, shared by the Parquet writer and the Data Package schema.
COLUMN_TYPES: dict[str, str] = {
    **dict.fromkeys(COLUMNS, "string"),
    "id": "integer",
    "observed_at": "datetime",
    "collected_at": "datetime",
    "product_id": "integer",
    "price": "decimal",
    "multibuy_quantity": "integer",
    "available": "boolean",
}
# What each order sorts on; the id breaks ties so that a keyset is total.
ORDER_COLUMNS = {"id": OBS.c.id, "observed_at": OBS.c.observed_at, "price": OBS.c.price}


@dataclass(frozen=True)
class ObservationFilter:
    """Resolved filters: None leaves a dimension open, an empty tuple matches nothing."""

    store_ids: tuple[int, ...] | None = None
    product_ids: tuple[int, ...] | None = None
    observed_from: datetime | None = None
    observed_before: datetime | None = None
    methods: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    price_per: tuple[str, ...] = ()
    price_min: Any = None
    price_max: Any = None
    conditions: list[ColumnElement[bool]] = field(default_factory=list)

    def where(self) -> list[ColumnElement[bool]]:
        """Return the SQL conditions on the observation table."""
        found = list(self.conditions)
        if self.store_ids is not None:
            found.append(OBS.c.store_id.in_(self.store_ids))
        if self.product_ids is not None:
            found.append(OBS.c.store_product_id.in_(self.product_ids))
        if self.observed_from is not None:
            found.append(OBS.c.observed_at >= self.observed_from)
        if self.observed_before is not None:
            found.append(OBS.c.observed_at < self.observed_before)
        for column, values in (
            (OBS.c.method, self.methods),
            (OBS.c.status, self.statuses),
            (OBS.c.price_per, self.price_per),
        ):
            if values:
                found.append(column.in_(values))
        if self.price_min is not None:
            found.append(OBS.c.price >= self.price_min)
        if self.price_max is not None:
            found.append(OBS.c.price <= self.price_max)
        return found


def joined(statement: Select[Any]) -> Select[Any]:
    """Return the statement over the observations joined to their store, region, product and
    first matched item."""
    return (
        statement.select_from(OBS)
        .join(STORE, STORE.c.id == OBS.c.store_id)
        .join(REGION, REGION.c.id == STORE.c.region_id)
        .join(PRODUCT, PRODUCT.c.id == OBS.c.store_product_id)
        .outerjoin(_FIRST_MATCH, _FIRST_MATCH.c.store_product_id == OBS.c.store_product_id)
        .outerjoin(ITEM, ITEM.c.id == _FIRST_MATCH.c.item_id)
    )


def utc_month(dialect: str) -> Any:
    """Return the SQL of an observation's YYYY-MM, in UTC."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", OBS.c.observed_at), "YYYY-MM")
    # SQLite keeps times as UTC text, "YYYY-MM-DD HH:MM:SS.ffffff" (core/models/base.py).
    return func.substr(OBS.c.observed_at, 1, 7, type_=String)


FACETS = ("region", "chain", "item", "method", "status", "month")


def facet_select(filters: ObservationFilter, facet: str, dialect: str) -> Select[Any]:
    """Return (value, count) of one facet under the filters, the most frequent first."""
    keys = {
        "region": REGION.c.code,
        "chain": STORE.c.chain,
        "item": ITEM.c.code,
        "method": OBS.c.method,
        "status": OBS.c.status,
        "month": utc_month(dialect),
    }
    key = keys[facet].label("value")
    count = func.count().label("count")
    statement = joined(select(key, count)).where(*filters.where()).group_by(key)
    return statement.order_by(count.desc(), key)


def count_within(connection: Connection, filters: ObservationFilter, seconds: float) -> int | None:
    """Return how many rows match, or None when counting takes longer than `seconds`."""
    # The count needs no join: every filter is on the observation table.
    statement = select(func.count()).select_from(OBS).where(*filters.where())
    if connection.dialect.name == "postgresql":
        # In a savepoint: a cancelled count rolls back to it and the request goes on.
        try:
            with connection.begin_nested():
                connection.execute(text(f"SET LOCAL statement_timeout = {int(seconds * 1000)}"))
                found = int(connection.execute(statement).scalar_one())
                connection.execute(text("SET LOCAL statement_timeout = 0"))
                return found
        except DBAPIError:
            return None
    raw = connection.connection.dbapi_connection
    deadline = time.monotonic() + seconds
    # SQLite calls the handler every 10,000 steps; a true answer interrupts the query.
    raw.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
    try:
        return int(connection.execute(statement).scalar_one())
    except OperationalError:
        return None
    finally:
        raw.set_progress_handler(None, 0)


def descendant_region_ids(connection: Connection, region_id: int) -> set[int]:
    """Return a region's id and the ids of every region under it."""
    children: dict[int, list[int]] = {}
    for child, parent in connection.execute(select(REGION.c.id, REGION.c.parent_id)):
        if parent is not None:
            children.setdefault(parent, []).append(child)
    found, todo = set(), [region_id]
    while todo:
        current = todo.pop()
        found.add(current)
        todo.extend(children.get(current, ()))
    return found


def store_ids_where(connection: Connection, conditions: Sequence[ColumnElement[bool]]) -> set[int]:
    """Return the ids of the stores (joined to their region) meeting every condition."""
    statement = select(STORE.c.id).join(REGION, REGION.c.id == STORE.c.region_id).where(*conditions)
    return set(connection.execute(statement).scalars())


def product_ids_where(
    connection: Connection, conditions: Sequence[ColumnElement[bool]]
) -> set[int]:
    """Return the ids of the store products with an approved match to an item meeting them."""
    statement = (
        select(MATCH.c.store_product_id)
        .join(ITEM, ITEM.c.id == MATCH.c.item_id)
        .where(MATCH.c.status == "approved", *conditions)
    )
    return set(connection.execute(statement).scalars())
