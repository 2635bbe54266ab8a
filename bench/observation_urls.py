"""The filtered query of the observations benchmark, as the project's URL and as Datasette's
table JSON URL naming the same stores, products and year; and both next pages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from sqlalchemy import select

from bench.http_load import Client, fetch
from core.db import get_engine
from core.models import BasketItem, ProductMatch, Region, Store
from core.queries.observations import descendant_region_ids

YEAR = 2024


@dataclass(frozen=True)
class BenchQuery:
    """The filtered query, as the project's URL and as Datasette's."""

    ours: str
    datasette: str


def bench_query(url: str) -> BenchQuery:
    """Return the URLs of the stores of the borough with the most stores, the first basket
    item and one year; Datasette's names the same store and product ids."""
    with engine_connection(url) as connection:
        boroughs = connection.execute(
            select(Region.id, Region.code).where(Region.level == "borough").order_by(Region.id)
        ).all()
        by_region: dict[int, list[int]] = {}
        for store_id, region_id in connection.execute(select(Store.id, Store.region_id)):
            by_region.setdefault(region_id, []).append(store_id)
        best: tuple[str, list[int]] = ("", [])
        for region_id, code in boroughs:
            stores = [
                store
                for region in descendant_region_ids(connection, region_id)
                for store in by_region.get(region, [])
            ]
            if len(stores) > len(best[1]):
                best = (code, sorted(stores))
        item_id, item_code = connection.execute(
            select(BasketItem.id, BasketItem.code).order_by(BasketItem.id)
        ).first() or (0, "")
        products = connection.execute(
            select(ProductMatch.store_product_id).where(ProductMatch.item_id == item_id)
        ).scalars()
        product_list = ",".join(str(n) for n in sorted(products))
    ours = {
        "region": best[0],
        "item": item_code,
        "from": f"{YEAR}-01-01",
        "to": f"{YEAR}-12-31",
        "size": 100,
    }
    theirs = {
        "store_id__in": ",".join(str(n) for n in best[1]),
        "store_product_id__in": product_list,
        "observed_at__gte": f"{YEAR}-01-01",
        "observed_at__lt": f"{YEAR + 1}-01-01",
        "_size": 100,
    }
    return BenchQuery(
        f"/v1/observations?{urlencode(ours)}", f"/bench/priceobservation.json?{urlencode(theirs)}"
    )


def engine_connection(url: str) -> Any:
    """Return a connection to the database at `url` (a context manager)."""
    return get_engine(url).connect()


def second_pages(ours: str, theirs: str, query: BenchQuery) -> tuple[str, str]:
    """Return the next-page paths of both, after checking both first pages hold the same rows."""
    local = Client()
    mine = json.loads(fetch(ours, query.ours, local)[1])
    other = json.loads(fetch(theirs, query.datasette + "&_shape=objects", local)[1])
    if "rows" not in other:
        raise RuntimeError(f"Datasette answered {str(other)[:300]}")
    mine_ids = [row["id"] for row in mine["rows"]]
    other_ids = [row["id"] for row in other["rows"]]
    if mine_ids != other_ids or not mine_ids:
        raise RuntimeError("the project and Datasette disagree on the first page")
    if not mine["next"] or not other["next_url"]:  # a small database: a single page
        return query.ours, query.datasette
    theirs_next = urlsplit(other["next_url"])
    theirs_path = f"{theirs_next.path}?{theirs_next.query}".replace("&_shape=objects", "")
    ours_next = urlsplit(mine["next"])
    return f"{ours_next.path}?{ours_next.query}", theirs_path
