"""Spreadsheet safety: text that looks like a formula is written inert; formula cells refused."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import factories
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlmodel import Session

from core.basket_definitions import ensure_reference_basket
from core.db import get_engine, session_scope
from core.errors import InvalidInput
from core.models import PriceObservation, RefusedRow
from importers.base import run_import
from importers.generic_csv import GenericCsvImporter, Mapping
from importers.spreadsheet_cells import csv_cell, read_csv_cell
from importers.survey import SurveyImporter, write_template
from services.imports import export_refusals

HOSTILE = '=HYPERLINK("http://evil.example/x","clic")'


def make_hostile_store(db_url: str) -> None:
    with session_scope(db_url) as session:
        factories.make_store(session, code="iga-lachine", name=HOSTILE)
        ensure_reference_basket(session)
        session.commit()


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", HOSTILE])
def test_csv_cells_that_start_a_formula_are_prefixed(text: str) -> None:
    assert csv_cell(text) == "'" + text
    assert read_csv_cell(csv_cell(text)) == text


def test_plain_csv_cells_are_unchanged() -> None:
    assert csv_cell("Lait 2 %") == "Lait 2 %"
    assert csv_cell(3) == 3
    assert read_csv_cell("'quoted") == "'quoted"


def test_hostile_store_name_is_text_in_the_xlsx_template(db_url: str, tmp_path: Path) -> None:
    make_hostile_store(db_url)
    path = tmp_path / "releve.xlsx"
    write_template(path, "2026-10", ["iga-lachine"], "xlsx", url=db_url)
    sheet = load_workbook(path).active
    assert sheet is not None
    names = [row[2] for row in sheet.iter_rows(min_row=3)]
    assert names
    for cell in names:
        assert cell.value == HOSTILE
        assert cell.data_type == "s"  # a string, never a formula
        assert cell.quotePrefix


def test_hostile_store_name_is_inert_in_the_csv_template(db_url: str, tmp_path: Path) -> None:
    make_hostile_store(db_url)
    path = tmp_path / "releve.csv"
    write_template(path, "2026-10", ["iga-lachine"], "csv", url=db_url)
    with open(path, encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle))
    assert {line[2] for line in lines[2:]} == {"'" + HOSTILE}


def test_formula_cells_in_a_returned_sheet_are_refused(db_url: str, tmp_path: Path) -> None:
    make_hostile_store(db_url)
    path = tmp_path / "releve.xlsx"
    write_template(path, "2026-10", ["iga-lachine"], "xlsx", url=db_url)
    book = load_workbook(path)
    sheet = book.active
    assert sheet is not None
    sheet["G3"] = "=2+1.49"  # price as a formula: openpyxl saves no cached value
    sheet["G4"] = "3,49"
    for row in (3, 4):
        sheet[f"L{row}"] = "Awa"
        sheet[f"M{row}"] = "2026-10-05"
    book.save(path)
    summary = run_import(SurveyImporter(path), url=db_url, accept_valid=True)
    assert summary.refused_by_reason == {"formula_cell": 1}
    refusal = summary.refusals[0]
    assert (refusal.row_number, refusal.column) == (3, "price")
    assert "=2+1.49" in refusal.detail
    assert summary.imported == 1


def test_refused_rows_export_is_inert(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "map.toml").write_text(
        '[columns]\nname = "nom"\nprice = "prix"\n[defaults]\nstore = "S"\ndate = "2024-05-02"\n',
        encoding="utf-8",
    )
    path = tmp_path / "prices.csv"
    path.write_text(f'nom,prix\n"{HOSTILE.replace(chr(34), chr(34) * 2)}",=1+2\n', "utf-8")
    summary = run_import(GenericCsvImporter(path, Mapping.load(tmp_path / "map.toml")), url=db_url)
    assert summary.refused == 1
    output = tmp_path / "refused.csv"
    with Session(get_engine(db_url)) as session:
        # A sheet named like a formula (an xlsx allows it) and a detail quoting one.
        session.add(
            RefusedRow(
                import_id=summary.import_id,
                sheet=HOSTILE[:100],
                row_number=9,
                column="-x",
                reason="unreadable_price",
                detail="=1+2 is not a price",
                raw="{}",
            )
        )
        session.commit()
        assert export_refusals(session, summary.import_id, output) == 2
        assert session.execute(select(func.count()).select_from(PriceObservation)).scalar() == 0
    with open(output, encoding="utf-8", newline="") as handle:
        cells = [cell for line in csv.reader(handle) for cell in line]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'" + HOSTILE in cells
    assert "'=1+2 is not a price" in cells


def test_corrupt_or_truncated_xlsx_is_one_clear_line(db_url: str, tmp_path: Path) -> None:
    make_hostile_store(db_url)
    good = tmp_path / "good.xlsx"
    write_template(good, "2026-10", ["iga-lachine"], "xlsx", url=db_url)
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    not_xlsx = tmp_path / "other.xlsx"
    with zipfile.ZipFile(not_xlsx, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    for path in (truncated, not_xlsx):
        with pytest.raises(InvalidInput, match=re.escape(path.name)):
            run_import(SurveyImporter(path), url=db_url)
    assert count_observations(db_url) == 0


def count_observations(db_url: str) -> int:
    with Session(get_engine(db_url)) as session:
        return int(session.execute(select(func.count()).select_from(PriceObservation)).scalar_one())
