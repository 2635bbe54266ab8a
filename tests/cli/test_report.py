"""`ppne report outputs`: CSV, XLSX and JSON with the stable column order, suppressed cells."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import records_factories
from openpyxl import load_workbook
from sqlmodel import select
from typer.testing import CliRunner

from cli.main import app
from core.db import session_scope
from core.models import AuditEvent, ServiceEvent
from services.records.activities import ACTIVITY_COLUMNS
from services.records.outputs import COLUMNS
from services.records.outputs_render import OPERATION_COLUMNS

runner = CliRunner()


def seed(db_url: str) -> None:
    """Six consenting clients with an intake in prenatal, one in workshops."""
    with session_scope(db_url) as session:
        for program, count in (("prenatal", 6), ("workshops", 1)):
            program_id = records_factories.program(session, "alima", program).id
            assert program_id is not None
            for _ in range(count):
                client = records_factories.make_client(session)
                records_factories.make_consent(session, client, "statistics")
                assert client.id is not None
                session.add(ServiceEvent(client_id=client.id, program_id=program_id,
                                         kind="intake", occurred_on=date(2026, 3, 2)))  # fmt: skip
        session.commit()


def invoke(*args: str) -> str:
    result = runner.invoke(app, ["report", "outputs", "--org", "alima", "--from", "2026-03",
                                 "--to", "2026-03", *args])  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.output


def test_csv_has_the_stable_columns_and_x_for_suppressed_cells(db_url: str) -> None:
    seed(db_url)
    text = invoke("--by", "program")
    outputs, activities, operations, note = text.split("\n\n")
    rows = list(csv.reader(io.StringIO(outputs)))
    assert tuple(rows[0]) == COLUMNS
    by_name = {row[0]: row for row in rows[1:]}
    clients = COLUMNS.index("clients")
    assert by_name["Ateliers"][clients] == "x"  # one client
    assert by_name["Suivi prénatal"][clients] == "x"  # would give Ateliers away from the total
    assert by_name["Total"][clients] == "7"
    assert by_name["Suivi postnatal"][clients] == "0"
    assert tuple(next(csv.reader(io.StringIO(activities)))) == ACTIVITY_COLUMNS
    # Le Sésame's operations block is there for every organisation (Alima's at 0).
    assert tuple(next(csv.reader(io.StringIO(operations)))) == OPERATION_COLUMNS
    assert "Total,meals_delivered,Repas livrés" in operations
    assert note.strip() == "excluded_without_consent,0"
    with session_scope(db_url) as session:
        audits = session.exec(select(AuditEvent)).all()
    assert [(a.action, a.record_type, a.client_id) for a in audits] == [
        ("report", "outputs_report", None)
    ]
    assert audits[0].source.startswith("cli:")


def test_xlsx_and_json_files(db_url: str, tmp_path: Path) -> None:
    seed(db_url)
    workbook_path = tmp_path / "extrants.xlsx"
    invoke("--by", "program", "--format", "xlsx", "--out", str(workbook_path))
    workbook = load_workbook(workbook_path)
    assert workbook.sheetnames == ["extrants", "activites", "operations", "notes"]
    assert tuple(c.value for c in workbook["operations"][1]) == OPERATION_COLUMNS
    sheet = workbook["extrants"]
    assert tuple(cell.value for cell in sheet[1]) == COLUMNS
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)][-1] == 7
    assert tuple(c.value for c in workbook["activites"][1]) == ACTIVITY_COLUMNS
    json_path = tmp_path / "extrants.json"
    invoke("--format", "json", "--out", str(json_path))
    report = json.loads(json_path.read_text(encoding="utf-8"))
    assert report["columns"] == list(COLUMNS)
    assert report["rows"][0]["clients"] == 7 and report["rows"][0]["services_intake"] == 7
    assert report["excluded_without_consent"] == 0
    rounded = json.loads(invoke("--format", "json", "--round5"))
    assert rounded["rounded_to_5"] and rounded["rows"][0]["clients"] == 5  # 7, rounded


def test_bad_options_are_one_line_errors(db_url: str) -> None:
    result = runner.invoke(app, ["report", "outputs", "--org", "alima", "--from", "2026-3",
                                 "--to", "2026-03"])  # fmt: skip
    assert result.exit_code != 0
    result = runner.invoke(app, ["report", "outputs", "--org", "alima", "--from", "2026-03",
                                 "--to", "2026-03", "--format", "xlsx"])  # fmt: skip
    assert result.exit_code != 0
