"""GET /v1/alerts: the alerts `ppne compute` stored, equal to those `ppne alerts` fits, in
every list format, refused per bad parameter, cached by ETag."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from decimal import Decimal

import pyarrow.parquet as pq
import pytest
from factories import seed_two_stores_in_lachine
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from api.app import create_app
from basket.alerts import price_alerts as score_price_alerts
from cli.main import app
from core.db import session_scope
from core.models import PriceObservation, StoredPriceAlert
from core.queries.basket import version_for_period
from core.queries.lineage import region_prices_frame, store_prices_frame
from services.alerts import price_alerts

runner = CliRunner()


def compute(*args: str) -> None:
    result = runner.invoke(app, ["compute", *args])
    assert result.exit_code == 0, result.output


def _key(entity: str, item: str, method: str, months: int, score: float, band: str) -> tuple:
    return (entity, item, method, months, round(score, 9), band)


@pytest.mark.parametrize("level", ["store", "region"])
def test_stored_alerts_equal_those_fitted_on_request(
    client: TestClient, db_url: str, level: str
) -> None:
    every_band = [("band", b) for b in ("normal", "stress", "alert", "crisis")]
    for month in ("2026-08", "2026-09", "2026-10"):
        params = [("period", month), ("level", level), *every_band]
        body = client.get("/v1/alerts", params=params).json()
        with session_scope(db_url) as session:
            fitted = price_alerts(session, month, level, all_bands=True)
        served = sorted(
            _key(r["entity"], r["item"], r["method"], r["months"], r["score"], r["band"])
            for r in body["rows"]
        )
        expected = sorted(
            _key(a.entity, a.item, a.method, a.months, a.score, a.band) for a in fitted
        )
        assert served == expected and served
        assert {r["period"] for r in body["rows"]} == {month}
    # October's 60 % jump is a crisis in every series (robust method: 10 months).
    october = client.get("/v1/alerts", params={"period": "2026-10", "level": level}).json()
    assert october["rows"] and {r["band"] for r in october["rows"]} == {"crisis"}
    assert {r["method"] for r in october["rows"]} == {"robust"}
    assert october["note"] is None


def test_the_latest_month_by_default_and_filters(client: TestClient) -> None:
    latest = client.get("/v1/alerts", params={"level": "store"}).json()
    assert latest["period"] == "2026-10"
    assert {r["region"] for r in latest["rows"]} == {"lachine"}
    assert {r["entity"] for r in latest["rows"]} == {"s1", "s2"}
    item = latest["rows"][0]["item"]
    one = client.get("/v1/alerts", params={"level": "store", "item": item, "region": "lachine"})
    assert {r["item"] for r in one.json()["rows"]} == {item}
    assert len(one.json()["rows"]) == 2  # the two stores
    elsewhere = client.get("/v1/alerts", params={"level": "store", "region": "montreal-est"})
    assert elsewhere.status_code == 200
    assert elsewhere.json()["rows"] == [] and "no store series" in elsewhere.json()["note"]
    calm = client.get("/v1/alerts", params={"period": "2026-10", "band": "normal"}).json()
    assert calm["rows"] == []


def test_recomputing_stores_no_duplicates(client: TestClient, db_url: str) -> None:
    def stored() -> int:
        with session_scope(db_url) as session:
            return int(session.execute(select(func.count(StoredPriceAlert.id))).scalar_one())

    before = stored()
    assert before > 0
    compute()
    compute("--from", "2026-09", "--to", "2026-10")
    assert stored() == before


def test_recomputing_an_earlier_month_refits_the_later_months_alerts(
    client: TestClient, db_url: str
) -> None:
    # May's prices were keyed in 40 % too high; recomputing May alone must refit October's
    # alerts, whose series run through May.
    may = (datetime(2026, 5, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC))
    with session_scope(db_url) as session:
        october_before = price_alerts(session, "2026-10", "store", all_bands=True)
        session.execute(
            update(PriceObservation)
            .where(PriceObservation.observed_at >= may[0], PriceObservation.observed_at < may[1])
            .values(price=PriceObservation.price * Decimal("1.4"))
        )
        session.commit()
    compute("--from", "2026-05", "--to", "2026-05")
    body = client.get("/v1/alerts", params={"period": "2026-10", "level": "store"}).json()
    with session_scope(db_url) as session:
        fitted = price_alerts(session, "2026-10", "store", all_bands=True)
    served = sorted((r["entity"], r["item"], round(r["score"], 9)) for r in body["rows"])
    expected = sorted((a.entity, a.item, round(a.score, 9)) for a in fitted if a.band != "normal")
    assert served == expected and served
    # The fit did change: October's scores before May was recomputed are not today's.
    assert sorted(round(a.score, 9) for a in october_before) != sorted(
        round(a.score, 9) for a in fitted
    )


def test_ppne_alerts_reads_the_stored_alerts(client: TestClient, db_url: str) -> None:
    served = client.get("/v1/alerts", params={"period": "2026-10", "level": "store"}).json()
    with session_scope(db_url) as session:
        session.execute(
            StoredPriceAlert.__table__.update()
            .where(StoredPriceAlert.period == "2026-10")
            .values(score=99.5)
        )
        session.commit()
    # The CLI prints what is stored (99.50), not a new fit.
    result = runner.invoke(app, ["alerts", "--period", "2026-10", "--level", "store"])
    assert result.exit_code == 0, result.output
    assert result.output.count("99.50") == len(served["rows"])
    assert f"{len(served['rows'])} series in stress, alert or crisis" in result.output


def test_too_few_months_store_none_and_the_route_says_so(db_url: str) -> None:
    seed_two_stores_in_lachine(db_url)
    compute("--to", "2026-04")  # four months: too short for either method
    client = TestClient(create_app())
    answer = client.get("/v1/alerts")
    assert answer.status_code == 200
    assert answer.json()["rows"] == [] and answer.json()["period"] is None
    assert "no alert stored" in answer.json()["note"]
    month = client.get("/v1/alerts", params={"period": "2026-04"}).json()
    assert month["rows"] == [] and "no alert stored for 2026-04" in month["note"]


def test_every_format_holds_the_json_rows(client: TestClient) -> None:
    params = {"period": "2026-10", "level": "store"}
    rows = client.get("/v1/alerts", params=params).json()["rows"]
    text = client.get("/v1/alerts", params=params, headers={"Accept": "text/csv"}).text
    from_csv = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["entity"] for r in from_csv] == [r["entity"] for r in rows]
    assert [float(r["score"]) for r in from_csv] == [r["score"] for r in rows]
    assert [int(r["months"]) for r in from_csv] == [r["months"] for r in rows]
    ndjson = client.get("/v1/alerts", params={**params, "format": "ndjson"}).text
    assert [json.loads(line) for line in ndjson.splitlines()] == rows
    parquet = client.get("/v1/alerts", params={**params, "format": "parquet"}).content
    table = pq.read_table(io.BytesIO(parquet)).to_pylist()
    assert [r["score"] for r in table] == [r["score"] for r in rows]
    assert [r["item"] for r in table] == [r["item"] for r in rows]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"level": "shelf"}, "level"),
        ({"band": "panic"}, "band"),
        ({"item": "unicorn"}, "item"),
        ({"period": "2026-13"}, "period"),
        ({"period": "2026-Q4"}, "period"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_parameter_is_a_422_naming_it(
    client: TestClient, params: dict[str, str], name: str
) -> None:
    answer = client.get("/v1/alerts", params=params)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"][:2] == ["query", name]


def test_head_etag_and_cache_control(client: TestClient) -> None:
    got = client.get("/v1/alerts", params={"level": "store"})
    assert got.headers["cache-control"].startswith("public")
    tag = got.headers["etag"]
    head = client.head("/v1/alerts", params={"level": "store"})
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == tag
    again = client.get("/v1/alerts", params={"level": "store"}, headers={"If-None-Match": tag})
    assert again.status_code == 304


@pytest.mark.parametrize("level", ["store", "region"])
def test_the_stored_alerts_are_the_engines_on_every_series(
    client: TestClient, db_url: str, level: str
) -> None:
    # The engine's own scoring over every series, none left out beforehand.
    with session_scope(db_url) as session:
        version = version_for_period(session, "2026-10")
        assert version.id is not None
        if level == "store":
            prices = store_prices_frame(session, version.id)
            prices = prices.rename(columns={"store_id": "entity_id"})
        else:
            prices = region_prices_frame(session, version.id)
            prices = prices[prices["imputation"] == "observed"]
            prices = prices.rename(columns={"region_id": "entity_id"})
    every_band = [("band", b) for b in ("normal", "stress", "alert", "crisis")]
    for month in ("2026-07", "2026-08", "2026-09", "2026-10"):
        raw = score_price_alerts(prices, month)
        params = [("period", month), ("level", level), *every_band]
        rows = client.get("/v1/alerts", params=params).json()["rows"]
        assert sorted((r["months"], round(r["score"], 9), r["band"]) for r in rows) == sorted(
            (int(m), round(float(s), 9), str(b))
            for m, s, b in zip(raw["months"], raw["score"], raw["band"], strict=True)
        )
