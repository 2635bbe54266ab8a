"""GET /v1/observations pages built in one statement: unknown regions, times as text, HEAD."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from fastapi.testclient import TestClient
from observations_world import build_world
from sqlalchemy import event

from api.app import create_app
from core.db import get_engine
from services.observations_query import utc_text


@pytest.fixture
def world(db_url: str) -> list[dict[str, Any]]:
    return build_world(db_url)


@pytest.fixture
def client(db_url: str) -> TestClient:
    return TestClient(create_app())


def test_an_unknown_region_is_a_404_naming_it(client: TestClient, world: Any) -> None:
    answer = client.get("/v1/observations", params={"region": "atlantis"})
    assert answer.status_code == 404
    assert "atlantis" in answer.json()["detail"]


@pytest.mark.parametrize("format", ["json", "csv", "ndjson", "parquet"])
@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"cursor": "rQ"}, "cursor"),  # found by schemathesis: a 500 once the CSV had started
        ({"product": "2147483648"}, "product"),  # past PostgreSQL's integer: a database error
        ({"region": "atlantis"}, None),
    ],
)
def test_a_refused_value_is_refused_before_any_file_starts(
    client: TestClient, world: Any, format: str, params: dict[str, str], name: str | None
) -> None:
    answer = client.get("/v1/observations", params={**params, "format": format})
    if name is None:
        assert answer.status_code == 404, answer.text
    else:
        assert answer.status_code == 422, answer.text
        assert name in answer.text


def test_a_known_region_without_stores_is_an_empty_page(client: TestClient, world: Any) -> None:
    # A shipped neighbourhood where the world has no store.
    answer = client.get("/v1/observations", params={"region": "riviere-des-prairies"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"rows": [], "next": None}


def test_a_region_page_equals_its_stores_rows_in_the_world(
    client: TestClient, world: list[dict[str, Any]]
) -> None:
    answer = client.get("/v1/observations", params={"region": "montreal", "size": 1000})
    expected = sorted(r["id"] for r in world if r["region"] in ("lachine", "mercier-est"))
    assert [row["id"] for row in answer.json()["rows"]] == expected


@pytest.mark.parametrize(
    "stored",
    ["2024-02-05 00:00:00.000000", "2024-02-05 10:11:12.120000", "2031-12-31 23:59:59.999999"],
)
def test_sqlite_time_text_reads_as_the_same_utc_time_as_a_datetime(stored: str) -> None:
    moment = datetime.fromisoformat(stored).replace(tzinfo=UTC)
    assert utc_text(stored) == utc_text(moment)
    assert datetime.fromisoformat(str(utc_text(stored)).replace("Z", "+00:00")) == moment


def test_a_time_in_another_zone_is_written_in_utc() -> None:
    montreal_winter = timezone(timedelta(hours=-5))
    assert utc_text(datetime(2025, 1, 1, 20, 30, tzinfo=montreal_winter)) == "2025-01-02T01:30:00Z"
    assert utc_text("2025-01-02T01:30:00") == "2025-01-02T01:30:00Z"
    assert utc_text(None) is None


@pytest.mark.parametrize("fmt", ["csv", "parquet", "ndjson"])
def test_head_of_a_streamed_list_reads_no_observation(
    client: TestClient, world: Any, db_url: str, fmt: str
) -> None:
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    engine = get_engine(db_url)
    event.listen(engine, "before_cursor_execute", seen)
    try:
        head = client.head("/v1/observations", params={"format": fmt})
        reads_of_head = _observation_reads(statements)
        got = client.get("/v1/observations", params={"format": fmt})
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert head.status_code == 200 and head.content == b""
    for name in ("content-type", "content-disposition"):
        assert head.headers[name] == got.headers[name]
    assert reads_of_head == 0
    assert got.content and _observation_reads(statements) == 1


def _observation_reads(statements: list[str]) -> int:
    """Return how many statements selected observation rows."""
    return sum("priceobservation.raw_price_text" in s for s in statements)
