"""GET /v1/lineage: `ppne explain` as data, equal to `ppne explain --json`, its family costs
summing to the figure, in every list format, refused per bad parameter, cached by ETag."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cli.main import app
from services.explain import LINEAGE_TABLE_COLUMNS

runner = CliRunner()
WHERE = {"region": "lachine", "period": "2026-09"}


def test_the_lineage_is_ppne_explain_json(client: TestClient) -> None:
    answer = client.get("/v1/lineage", params=WHERE)
    assert answer.status_code == 200, answer.text
    cli = runner.invoke(app, ["explain", "--region", "lachine", "--period", "2026-09", "--json"])
    assert cli.exit_code == 0, cli.output
    assert answer.json() == json.loads(cli.output)
    body = answer.json()
    assert (body["region"], body["period"]) == ("lachine", "2026-09")
    priced = [r for r in body["rows"] if r["store"] is not None]
    # Two items, each priced by the two stores, with the product and observation behind it.
    assert len(priced) == 4 and {r["store"] for r in priced} == {"s1", "s2"}
    assert all(r["product"] and r["observation_id"] for r in priced)


def test_the_items_family_costs_sum_to_the_figure(client: TestClient) -> None:
    rows = client.get("/v1/lineage", params=WHERE).json()["rows"]
    by_item = {r["item"]: r for r in rows}  # one cost per item, repeated on its store rows
    priced = [r for r in by_item.values() if r["family_cost"] is not None]
    assert len(priced) == 2
    for row in priced:
        expected = Decimal(row["region_price"]) * Decimal(str(row["family_units"]))
        assert Decimal(row["family_cost"]) == pytest.approx(expected, abs=Decimal("0.01"))
    summed = sum(Decimal(r["family_cost"]) for r in priced)
    figure = client.get("/v1/costs", params=WHERE).json()
    assert summed == pytest.approx(Decimal(figure["weekly_cost"]), abs=Decimal("0.02"))


def test_one_item(client: TestClient) -> None:
    rows = client.get("/v1/lineage", params=WHERE).json()["rows"]
    item = next(r["item"] for r in rows if r["store"] is not None)
    one = client.get("/v1/lineage", params={**WHERE, "item": item}).json()["rows"]
    assert one == [r for r in rows if r["item"] == item] and len(one) == 2


def test_every_format_holds_the_json_rows(client: TestClient) -> None:
    rows = client.get("/v1/lineage", params=WHERE).json()["rows"]
    text = client.get("/v1/lineage", params={**WHERE, "format": "csv"}).text
    from_csv = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert list(from_csv[0]) == list(LINEAGE_TABLE_COLUMNS)
    assert [r["store_price"] or None for r in from_csv] == [r["store_price"] for r in rows]
    assert [r["family_cost"] or None for r in from_csv] == [r["family_cost"] for r in rows]
    assert [r["item"] for r in from_csv] == [r["item"] for r in rows]
    ndjson = client.get("/v1/lineage", params=WHERE, headers={"Accept": "application/x-ndjson"})
    assert [json.loads(line) for line in ndjson.text.splitlines()] == rows
    parquet = client.get("/v1/lineage", params={**WHERE, "format": "parquet"}).content
    table = pq.read_table(io.BytesIO(parquet)).to_pylist()
    assert [r["observation_id"] for r in table] == [r["observation_id"] for r in rows]
    assert [None if r["store_price"] is None else f"{r['store_price']:.2f}" for r in table] == [
        r["store_price"] for r in rows
    ]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"period": "2026-13"}, "period"),
        ({"region": "lachine"}, "period"),
        ({**WHERE, "item": "unicorn"}, "item"),
        ({**WHERE, "store": "s1"}, "store"),
    ],
)
def test_a_bad_parameter_is_a_422_naming_it(
    client: TestClient, params: dict[str, str], name: str
) -> None:
    answer = client.get("/v1/lineage", params=params)
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["loc"][:2] == ["query", name]


@pytest.mark.parametrize("route", ["/v1/lineage", "/v1/alerts"])
def test_an_unknown_region_is_a_404_as_on_costs(client: TestClient, route: str) -> None:
    answer = client.get(route, params={**WHERE, "region": "atlantis"})
    assert answer.status_code == 404 and "atlantis" in answer.json()["detail"]


def test_a_period_not_computed_is_a_404(client: TestClient) -> None:
    answer = client.get("/v1/lineage", params={"region": "lachine", "period": "2026-12"})
    assert answer.status_code == 404 and "ppne compute" in answer.json()["detail"]


def test_head_etag_and_cache_control(client: TestClient) -> None:
    got = client.get("/v1/lineage", params=WHERE)
    tag = got.headers["etag"]
    assert got.headers["cache-control"].startswith("public")
    head = client.head("/v1/lineage", params=WHERE)
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == tag
    assert (
        client.get("/v1/lineage", params=WHERE, headers={"If-None-Match": tag}).status_code == 304
    )
