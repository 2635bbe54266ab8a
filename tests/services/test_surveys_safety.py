"""Which sheet checks the API server runs itself, and which wait for the import's child."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from core.errors import InvalidInput
from importers.survey import check_sheet_envelope, check_sheet_safety
from importers.xlsx_safety import MAX_ROWS

HEADER = "Période,Code du magasin,Code de l'article,Prix ($),Enquêteur·rice,Date (AAAA-MM-JJ)\n"


def write_csv(path: Path, blank_lines: int) -> Path:
    path.write_bytes(HEADER.encode() + b",,,,,\n" * blank_lines)
    return path


def xlsx_declaring_entities(path: Path) -> Path:
    book = Workbook()
    out = io.BytesIO()
    book.save(out)
    source = zipfile.ZipFile(out)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + data[38:]
            archive.writestr(entry, data)
    return path


def test_a_csv_over_the_row_limit_is_refused_by_its_line_count(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "upload.csv", MAX_ROWS)  # with its header: one line too many
    with pytest.raises(InvalidInput, match=r"^releve\.csv: over 100,000 lines, the limit"):
        check_sheet_safety(path, "releve.csv")


def test_a_csv_at_the_row_limit_passes(tmp_path: Path) -> None:
    check_sheet_safety(write_csv(tmp_path / "upload.csv", MAX_ROWS - 1), "releve.csv")


def test_the_envelope_check_does_not_count_lines(tmp_path: Path) -> None:
    # The server runs this one: it reads 8 KB, the line count is left to the child.
    check_sheet_envelope(write_csv(tmp_path / "upload.csv", MAX_ROWS + 10), "releve.csv")


def test_the_envelope_check_refuses_a_binary_csv(tmp_path: Path) -> None:
    path = tmp_path / "upload.csv"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(InvalidInput, match="a binary file, not a CSV sheet"):
        check_sheet_envelope(path, "releve.csv")


def test_the_envelope_check_refuses_a_bomb_from_its_zip_directory(tmp_path: Path) -> None:
    path = tmp_path / "upload.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<sheetData>" + b" " * 60_000_000)
    with pytest.raises(InvalidInput, match="expands to 60 MB, over the 50 MB limit"):
        check_sheet_envelope(path, "releve.xlsx")


def test_only_the_full_check_expands_the_parts(tmp_path: Path) -> None:
    path = xlsx_declaring_entities(tmp_path / "upload.xlsx")
    check_sheet_envelope(path, "releve.xlsx")  # its zip directory is a workbook's
    with pytest.raises(InvalidInput, match="declares a document type or entities"):
        check_sheet_safety(path, "releve.xlsx")
