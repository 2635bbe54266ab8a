"""GET /v1/costs grown: any age-sex group, a range of months or rounds, per person per day,
every list format, a 422 naming each bad parameter, HEAD and ETag."""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_HALF_UP, Decimal

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from basket.text import daily_divisor
from services.costs import COST_COLUMNS

runner = CliRunner()


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def one(client: TestClient, **params: str) -> dict:
    answer = client.get("/v1/costs", params={"region": "lachine", **params})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_group_and_the_family_it_belongs_to(client: TestClient) -> None:
    family = one(client, period="2026-09")
    assert family["group"] == "family" and len(family["family"]) == 4
    members = [one(client, period="2026-09", group=code) for code in family["family"]]
    assert {m["group"] for m in members} == set(family["family"])
    assert all(m["family"] is None for m in members)
    # The family of four sums its members (size factor 1).
    summed = sum(Decimal(m["weekly_cost"]) for m in members)
    assert Decimal(family["weekly_cost"]) == pytest.approx(summed, abs=Decimal("0.02"))


def test_per_person_per_day_uses_the_stored_presets_divisor(client: TestClient) -> None:
    family = one(client, period="2026-09")
    divisor = Decimal(str(daily_divisor(family["preset"], len(family["family"]))))
    expected = cents(Decimal(family["weekly_cost"]) / divisor)
    assert Decimal(family["per_person_per_day"]) == pytest.approx(expected, abs=Decimal("0.01"))
    group = one(client, period="2026-09", group=family["family"][0])
    alone = Decimal(str(daily_divisor(group["preset"], 1)))
    assert Decimal(group["per_person_per_day"]) == pytest.approx(
        cents(Decimal(group["weekly_cost"]) / alone), abs=Decimal("0.01")
    )


def test_a_range_of_months_holds_each_months_answer(client: TestClient) -> None:
    rows = one(client, **{"from": "2026-01", "to": "2026-10"})["rows"]
    assert [r["period"] for r in rows] == [f"2026-{m:02d}" for m in range(1, 11)]
    for row in rows[::3]:
        assert row == one(client, period=row["period"])
    # A round as a bound stands for its months.
    autumn = one(client, **{"from": "2026-Q3", "frequency": "month"})["rows"]
    assert [r["period"] for r in autumn] == ["2026-07", "2026-08", "2026-09", "2026-10"]


def test_a_range_of_rounds_holds_each_rounds_answer(client: TestClient) -> None:
    code = one(client, period="2026-09")["family"][1]
    rows = one(client, **{"from": "2026-Q1", "to": "2026-Q4", "group": code})["rows"]
    assert [r["period"] for r in rows] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    for row in rows:
        assert row == one(client, period=row["period"], group=code)
    assert rows[-1]["status"] == "warning"  # October alone
    by_months = one(client, **{"from": "2026-02", "to": "2026-08", "frequency": "quarter"})
    assert [r["period"] for r in by_months["rows"]] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    empty = one(client, **{"from": "2027-01"})
    assert empty == {"rows": []}


def test_every_format_holds_the_json_rows(client: TestClient) -> None:
    params = {"region": "lachine", "from": "2026-Q2", "frequency": "quarter"}
    rows = client.get("/v1/costs", params=params).json()["rows"]
    text = client.get("/v1/costs", params=params, headers={"Accept": "text/csv"}).text
    from_csv = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert list(from_csv[0]) == list(COST_COLUMNS)
    assert [r["weekly_cost"] for r in from_csv] == [r["weekly_cost"] for r in rows]
    assert [r["per_person_per_day"] for r in from_csv] == [r["per_person_per_day"] for r in rows]
    assert [r["months"] for r in from_csv] == [",".join(r["months"]) for r in rows]
    assert [r["status"] for r in from_csv] == [r["status"] for r in rows]
    ndjson = client.get("/v1/costs", params={**params, "format": "ndjson"}).text
    assert [json.loads(line) for line in ndjson.splitlines()] == rows
    parquet = client.get("/v1/costs", params={**params, "format": "parquet"}).content
    table = pq.read_table(io.BytesIO(parquet)).to_pylist()
    assert [f"{r['weekly_cost']:.2f}" for r in table] == [r["weekly_cost"] for r in rows]
    assert [r["stores_priced"] for r in table] == [r["stores_priced"] for r in rows]
    assert [r["item_share"] for r in table] == [r["item_share"] for r in rows]
    # One period in a file format: one row.
    single = client.get("/v1/costs", params={"region": "lachine", "format": "csv"}).text
    assert len(single.strip().splitlines()) == 2


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"group": "martians"}, "group"),
        ({"period": "2026-13"}, "period"),
        ({"from": "last spring"}, "from"),
        ({"to": "2026-13"}, "to"),
        ({"from": "2026-09", "to": "2026-03"}, "from"),
        ({"from": "2026-Q4", "to": "2026-09"}, "from"),
        ({"frequency": "weekly"}, "frequency"),
        ({"format": "xlsx"}, "format"),
        ({"period": "2026-09", "from": "2026-01"}, "period"),
        ({"per": "week"}, "per"),
    ],
)
def test_a_bad_parameter_is_a_422_naming_it(
    client: TestClient, params: dict[str, str], name: str
) -> None:
    answer = client.get("/v1/costs", params={"region": "lachine", **params})
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["loc"][:2] == ["query", name]
    assert answer.json()["detail"].startswith(f"query.{name}")


def test_an_unknown_region_stays_a_404_naming_it(client: TestClient) -> None:
    answer = client.get("/v1/costs", params={"region": "atlantis", "from": "2026-01"})
    assert answer.status_code == 404 and "atlantis" in answer.json()["detail"]


def test_head_etag_and_cache_control(client: TestClient) -> None:
    params = {"region": "lachine", "from": "2026-01"}
    got = client.get("/v1/costs", params=params)
    tag = got.headers["etag"]
    assert got.headers["cache-control"].startswith("public")
    head = client.head("/v1/costs", params=params)
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == tag
    again = client.get("/v1/costs", params=params, headers={"If-None-Match": tag})
    assert again.status_code == 304
