"""Meals delivered in the outputs report, by territory, suppressed; the CSV and XLSX files carry
the operations section."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import factories
import meals_world
import pytest
from accounts import bearer
from fastapi.testclient import TestClient
from meals_world import MONDAY
from openpyxl import load_workbook
from sqlmodel import Session
from typer.testing import CliRunner

from api.app import create_app
from cli import operations
from cli.main import app
from core.db import session_scope
from core.models import Client
from services.access.actor import Actor
from services.records.meals.outcomes import OutcomeInput, record_outcome
from services.records.meals.plans import PlanChange, update_plan
from services.records.meals.runs import plan_day
from services.records.outputs import outputs_report
from services.records.outputs_render import OPERATION_COLUMNS, to_csv, to_xlsx
from services.records.outputs_sesame import sesame_section

# Client number -> (outcome at Monday's stop, territory). Meals per day are 1 + number % 2.
OUTCOMES = {
    0: ("delivered", "mercier-est"),  # 1 meal
    1: ("left_at_door", "mercier-est"),  # 2 meals
    2: ("no_answer", "montreal-est"),  # 1 meal, a follow-up
    3: ("delivered", None),  # 2 meals, no territory
}


def monday_delivered(session: Session) -> int:
    """The small world: four clients, Monday planned, each stop's outcome recorded."""
    w = meals_world.world(session, clients=4, routes=1)
    update_plan(session, w.coordinator, w.plan_ids[1], PlanChange(left_at_door_agreed=True))
    for number, (_outcome, territory) in OUTCOMES.items():
        client = session.get(Client, w.client_ids[number])
        assert client is not None
        region = factories.shipped_region(session, territory) if territory else None
        client.territory_id = region.id if region else None
        session.add(client)
    session.commit()
    day = plan_day(session, w.coordinator, MONDAY)
    for stop in day.runs[0].stops:
        number = w.client_ids.index(stop.client_id)
        outcome = OUTCOMES[number][0]
        record_outcome(session, w.drivers[0], stop.id, OutcomeInput(outcome=outcome))
    return w.organisation_id


def test_meals_planned_delivered_and_missed_counted_by_hand(db_url: str) -> None:
    with session_scope(db_url) as session:
        organisation_id = monday_delivered(session)
        section = sesame_section(session, organisation_id, MONDAY, MONDAY)
        other_day = sesame_section(session, organisation_id, date(2026, 12, 8), date(2026, 12, 31))

    assert section.meals_planned == 1 + 2 + 1 + 2
    assert section.meals_delivered == 1 + 2 + 2  # the no-answer's meal is not delivered
    assert section.meals_left_at_door == 2
    assert section.deliveries_no_answer == 1 and section.delivery_followups_opened == 1
    assert section.meals_clients == 3
    assert section.meals_delivered_by_territory == {"inconnu": 2, "mercier-est": 3}
    rows = {row.territory: row for row in section.territories}
    assert list(rows) == [
        "mercier-est", "montreal-est", "riviere-des-prairies", "pointe-aux-trembles", "inconnu",
    ]  # fmt: skip
    assert rows["mercier-est"].name == "Mercier-Est"
    assert [rows[code].meals_delivered for code in rows] == [3, 0, 0, 0, 2]
    assert [rows[code].meals_clients for code in rows] == [2, 0, 0, 0, 1]
    assert (other_day.meals_planned, other_day.meals_delivered) == (0, 0)


def test_small_territory_counts_are_suppressed_with_a_companion(db_url: str) -> None:
    with session_scope(db_url) as session:
        organisation_id = monday_delivered(session)
        section = sesame_section(session, organisation_id, MONDAY, MONDAY, threshold=3)

    rows = {row.territory: row for row in section.territories}
    # People: 2 and 1 are both under 3; meals: 2 is, and hiding it alone would let the total
    # (5, published) give it back, so the 3 of Mercier-Est goes too.
    assert [rows[code].meals_clients for code in rows] == [None, 0, 0, 0, None]
    assert [rows[code].meals_delivered for code in rows] == [None, 0, 0, 0, None]
    assert section.meals_clients == 3 and section.meals_delivered == 5
    assert section.meals_delivered_by_territory == {"inconnu": None, "mercier-est": None}


def test_csv_and_xlsx_carry_the_operations_section(db_url: str) -> None:
    with session_scope(db_url) as session:
        monday_delivered(session)
        report = outputs_report(
            session, Actor.command_line(), "sesame", "2026-12", "2026-12", threshold=3
        )

    blocks = to_csv(report).split("\n\n")
    assert len(blocks) == 4  # outputs, activities, operations, consent note
    lines = list(csv.reader(io.StringIO(blocks[2])))
    assert tuple(lines[0]) == OPERATION_COLUMNS
    by_key = {(line[0], line[1]): line for line in lines[1:]}
    assert by_key[("Total", "meals_delivered")][2:] == [
        "Repas livrés (remis ou laissés à la porte)",
        "Meals delivered (handed over or left at the door)",
        "5",
    ]
    assert by_key[("Total", "meals_planned")][4] == "6"
    assert by_key[("Mercier-Est", "meals_delivered")][4] == "x"
    assert by_key[("Montréal-Est", "meals_delivered")][4] == "0"
    assert by_key[("inconnu", "meals_clients")][4] == "x"

    workbook = load_workbook(io.BytesIO(to_xlsx(report)))
    assert workbook.sheetnames == ["extrants", "activites", "operations", "notes"]
    rows = list(workbook["operations"].iter_rows(values_only=True))
    assert rows[0] == OPERATION_COLUMNS
    cells = {(row[0], row[1]): row[4] for row in rows[1:]}
    assert cells[("Total", "meals_delivered")] == 5
    assert cells[("Total", "deliveries_no_answer")] == 1
    assert cells[("Total", "delivery_followups_opened")] == 1
    assert cells[("Mercier-Est", "meals_delivered")] == "x"
    assert [row[0] for row in rows[1:]].count("Pointe-aux-Trembles") == 6


def test_the_operations_command_ends_with_the_services_by_territory(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_scope(db_url) as session:
        monday_delivered(session)
    # The console was made when the command line was first imported, at a terminal's width.
    monkeypatch.setattr(operations.console, "width", 200)

    result = CliRunner().invoke(
        app,
        ["operations", "outputs", "--org", "sesame", "--from", "2026-12-07", "--to",
         "2026-12-07", "--threshold", "1"],
        env={"COLUMNS": "200"},
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    table = result.output.split("By territory")[1]
    mercier = next(line for line in table.splitlines() if "Mercier-Est" in line)
    assert [cell.strip() for cell in mercier.split("│")[1:-1]] == [
        "Mercier-Est", "0", "0", "0", "3", "2", "0",
    ]  # fmt: skip


def test_the_operations_files_from_the_command_and_the_api(db_url: str, tmp_path: Path) -> None:
    with session_scope(db_url) as session:
        monday_delivered(session)
    days = ["--org", "sesame", "--from", "2026-12-07", "--to", "2026-12-07", "--threshold", "1"]

    as_csv = CliRunner().invoke(app, ["operations", "outputs", *days, "--format", "csv"])
    workbook_path = tmp_path / "operations.xlsx"
    CliRunner().invoke(
        app, ["operations", "outputs", *days, "--format", "xlsx", "--out", str(workbook_path)]
    )
    headers = bearer(db_url, "coordinator", organisation="sesame")
    api = TestClient(create_app()).get(
        "/v1/records/reports/outputs?from=2026-12&to=2026-12&org=sesame&format=xlsx",
        headers=headers,
    )

    lines = list(csv.reader(io.StringIO(as_csv.output)))
    assert tuple(lines[0]) == OPERATION_COLUMNS
    assert {tuple(line[:2]): line[4] for line in lines}[("Total", "meals_delivered")] == "5"
    sheet = load_workbook(workbook_path)["operations"]
    assert [c.value for c in sheet[1]] == list(OPERATION_COLUMNS)
    assert api.status_code == 200
    served = load_workbook(io.BytesIO(api.content))
    cells = {(r[0], r[1]): r[4] for r in served["operations"].iter_rows(values_only=True)}
    assert cells[("Total", "meals_delivered")] == 5  # threshold 5 here: a count of meals
    assert cells[("Total", "meals_clients")] == "x"  # 3 people: suppressed
