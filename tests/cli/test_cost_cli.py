"""The engine's commands against a real migrated database."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from factories import seed_two_stores_in_lachine
from sqlmodel import select
from typer.testing import CliRunner

from cli.main import app
from core.basket_definitions import ensure_reference_basket
from core.db import session_scope
from core.models import ProductMatch, Store

runner = CliRunner()


@pytest.fixture
def computed(db_url: str) -> str:
    seed_two_stores_in_lachine(db_url)
    result = runner.invoke(app, ["compute"])
    assert result.exit_code == 0, result.output
    assert "costing" in result.output
    return db_url


def test_household_cost_as_json(computed: str) -> None:
    result = runner.invoke(
        app,
        [
            "cost",
            "household",
            "--members",
            "M:40,F:39,M:14,F:9",
            "--pregnant",
            "2",
            "--region",
            "lachine",
            "--period",
            "2026-09",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["members"] == ["male_19_50", "pregnant_19_50", "male_14_18", "female_9_13"]
    weekly = Decimal(body["weekly"])
    assert weekly > 0
    assert abs(Decimal(body["monthly"]) - weekly * Decimal("4.33")) <= Decimal("0.01")
    assert body["size_factor"] == 1.0
    assert body["warnings"]  # two stores, fewer than the minimum of six


def test_convert_presets() -> None:
    result = runner.invoke(
        app,
        ["cost", "convert", "--annual", "11286.81", "--persons", "4", "--preset", "ppne", "--json"],
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert Decimal(body["monthly"]) == Decimal("940.57")  # 11286.81 / 12
    assert Decimal(body["per_person_per_day"]) == Decimal("7.73")  # 11286.81 / (365 x 4)


def test_afford_explain_and_alerts(computed: str, tmp_path: Path) -> None:
    scenarios = tmp_path / "scenarios.csv"
    scenarios.write_text(
        "scenario,members,monthly_income,monthly_rent,monthly_food\n"
        'family,"M:40,F:39,M:14,F:9",3000,1200,\n'
        "single,M:30,900,700,350\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["afford", "--scenarios", str(scenarios), "--region", "lachine", "--json"]
    )
    assert result.exit_code == 0, result.output
    table = json.loads(result.output)
    # Money as two-decimal strings, with what the food figure rests on beside it.
    assert table[1]["money_left"] == "-150.00"  # 900 - 700 - 350
    assert (table[1]["status"], table[1]["currency"]) == ("given", "CAD")
    assert Decimal(table[0]["monthly_food"]) > 0
    assert len(table[0]["monthly_food"].split(".")[1]) == 2
    assert table[0]["period"] == "2026-10" and table[0]["basket_version"]
    assert table[0]["status"] == "warning"  # two stores, fewer than six

    result = runner.invoke(app, ["explain", "--region", "montreal", "--period", "2026-09"])
    assert result.exit_code == 0, result.output
    assert "observed" in result.output and "s1" in result.output

    result = runner.invoke(app, ["alerts", "--period", "2026-10", "--level", "store"])
    assert result.exit_code == 0, result.output
    assert "robust" in result.output and "crisis" in result.output


def test_errors_are_one_line(db_url: str) -> None:
    result = runner.invoke(app, ["cost", "convert", "--persons", "2"])
    assert result.exit_code != 0
    assert "exactly one of" in str(result.exception)


@pytest.mark.slow
def test_bench_runs_at_a_tiny_size() -> None:
    result = runner.invoke(
        app, ["bench", "engine", "--observations", "20000", "--database-rows", "3000", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["family_cost_difference"] < 1e-6
    assert report["engine_compute_s"] > 0
    # Every row written to the temporary database came back through core/queries.py.
    assert report["database_rows"] == 3000
    assert report["database_load_s"] > 0 and report["database_compute_s"] > 0


def test_a_new_version_closes_the_previous_one_and_records_a_break(db_url: str) -> None:
    from datetime import date

    from core.basket_versions import save_new_version, series_breaks, versions_in_effect
    from core.reference_data import load_reference_basket

    with session_scope(db_url) as session:
        first = ensure_reference_basket(session)
        second = save_new_version(
            session,
            load_reference_basket(),
            "v2",
            "Second",
            "tests",
            date(2026, 10, 1),
            "new official table",
        )
        assert first.effective_to == date(2026, 9, 30)
        assert [v.code for v in versions_in_effect(session)][-1] == second.code
        (recorded,) = series_breaks(session)
        assert (recorded.previous_version_id, recorded.version_id) == (first.id, second.id)


def test_lineage_and_chosen_products_are_stored_as_given(computed: str) -> None:
    import math
    from datetime import timedelta

    import pandas as pd

    from core.models import ChosenProduct, Region
    from core.queries.basket import latest_version
    from core.queries.lineage import region_prices_frame, store_prices_frame
    from core.writers.lineage import replace_chosen_products, replace_lineage

    with session_scope(computed) as session:
        version = latest_version(session)
        stored = store_prices_frame(session, version.id, "2026-10")
        # s1 priced both items 4.00 x 1.6 + 0.01 in October (product size = purchase size).
        s1 = session.exec(select(Store).where(Store.code == "s1")).one()
        assert stored[stored["store_id"] == s1.id]["item_price"].tolist() == [6.41, 6.41]
        assert stored["observation_id"].notna().all()

        region = session.exec(select(Region).where(Region.code == "lachine")).one()
        item_id, other_id = sorted(stored["item_id"].unique().tolist())
        product_id = session.exec(select(ProductMatch.store_product_id)).first()
        store_prices = pd.DataFrame(
            {"store_id": [s1.id, s1.id], "item_id": [item_id, other_id],
             "period": ["2027-01"] * 2, "item_price": [2.675, 3.1], "observation_id": [None, 7.0]}
        )  # fmt: skip
        region_prices = pd.DataFrame(
            {"region_id": [region.id] * 2, "item_id": [item_id, other_id],
             "period": ["2027-01"] * 2, "item_price": [2.675, float("nan")], "stores": [1, 0],
             "imputation": ["observed", "missing"], "source_region_id": [region.id, -1],
             "source_period": ["2027-01", ""]}
        )  # fmt: skip
        replace_lineage(session, version.id, store_prices, region_prices)
        chosen = pd.DataFrame(
            {"store_id": [s1.id], "item_id": [item_id], "period": ["2027-01"],
             "store_product_id": [product_id], "price": [5.3499], "item_price": [2.6745],
             "candidates": [3]}
        )  # fmt: skip
        replace_chosen_products(session, version.id, chosen)
        session.commit()

    with session_scope(computed) as session:
        back = store_prices_frame(session, version.id, "2027-01").sort_values("item_id")
        assert back["item_price"].tolist() == [2.68, 3.1]  # half up to the cent
        assert math.isnan(back["observation_id"].iloc[0]) and back["observation_id"].iloc[1] == 7
        grid = region_prices_frame(session, version.id, region.id, "2027-01").sort_values("item_id")
        assert grid["item_price"].iloc[0] == 2.68 and math.isnan(grid["item_price"].iloc[1])
        assert grid["imputation"].tolist() == ["observed", "missing"]
        assert grid["source_region_id"].iloc[0] == region.id
        assert pd.isna(grid["source_region_id"].iloc[1]) and pd.isna(grid["source_period"].iloc[1])
        row = session.exec(select(ChosenProduct).where(ChosenProduct.period == "2027-01")).one()
        assert (row.price, row.item_price, row.candidates) == (
            Decimal("5.350"),
            Decimal("2.674"),  # three decimals, half to even as before
            3,
        )
        assert row.chosen_at.utcoffset() == timedelta(0)
