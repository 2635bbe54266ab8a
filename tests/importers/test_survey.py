"""The survey round trip: template, filled in, validated, imported, and used by the costs."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import factories
import pytest
from accounts import bearer
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from typer.testing import CliRunner

from api.app import create_app
from cli.main import app
from core.basket_definitions import ensure_reference_basket
from core.db import session_scope
from core.models import BasketCost, ObservationSource, PriceObservation
from core.settings import get_settings
from importers import survey as survey_module
from services.costing import compute_costs
from services.protocol import costing_protocol

runner = CliRunner()


def make_store(db_url: str, code: str = "iga-lachine") -> None:
    with session_scope(db_url) as session:
        factories.make_store(session, code=code)
        ensure_reference_basket(session)
        session.commit()


def write_csv_template(sheet: Path) -> None:
    """Write the January 2025 CSV template of iga-lachine to `sheet`."""
    arguments = ["survey", "template", "--period", "2025-01", "--stores", "iga-lachine"]
    result = runner.invoke(app, [*arguments, "--format", "csv", "--output", str(sheet)])
    assert result.exit_code == 0, result.output


def one_filled_line(sheet: Path) -> bytes:
    """Return the CSV template with its first item priced 2.50 $ by Awa; the rest left blank."""
    text = sheet.read_text(encoding="utf-8").splitlines()
    cells = next(csv.reader([text[2]]))
    cells[6], cells[11], cells[12] = "2.50", "Awa", "2025-01-05"
    out = io.StringIO()
    csv.writer(out).writerow(cells)
    return "\n".join([*text[:2], out.getvalue().strip()]).encode("utf-8")


def fill_xlsx(
    path: Path, price: str, day: str, overrides: dict[int, dict[str, str]] | None = None
) -> None:
    book = load_workbook(path)
    sheet = book.active
    assert sheet is not None
    columns = {cell.value: cell.column for cell in sheet[1]}
    for number in range(3, sheet.max_row + 1):
        values = {"Prix ($)": price, "Enquêteur·rice": "Awa", "Date (AAAA-MM-JJ)": day}
        values.update((overrides or {}).get(number, {}))
        for label, value in values.items():
            sheet.cell(row=number, column=columns[label], value=value)
    book.save(path)


def family_weekly(period: str) -> Decimal:
    with session_scope(get_settings().database_url) as session:
        cost = (
            session.execute(
                select(BasketCost).where(BasketCost.period == period, BasketCost.scope == "family")
            )
            .scalars()
            .first()
        )
        assert cost is not None
        return cost.weekly_cost


def test_survey_round_trip_prices_the_basket(db_url: str, tmp_path: Path) -> None:
    make_store(db_url)
    costs = {}
    for period, price in (("2025-01", "2.00"), ("2025-04", "4.00")):
        sheet = tmp_path / f"releve-{period}.xlsx"
        result = runner.invoke(
            app,
            [
                "survey",
                "template",
                "--period",
                period,
                "--stores",
                "iga-lachine",
                "--format",
                "xlsx",
                "--output",
                str(sheet),
            ],
        )
        assert result.exit_code == 0, result.output
        fill_xlsx(sheet, price, f"{period}-15")
        result = runner.invoke(app, ["import", "survey", str(sheet)])
        assert result.exit_code == 0, result.output
        assert "refused" in result.output
        with session_scope(db_url) as session:
            compute_costs(session, costing_protocol(get_settings()), period, period)
        costs[period] = family_weekly(period)
    # Every item costs twice as much in April: so does the basket.
    assert costs["2025-04"] == pytest.approx(2 * costs["2025-01"], abs=Decimal("0.02"))
    with session_scope(get_settings().database_url) as session:
        observation, source = session.execute(
            select(PriceObservation, ObservationSource).join(
                ObservationSource, ObservationSource.content_hash == PriceObservation.content_hash
            )
        ).first()
        assert observation.method == "survey"
        assert (source.surveyor, source.sheet, source.row_number) == ("Awa", "relevé", 3)
        assert source.source_file.endswith("releve-2025-01.xlsx")


def test_survey_refuses_bad_rows_and_imports_nothing_unless_asked(
    db_url: str, tmp_path: Path
) -> None:
    make_store(db_url)
    sheet = tmp_path / "releve.csv"
    write_csv_template(sheet)
    lines = list(csv.reader(sheet.read_text(encoding="utf-8").splitlines()))
    header = lines[0]
    position = {label: header.index(label) for label in header}
    for line in lines[2:]:
        line[position["Prix ($)"]] = "3,49 $"
        line[position["Enquêteur·rice"]] = "Awa"
        line[position["Date (AAAA-MM-JJ)"]] = "2025-01-10"
    lines[2][position["Prix ($)"]] = "trois"
    lines[3][position["Code du magasin"]] = "nowhere"
    lines[4][position["Format trouvé"]] = "5 g"
    lines[5][position["Date (AAAA-MM-JJ)"]] = "2025-03-01"
    lines[6][position["Non disponible (x)"]] = "x"
    lines[6][position["Prix ($)"]] = ""
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(lines)

    result = runner.invoke(app, ["import", "survey", str(sheet)])
    assert result.exit_code != 0
    assert "row 3, column price: unreadable_price" in result.output
    assert "row 4, column store_code: unknown_store" in result.output
    assert "row 5, column size_found: size_out_of_range" in result.output
    assert "row 6, column date: date_outside_period" in result.output
    with session_scope(get_settings().database_url) as session:
        assert session.execute(select(PriceObservation)).first() is None

    result = runner.invoke(app, ["import", "survey", str(sheet), "--accept-valid"])
    assert result.exit_code == 0, result.output
    with session_scope(get_settings().database_url) as session:
        observations = session.execute(select(PriceObservation)).scalars().all()
    assert len(observations) == len(lines) - 2 - 4
    assert sum(not o.available for o in observations) == 1

    listing = runner.invoke(app, ["import", "list"])
    assert "rejected" in listing.output and "succeeded" in listing.output
    exported = tmp_path / "refused.csv"
    result = runner.invoke(app, ["import", "refused", "2", "--output", str(exported)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8"))))
    assert [row["reason"] for row in rows] == [
        "unreadable_price",
        "unknown_store",
        "size_out_of_range",
        "date_outside_period",
    ]
    assert "trois" in rows[0]["raw"]


def test_survey_upload_is_for_coordinators_only(db_url: str, tmp_path: Path) -> None:
    make_store(db_url)
    sheet = tmp_path / "releve.csv"
    write_csv_template(sheet)
    body = one_filled_line(sheet)
    client = TestClient(create_app())
    files = {"file": ("releve.csv", body, "text/csv")}
    assert client.post("/v1/surveys", files=files).status_code == 401
    for role in ("admin", "dietitian", "volunteer", "analyst", "privacy_officer"):
        answer = client.post("/v1/surveys", files=files, headers=bearer(db_url, role))
        assert answer.status_code == 403, role
    answer = client.post("/v1/surveys", files=files, headers=bearer(db_url, "coordinator"))
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["status"], report["imported"], report["refused"]) == ("succeeded", 1, 0)


def test_survey_upload_applies_the_deployments_price_bounds(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_store(db_url)
    sheet = tmp_path / "releve.csv"
    write_csv_template(sheet)
    files = {"file": ("releve.csv", one_filled_line(sheet), "text/csv")}
    # 2.50 $ is believable by default; this deployment's ceiling is 2 $.
    monkeypatch.setenv("PPNE_PRICE_MAX", "2")
    get_settings.cache_clear()
    answer = TestClient(create_app()).post(
        "/v1/surveys", files=files, headers=bearer(db_url, "coordinator")
    )
    report = answer.json()
    assert answer.status_code == 422, answer.text
    assert (report["status"], report["imported"], report["refused"]) == ("rejected", 0, 1)
    assert "price_refused" in answer.text


@pytest.mark.parametrize("refused", [False, True])
def test_a_survey_sheet_is_read_once(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refused: bool
) -> None:
    # Issue 10, "the CLI reads the same file twice": the all-or-nothing check and the import
    # each read the sheet. One process, so every read is counted here.
    monkeypatch.setenv("PPNE_IMPORT_WORKER", "false")
    get_settings.cache_clear()
    make_store(db_url)
    sheet = tmp_path / "releve.csv"
    write_csv_template(sheet)
    body = one_filled_line(sheet)
    sheet.write_bytes(body.replace(b"2.50", b"-3") if refused else body)
    reads: list[Path] = []
    original = survey_module._sheet_lines

    def counted(path: Path, *args: object, **kwargs: object) -> object:
        reads.append(path)
        return original(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(survey_module, "_sheet_lines", counted)
    result = runner.invoke(app, ["import", "survey", str(sheet)])
    assert result.exit_code == (1 if refused else 0), result.output
    assert len(reads) == 1
    assert ("rejected" if refused else "succeeded") in result.output
