"""`ppne routes plan|sheets`, `ppne kitchen count` and `ppne bench routes` as the operator."""

from __future__ import annotations

import json
from pathlib import Path

import meals_world
import pytest
from meals_world import MONDAY
from typer.testing import CliRunner

from bench.routes import describe, measure
from cli.main import app
from core.db import session_scope

runner = CliRunner()


def _invoke(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def test_plan_a_day_print_its_sheets_and_count_the_kitchen(db_url: str, tmp_path: Path) -> None:
    with session_scope(db_url) as session:
        meals_world.world(session, clients=6, routes=2)
        session.commit()
    day = MONDAY.isoformat()
    planned = json.loads(_invoke("routes", "plan", "--date", day, "--json"))
    assert sum(len(run["stops"]) for run in planned["runs"]) == 6
    assert planned["unassigned_plan_ids"] == []
    table = _invoke("routes", "plan", "--date", day)  # planned already: the same runs
    assert "6 stops" in table and "9 meals" in table
    written = _invoke("routes", "sheets", "--date", day, "--out", str(tmp_path / "sheets"))
    pdfs = sorted((tmp_path / "sheets").glob("*.pdf"))
    assert len(pdfs) == len(planned["runs"]) and all(p.read_bytes()[:4] == b"%PDF" for p in pdfs)
    assert pdfs[0].name in written.replace("\n", "")
    counted = json.loads(_invoke("kitchen", "count", "--date", day, "--json"))
    assert counted["total_meals"] == 9 and counted["source"] == "runs"
    assert "diabétique" in _invoke("kitchen", "count", "--date", day)


def test_sheets_before_planning_and_a_bad_date_say_so(db_url: str, tmp_path: Path) -> None:
    with session_scope(db_url) as session:
        meals_world.world(session, clients=1, routes=1)
        session.commit()
    result = runner.invoke(
        app, ["routes", "sheets", "--date", "2026-12-08", "--out", str(tmp_path)]
    )
    assert result.exit_code != 0 and "routes plan" in str(result.exception)
    result = runner.invoke(app, ["kitchen", "count", "--date", "lundi"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in str(result.exception)


@pytest.mark.slow
def test_the_bench_solves_the_small_case_and_beats_address_order() -> None:
    [case] = measure(cases=((40, 3),))
    assert case.unassigned == 0 and case.late == 0
    assert case.versus_address < 0.85
    assert "vs address" in describe([case])
