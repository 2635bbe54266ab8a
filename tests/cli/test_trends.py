"""`ppne trends` and GET /v1/trends: costs computed, the food CPI imported through the importer."""

from __future__ import annotations

import csv
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from factories import make_region, seed_two_stores_in_lachine, shipped_region
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from cli.main import app, run
from core.db import session_scope
from core.queries.cpi import cpi_geos, food_cpi_frame

runner = CliRunner()
# Hand-written in StatCan's full layout: Food for Montréal (May 2026 is "..") and Canada,
# Fresh fruit for Quebec only.
CPI_FIXTURE = Path(__file__).parents[1] / "importers" / "fixtures" / "cpi_trend.csv"


def fixture_values(geo: str, product: str) -> dict[str, float | None]:
    """Read the fixture's values by period straight from the CSV, without the importer."""
    with CPI_FIXTURE.open(encoding="utf-8") as handle:
        return {
            row["REF_DATE"]: float(row["VALUE"]) if row["VALUE"] else None
            for row in csv.DictReader(handle)
            if row["GEO"] == geo and row["Products and product groups"] == product
        }


def trends_json(*options: str) -> dict[str, Any]:
    result = runner.invoke(app, ["trends", *options, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def computed(db_url: str) -> str:
    seed_two_stores_in_lachine(
        db_url
    )  # two stores in Lachine, two items, 2026-01 to 2026-10, October jumps
    result = runner.invoke(app, ["compute"])
    assert result.exit_code == 0, result.output
    return db_url


@pytest.fixture
def with_cpi(computed: str) -> str:
    result = runner.invoke(app, ["import", "statcan", str(CPI_FIXTURE)])
    assert result.exit_code == 0, result.output
    assert "30 imported" in result.output
    return computed


def test_without_cpi_the_output_says_so_and_has_no_cpi_values(computed: str) -> None:
    body = trends_json("--region", "lachine")
    assert body["cpi"]["geo"] is None
    assert body["cpi"]["geos_searched"] == ["Montréal, Quebec", "Quebec", "Canada"]
    assert [p["period"] for p in body["series"]] == [f"2026-{m:02d}" for m in range(1, 11)]
    assert all(p["cpi"] is None and p["cpi_index"] is None for p in body["series"])
    result = runner.invoke(app, ["trends", "--region", "lachine"])
    assert result.exit_code == 0, result.output
    assert "IPC des aliments non importé" in result.output
    assert "IPC aliments" not in result.output  # no CPI column


def test_cli_and_api_give_the_cpi_rebased_to_the_base_period(with_cpi: str) -> None:
    body = trends_json("--region", "lachine", "--base", "2026-02")
    api = TestClient(create_app()).get(
        "/v1/trends", params={"region": "lachine", "base": "2026-02"}
    )
    assert api.status_code == 200
    assert api.json() == body

    assert body["cpi"] == {
        "table": "18-10-0004-01",
        "product": "Food",
        "geo": "Montréal, Quebec",
        "geos_searched": ["Montréal, Quebec", "Quebec", "Canada"],
        "fallback": False,
    }
    published = fixture_values("Montréal, Quebec", "Food")
    base_value = published["2026-02"]
    assert base_value is not None
    by_period = {point["period"]: point for point in body["series"]}
    assert by_period["2026-02"]["cpi_index"] == 100.0
    for period, value in published.items():
        point = by_period[period]
        if value is None:  # ".." in the file: missing, never zero
            assert period == "2026-05"
            assert point["cpi"] is None and point["cpi_index"] is None
        else:
            assert point["cpi"] == value
            assert point["cpi_index"] == pytest.approx(value / base_value * 100, abs=0.006)

    # The basket's own index and changes, from the weekly costs the same answer gives.
    weekly = {p: Decimal(point["weekly_cost"]) for p, point in by_period.items()}
    assert by_period["2026-02"]["index"] == 100.0
    expected_index = float(weekly["2026-10"] / weekly["2026-02"] * 100)
    assert by_period["2026-10"]["index"] == pytest.approx(expected_index, abs=0.1)
    assert by_period["2026-10"]["change_previous"] == pytest.approx(
        float(weekly["2026-10"] / weekly["2026-09"] - 1) * 100, abs=0.1
    )
    assert by_period["2026-01"]["change_previous"] is None
    assert all(point["change_year"] is None for point in body["series"])

    # October against September only: no October a year before.
    (drivers,) = body["drivers"]
    assert (drivers["start"], drivers["end"]) == ("2026-09", "2026-10")
    total = sum(Decimal(row["change"]) for row in drivers["categories"])
    assert abs(total - (weekly["2026-10"] - weekly["2026-09"])) <= Decimal("0.05")

    table = runner.invoke(app, ["trends", "--region", "lachine", "--base", "2026-02"])
    assert table.exit_code == 0, table.output
    text = table.output.replace("\u00a0", " ").replace("\u202f", " ")
    assert "Montréal, Quebec" in text and "IPC aliments" in text
    assert "Fruits" in text and "2026-09 → 2026-10" in text
    assert f"{body['series'][-1]['weekly_cost'].replace('.', ',')} $" in text


def test_a_window_and_a_broader_geo_when_the_closer_one_is_not_imported(with_cpi: str) -> None:
    body = trends_json(
        "--region", "lachine", "--from", "2026-03", "--to", "2026-06",
        "--cpi-product", "Fresh fruit",
    )  # fmt: skip
    assert body["base_period"] == "2026-03"
    assert [p["period"] for p in body["series"]] == ["2026-03", "2026-04", "2026-05", "2026-06"]
    assert body["series"][0]["change_previous"] is not None  # from February, outside the window
    assert (body["cpi"]["geo"], body["cpi"]["fallback"]) == ("Quebec", True)
    fruit = fixture_values("Quebec", "Fresh fruit")
    for point in body["series"]:
        expected = fruit[point["period"]] / fruit["2026-03"] * 100  # type: ignore[operator]
        assert point["cpi_index"] == pytest.approx(expected, abs=0.006)
    # The API says the same.
    api = TestClient(create_app()).get(
        "/v1/trends",
        params={"region": "lachine", "from": "2026-03", "to": "2026-06",
                "cpi_product": "Fresh fruit"},
    )  # fmt: skip
    assert api.json() == body
    # Food for Montreal is imported, but the province's is not: Quebec falls back to Canada.
    quebec = trends_json("--region", "quebec")
    assert quebec["cpi"]["geos_searched"] == ["Quebec", "Canada"]
    assert (quebec["cpi"]["geo"], quebec["cpi"]["fallback"]) == ("Canada", True)
    canada = fixture_values("Canada", "Food")
    assert quebec["series"][-1]["cpi"] == canada["2026-10"]
    result = runner.invoke(app, ["trends", "--region", "quebec"])
    assert "Montréal, Quebec" not in result.output and "Canada" in result.output


def test_cpi_geos_follow_the_region_tree(db_url: str) -> None:
    with session_scope(db_url) as session:
        shipped_region(session, "mercier-est")
        make_region(session, code="toronto", name="Toronto")
        assert cpi_geos(session, "mercier-est")[0] == "Montréal, Quebec"
        assert cpi_geos(session, "montreal-est")[0] == "Montréal, Quebec"
        assert cpi_geos(session, "montreal-cma")[0] == "Montréal, Quebec"
        assert cpi_geos(session, "toronto") == ["Canada"]
        assert food_cpi_frame(session, ["Montréal, Quebec", "Canada"]).empty


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--region", "atlantis"], "error: unknown region 'atlantis'"),
        (["--region", "lachine", "--base", "2019-01"], "error: base period 2019-01 has no cost"),
        (["--region", "lachine", "--from", "2026-13"], "is not written YYYY-MM"),
        (["--region", "lachine", "--group", "giants"], "error: unknown group 'giants'"),
        (["--region", "lachine", "--from", "2027-01"], "error: no cost between 2027-01"),
    ],
)
def test_errors_are_one_line_and_exit_1(
    computed: str,
    options: list[str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(sys, "argv", ["ppne", "trends", *options])
    with pytest.raises(SystemExit) as exited:
        run()
    assert exited.value.code == 1
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1


@pytest.mark.parametrize(
    ("params", "status"),
    [({"region": "atlantis"}, 404), ({"region": "lachine", "base": "2026-13"}, 422)],
)
def test_api_errors(computed: str, params: dict[str, str], status: int) -> None:
    assert TestClient(create_app()).get("/v1/trends", params=params).status_code == status


def test_a_group_series(computed: str) -> None:
    family = trends_json("--region", "lachine")
    group = trends_json("--region", "lachine", "--group", "male_19_50")
    assert group["group"] == "male_19_50"
    assert Decimal(group["series"][0]["weekly_cost"]) < Decimal(family["series"][0]["weekly_cost"])
    (drivers,) = group["drivers"]
    total = sum(Decimal(row["change"]) for row in drivers["categories"])
    last, previous = (Decimal(p["weekly_cost"]) for p in group["series"][:-3:-1])
    assert abs(total - (last - previous)) <= Decimal("0.05")


def test_the_bulletin_puts_the_imported_cpi_beside_the_basket(
    with_cpi: str, tmp_path: Path
) -> None:
    from publications.formatting import format_percent_change
    from services.publishing import publish_bulletin

    with session_scope(with_cpi) as session:
        html = publish_bulletin(session, tmp_path, "lachine").html.read_text(encoding="utf-8")
    food = fixture_values("Montréal, Quebec", "Food")
    month = format_percent_change(food["2026-10"] / food["2026-09"] - 1)  # type: ignore[operator]
    assert f"IPC des aliments sur la même période : {month}" in html
    assert "Montréal, Quebec, Statistique Canada" in html
