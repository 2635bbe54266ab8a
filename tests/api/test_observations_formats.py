"""Every list format carries the JSON rows; the /v1 contract: 422s naming the parameter,
HEAD, ETag, Cache-Control, CORS, and a time limit."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from decimal import Decimal
from typing import Any

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from observations_world import build_world

from api.app import create_app
from api.contract import RequestTimeLimit
from api.errors import ErrorBody


@pytest.fixture
def client(db_url: str) -> TestClient:
    build_world(db_url, rows=30)
    return TestClient(create_app())


def _json_rows(client: TestClient, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    body = client.get(path, params={**params, "size": 1000} if "observ" in path else params).json()
    return list(body["rows"])


def _as_text(row: dict[str, Any]) -> dict[str, str]:
    """A JSON row as CSV writes it."""
    written = {}
    for name, value in row.items():
        if value is None:
            written[name] = ""
        elif isinstance(value, bool):
            written[name] = "true" if value else "false"
        else:
            written[name] = str(value)
    return written


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/v1/observations", {"region": "montreal", "order": "-price"}),
        ("/v1/stores", {}),
        ("/v1/items", {}),
        ("/v1/groups", {}),
        ("/v1/basket-versions", {}),
    ],
)
def test_csv_ndjson_and_parquet_carry_the_json_rows(
    client: TestClient, path: str, params: dict[str, str]
) -> None:
    rows = _json_rows(client, path, params)
    assert rows

    answer = client.get(path, params=params, headers={"Accept": "text/csv"})
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.content.startswith(b"\xef\xbb\xbf")  # so that Excel reads UTF-8
    read = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert read == [_as_text(row) for row in rows]

    answer = client.get(path, params={**params, "format": "ndjson"})
    assert [json.loads(line) for line in answer.text.splitlines()] == rows

    answer = client.get(path, params={**params, "format": "parquet"})
    table = pq.read_table(io.BytesIO(answer.content))
    assert table.column_names == list(rows[0])
    assert table.num_rows == len(rows)
    for name in table.column_names:
        values = table.column(name).to_pylist()
        for value, row in zip(values, rows, strict=True):
            if hasattr(value, "isoformat"):
                value = value.isoformat().replace("+00:00", "Z")
            if isinstance(value, Decimal):
                value = str(value)
            assert value == row[name], name


def test_the_semicolon_csv_uses_a_decimal_comma(client: TestClient) -> None:
    rows = _json_rows(client, "/v1/observations", {})
    answer = client.get("/v1/observations", params={"format": "csv", "sep": "semicolon"})
    read = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    assert [row["price"] for row in read] == [row["price"].replace(".", ",") for row in rows]
    assert answer.headers["content-disposition"] == 'inline; filename="observations.csv"'


BAD_PARAMETERS = [
    ("/v1/observations", {"household": "2"}, "household"),  # unknown
    ("/v1/observations", {"size": "lots"}, "size"),  # not an integer
    ("/v1/observations", {"size": "1001"}, "size"),  # out of range
    ("/v1/observations", {"status": "bogus"}, "status"),  # not one of the values
    ("/v1/observations", {"from": "2025-13-01"}, "from"),  # not a date
    ("/v1/observations", {"price_min": "cheap"}, "price_min"),  # not a number
    ("/v1/observations", {"price_max": "-1"}, "price_max"),  # negative
    ("/v1/observations", {"order": "store"}, "order"),  # not a sort column
    ("/v1/observations", {"format": "xml"}, "format"),  # not a format
    ("/v1/observations", {"cursor": "not-a-cursor"}, "cursor"),  # forged cursor
    ("/v1/observations", {"count": "perhaps"}, "count"),  # not a boolean
    ("/v1/observations/facets", {"facet": "colour"}, "facet"),
    ("/v1/stores", {"sep": "tab"}, "sep"),
    ("/v1/items", {"version": "x"}, "version"),
    ("/v1/costs", {"household": "2"}, "household"),  # was silently ignored
    ("/v1/trends", {"format": "csv"}, "format"),  # was silently ignored
    ("/v1/regions", {"lang": "fr"}, "lang"),
]


@pytest.mark.parametrize(("path", "params", "name"), BAD_PARAMETERS)
def test_a_bad_parameter_is_a_422_naming_it(
    client: TestClient, path: str, params: dict[str, str], name: str
) -> None:
    answer = client.get(path, params=params)
    assert answer.status_code == 422, answer.text
    body = ErrorBody.model_validate(answer.json())
    assert name in body.detail.split(":")[0]


def test_a_cursor_of_another_order_is_refused(client: TestClient) -> None:
    following = client.get("/v1/observations", params={"size": 2}).json()["next"]
    cursor = following.split("cursor=")[1]
    answer = client.get("/v1/observations", params={"cursor": cursor, "order": "price"})
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith("cursor:")


def test_head_etag_cache_control_and_cors(client: TestClient) -> None:
    got = client.get("/v1/items", headers={"Origin": "https://example.org"})
    assert got.headers["access-control-allow-origin"] == "*"
    assert got.headers["cache-control"].startswith("public, max-age=300")
    tag = got.headers["etag"]
    again = client.get("/v1/items", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    head = client.head("/v1/items")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == tag
    assert head.headers["content-length"] == str(len(got.content))
    observations = client.get("/v1/observations")
    assert observations.headers["cache-control"].startswith("public, max-age=60")


def test_a_request_slower_than_the_limit_is_a_503() -> None:
    async def slow(scope: Any, receive: Any, send: Any) -> None:
        await asyncio.sleep(5)

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    limited = RequestTimeLimit(slow, seconds=0.05)
    scope = {"type": "http", "path": "/v1/observations", "method": "GET"}
    asyncio.run(limited(scope, None, send))
    assert sent[0]["status"] == 503
    assert json.loads(sent[1]["body"])["detail"].startswith("the request took longer")
