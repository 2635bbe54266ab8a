"""SQL of one page of public observations as a single statement, built once per shape of query.

A page is the hot path of the researchers' API. Resolving codes to ids in separate queries and
building the statement anew cost more than running it, so the region's stores (a recursive
CTE), the item's products and the keyset all go into one statement with bound parameters, and
the statement is built once for each combination of filters present (its shape).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    String,
    and_,
    bindparam,
    exists,
    literal_column,
    or_,
    select,
    type_coerce,
)

from core.queries.observations import (
    COLUMNS,
    ITEM,
    MATCH,
    OBS,
    ORDER_COLUMNS,
    REGION,
    STORE,
    joined,
)

# Filters bound as one value, and those bound as a list (an IN of any length).
SINGLE = ("region", "observed_from", "observed_before", "price_min", "price_max")
# Filters that narrow the stores or products (see _keyset).
NARROWING = frozenset({"region", "stores", "chains", "items", "categories", "products"})
TIMES = ("observed_at", "collected_at")
LISTS = ("stores", "chains", "items", "categories", "products", "methods", "statuses", "price_per")


@dataclass(frozen=True)
class PageShape:
    """Which filters a page query has (their values are bound later), its order and keyset."""

    present: frozenset[str]
    order: str = "id"
    descending: bool = False
    after: bool = False


def _store_condition(present: frozenset[str]) -> ColumnElement[bool] | None:
    conditions: list[ColumnElement[bool]] = []
    if "region" in present:
        # The region and every region under it, walked in the database.
        top = select(REGION.c.id).where(REGION.c.code == bindparam("region"))
        tree = top.cte("region_tree", recursive=True)
        tree = tree.union_all(select(REGION.c.id).where(REGION.c.parent_id == tree.c.id))
        conditions.append(STORE.c.region_id.in_(select(tree.c.id)))
    if "stores" in present:
        conditions.append(STORE.c.code.in_(bindparam("stores", expanding=True)))
    if "chains" in present:
        conditions.append(STORE.c.chain.in_(bindparam("chains", expanding=True)))
    if not conditions:
        return None
    return OBS.c.store_id.in_(select(STORE.c.id).where(*conditions))


def _product_conditions(present: frozenset[str]) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    item_conditions = []
    if "items" in present:
        item_conditions.append(ITEM.c.code.in_(bindparam("items", expanding=True)))
    if "categories" in present:
        item_conditions.append(ITEM.c.category.in_(bindparam("categories", expanding=True)))
    if item_conditions:
        matched = (
            select(MATCH.c.store_product_id)
            .join(ITEM, ITEM.c.id == MATCH.c.item_id)
            .where(MATCH.c.status == "approved", *item_conditions)
        )
        found.append(OBS.c.store_product_id.in_(matched))
    if "products" in present:
        found.append(OBS.c.store_product_id.in_(bindparam("products", expanding=True)))
    return found


def _conditions(shape: PageShape) -> list[ColumnElement[bool]]:
    present = shape.present
    found: list[ColumnElement[bool]] = []
    stores = _store_condition(present)
    if stores is not None:
        found.append(stores)
    found += _product_conditions(present)
    if "observed_from" in present:
        found.append(OBS.c.observed_at >= bindparam("observed_from"))
    if "observed_before" in present:
        found.append(OBS.c.observed_at < bindparam("observed_before"))
    for name, column in (
        ("methods", OBS.c.method),
        ("statuses", OBS.c.status),
        ("price_per", OBS.c.price_per),
    ):
        if name in present:
            found.append(column.in_(bindparam(name, expanding=True)))
    if "price_min" in present:
        found.append(OBS.c.price >= bindparam("price_min"))
    if "price_max" in present:
        found.append(OBS.c.price <= bindparam("price_max"))
    return found


def _keyset(shape: PageShape) -> ColumnElement[bool]:
    key = ORDER_COLUMNS[shape.order]
    narrowed = bool(shape.present & NARROWING)
    # With a store or product filter, `id + 0` keeps SQLite on the filter index instead of
    # walking the id range; without one, the id range is the fast way.
    row_id = OBS.c.id + literal_column("0") if narrowed else OBS.c.id
    last_id: BindParameter[Any] = bindparam("after_id")
    if shape.order == "id":
        return row_id < last_id if shape.descending else row_id > last_id
    value: BindParameter[Any] = bindparam("after_value")
    if shape.descending:
        return or_(key < value, and_(key == value, row_id < last_id))
    return or_(key > value, and_(key == value, row_id > last_id))


@lru_cache(maxsize=512)
def page_select(shape: PageShape, limited: bool = True) -> Select[Any]:
    """Return the select of the public rows in the shape's order after the bound keyset; with
    `limited`, at most the bound `limit` of them (a page): the ids are then chosen on the
    observation table alone and only those rows are joined."""
    conditions = _conditions(shape)
    if shape.after:
        conditions.append(_keyset(shape))
    key = ORDER_COLUMNS[shape.order]
    sort = [key.desc() if shape.descending else key.asc()] if shape.order != "id" else []
    sort.append(OBS.c.id.desc() if shape.descending else OBS.c.id.asc())
    columns = [
        # Times as the driver gives them: SQLite's UTC text is rewritten, not parsed.
        (type_coerce(column, String) if name in TIMES else column).label(name)
        for name, column in COLUMNS.items()
    ]
    if not limited:
        return joined(select(*columns)).where(*conditions).order_by(*sort)
    chosen = select(OBS.c.id).where(*conditions).order_by(*sort).limit(bindparam("limit"))
    return joined(select(*columns)).where(OBS.c.id.in_(chosen)).order_by(*sort)


def region_exists() -> Select[Any]:
    """Return the select answering whether the bound `region` code is known."""
    return select(exists().where(REGION.c.code == bindparam("region")))
