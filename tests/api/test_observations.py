"""GET /v1/observations: each filter, keyset pages under inserts, facets against SQL."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from factories import make_observation
from fastapi.testclient import TestClient
from observations_world import build_world
from sqlalchemy import text
from sqlmodel import select

from api.app import create_app
from core.db import session_scope
from core.models import Store, StoreProduct

LACHINE_AND_MERCIER = {"lachine", "mercier-est"}
# Each filter, and which world rows it keeps.
FILTERS: list[tuple[dict[str, Any], Any]] = [
    ({"region": "lachine"}, lambda r: r["region"] == "lachine"),
    ({"region": "montreal"}, lambda r: r["region"] in LACHINE_AND_MERCIER),
    ({"region": "montreal-cma"}, lambda r: True),
    ({"store": ["la-1", "mx-1"]}, lambda r: r["store"] in ("la-1", "mx-1")),
    ({"chain": "iga"}, lambda r: r["chain"] == "iga"),
    ({"item": "__first__"}, lambda r: r["item"] == "__first__"),
    ({"category": "__first_category__"}, lambda r: r["category"] == "__first_category__"),
    ({"product": "__product__"}, lambda r: r["product_id"] == "__product__"),
    ({"from": "2025-06-01"}, lambda r: r["observed_at"].date() >= date(2025, 6, 1)),
    ({"to": "2025-06-01"}, lambda r: r["observed_at"].date() <= date(2025, 6, 1)),
    ({"method": ["api", "html"]}, lambda r: r["method"] in ("api", "html")),
    ({"status": "outlier"}, lambda r: r["status"] == "outlier"),
    ({"price_per": "kg"}, lambda r: r["price_per"] == "kg"),
    (
        {"price_min": "5", "price_max": "10.5"},
        lambda r: Decimal(5) <= r["price"] <= Decimal("10.5"),
    ),
    (
        {"region": "lachine", "status": "ok", "from": "2025-03-01", "to": "2025-12-31"},
        lambda r: (
            r["region"] == "lachine"
            and r["status"] == "ok"
            and date(2025, 3, 1) <= r["observed_at"].date() <= date(2025, 12, 31)
        ),
    ),
]


@pytest.fixture
def world(db_url: str) -> list[dict[str, Any]]:
    return build_world(db_url)


@pytest.fixture
def client(db_url: str) -> TestClient:
    return TestClient(create_app())


def all_rows(client: TestClient, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Follow the next links to the end and return every row."""
    answer = client.get("/v1/observations", params=params)
    assert answer.status_code == 200, answer.text
    rows = answer.json()["rows"]
    while answer.json()["next"]:
        answer = client.get(answer.json()["next"])
        assert answer.status_code == 200, answer.text
        rows += answer.json()["rows"]
    return rows


def _resolved(params: dict[str, Any], keep: Any, world: list[dict[str, Any]]) -> tuple[Any, Any]:
    """Replace the placeholders with the world's first item, category and product."""
    matched = next(r for r in world if r["item"])
    swaps = {
        "__first__": matched["item"],
        "__first_category__": matched["category"],
        "__product__": matched["product_id"],
    }
    params = {k: swaps.get(v, v) if isinstance(v, str) else v for k, v in params.items()}

    def kept(row: dict[str, Any]) -> bool:
        # The filters' predicates compare with the placeholders: map the row back to them.
        back = {
            **row,
            "item": "__first__" if row["item"] == swaps["__first__"] else row["item"],
            "category": "__first_category__"
            if row["category"] == swaps["__first_category__"]
            else row["category"],
            "product_id": "__product__"
            if row["product_id"] == swaps["__product__"]
            else row["product_id"],
        }
        return bool(keep(back))

    return params, kept


def test_each_filter_keeps_exactly_the_rows_it_names(
    client: TestClient, world: list[dict[str, Any]]
) -> None:
    # One world for every filter: building it is most of the time a test takes.
    for written, keep in FILTERS:
        params, kept = _resolved(written, keep, world)
        expected = sorted(r["id"] for r in world if kept(r))
        found = [row["id"] for row in all_rows(client, {**params, "size": 5})]
        assert found == expected, params
        assert 0 < len(expected) < len(world) or params.get("region") == "montreal-cma", params


def test_a_row_carries_its_provenance(client: TestClient, world: list[dict[str, Any]]) -> None:
    first = world[0]
    row = client.get("/v1/observations", params={"size": 1}).json()["rows"][0]
    assert row["id"] == first["id"]
    assert row["price"] == str(first["price"].quantize(Decimal("0.01")))
    assert row["store"] == first["store"] and row["region"] == first["region"]
    assert row["item"] == first["item"] and row["currency"] == "CAD"
    assert row["observed_at"] == first["observed_at"].isoformat().replace("+00:00", "Z")
    assert {"source_url", "raw_price_text", "collector", "method", "status"} <= row.keys()


@pytest.mark.parametrize("order", ["id", "-observed_at", "price"])
def test_pages_neither_skip_nor_repeat_rows_while_rows_are_inserted(
    client: TestClient, world: list[dict[str, Any]], db_url: str, order: str
) -> None:
    with session_scope(db_url) as session:
        store = session.exec(select(Store)).first()
        product = session.exec(select(StoreProduct)).first()
    assert store is not None and product is not None
    seen: list[int] = []
    answer = client.get("/v1/observations", params={"order": order, "size": 7})
    pages = 0
    while pages < 100:
        pages += 1
        seen += [row["id"] for row in answer.json()["rows"]]
        # Rows sorting before, among and after the rows already read.
        with session_scope(db_url) as session:
            for day, cents in ((1, 1), (200, 750), (900, 99_999)):
                moment = datetime(2024, 12, 1, tzinfo=UTC) + timedelta(days=day)
                price = Decimal(cents) / 100
                make_observation(session, store, product, price=price, observed_at=moment)
            session.commit()
        if not answer.json()["next"]:
            break
        answer = client.get(answer.json()["next"])
        assert answer.status_code == 200
    assert pages < 100
    assert len(seen) == len(set(seen))
    assert {r["id"] for r in world} <= set(seen)
    values = {
        "id": lambda r: r["id"],
        "observed_at": lambda r: r["observed_at"],
        "price": lambda r: r["price"],
    }
    original = [r for r in world if r["id"] in set(seen)]
    ordered = sorted(original, key=lambda r: (values[order.lstrip("-")](r), r["id"]))
    if order.startswith("-"):
        ordered.reverse()
    assert [i for i in seen if i in {r["id"] for r in world}] == [r["id"] for r in ordered]


def test_count_on_request_equals_the_matching_rows(
    client: TestClient, world: list[dict[str, Any]]
) -> None:
    answer = client.get("/v1/observations", params={"region": "lachine", "count": "true"})
    assert answer.json()["count"] == sum(r["region"] == "lachine" for r in world)
    assert "count" not in client.get("/v1/observations").json()


FACET_SQL = {
    "region": "r.code",
    "chain": "s.chain",
    "method": "o.method",
    "status": "o.status",
}


@pytest.mark.parametrize("params", [{"region": "montreal", "status": "ok"}, {"chain": "iga"}])
def test_facets_equal_a_direct_sql_count(
    client: TestClient, world: list[dict[str, Any]], db_url: str, params: dict[str, str]
) -> None:
    facets = client.get("/v1/observations/facets", params=params).json()["facets"]
    ids = [row["id"] for row in all_rows(client, {**params, "size": 1000})]
    marks = ", ".join(str(i) for i in ids) or "NULL"
    with session_scope(db_url) as session:
        for name, column in FACET_SQL.items():
            sql = (
                f"SELECT {column}, count(*) FROM priceobservation o "
                "JOIN store s ON s.id = o.store_id JOIN region r ON r.id = s.region_id "
                f"WHERE o.id IN ({marks}) GROUP BY {column}"
            )
            direct = dict(session.execute(text(sql)).all())
            assert {f["value"]: f["count"] for f in facets[name]} == direct, name
    months = Counter(r["observed_at"].strftime("%Y-%m") for r in world if r["id"] in set(ids))
    assert {f["value"]: f["count"] for f in facets["month"]} == months
    items = Counter(r["item"] for r in world if r["id"] in set(ids))
    assert {f["value"]: f["count"] for f in facets["item"]} == items


def test_a_count_past_its_time_limit_is_null_and_the_connection_goes_on(
    world: list[dict[str, Any]], db_url: str
) -> None:
    from sqlalchemy import literal
    from sqlalchemy import select as core_select

    from core.db import get_engine
    from core.queries.observations import OBS, ObservationFilter, count_within

    # A condition that takes seconds: ten million numbers counted up in a recursive query.
    counter = core_select(literal(1).label("n")).cte("counter", recursive=True)
    counter = counter.union_all(core_select(counter.c.n + 1).where(counter.c.n < 10_000_000))
    slow = ObservationFilter(
        conditions=[OBS.c.id.not_in(core_select(counter.c.n).where(counter.c.n < 0))]
    )
    with get_engine(db_url).connect() as connection:
        assert count_within(connection, slow, 0.2) is None
        assert count_within(connection, ObservationFilter(), 5) == len(world)
