"""A workbook declaring or holding too many rows, columns or shared strings is refused unopened."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from core.errors import InvalidInput
from importers.xlsx_safety import MAX_ROWS, MAX_SHARED_STRINGS, check_xlsx


def write_workbook(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for part, data in parts.items():
            archive.writestr(part, data)
    return path


def sheet(dimension: str, rows: int = 1) -> bytes:
    cells = b"".join(
        b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(1, rows + 1)
    )
    return (
        b'<worksheet><dimension ref="'
        + dimension.encode()
        + b'"/><sheetData>'
        + cells
        + b"</sheetData></worksheet>"
    )


def test_a_sheet_declaring_too_many_rows_is_refused(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "up.xlsx", {"xl/worksheets/sheet1.xml": sheet("A1:F999999")})
    with pytest.raises(InvalidInput) as refused:
        check_xlsx(path, name="releve.xlsx")
    assert str(refused.value) == (
        "releve.xlsx: xl/worksheets/sheet1.xml declares 999,999 rows (A1:F999999), "
        "over the 100,000 row limit"
    )


def test_a_sheet_declaring_too_many_columns_is_refused(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "up.xlsx", {"xl/worksheets/sheet1.xml": sheet("A1:ZZ10")})
    with pytest.raises(InvalidInput, match=r"^releve\.xlsx: .* declares 702 columns \(A1:ZZ10\)"):
        check_xlsx(path, name="releve.xlsx")


def test_a_sheet_at_the_limits_passes(tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "up.xlsx", {"xl/worksheets/sheet1.xml": sheet(f"A1:GR{MAX_ROWS}", rows=3)}
    )
    check_xlsx(path)  # GR is column 200


def test_a_sheet_holding_too_many_rows_without_saying_so_is_refused(tmp_path: Path) -> None:
    # A dimension of A1 (or none) is legal; the rows themselves are counted as they stream by,
    # including a tag split across two read chunks.
    path = write_workbook(
        tmp_path / "up.xlsx", {"xl/worksheets/sheet1.xml": sheet("A1", rows=MAX_ROWS + 1)}
    )
    with pytest.raises(InvalidInput, match=r"sheet1\.xml has over 100,000 rows, the limit"):
        check_xlsx(path, name="releve.xlsx")


def test_too_many_shared_strings_are_refused(tmp_path: Path) -> None:
    strings = b"<sst>" + b"<si><t>a</t></si>" * (MAX_SHARED_STRINGS + 1) + b"</sst>"
    path = write_workbook(tmp_path / "up.xlsx", {"xl/sharedStrings.xml": strings})
    with pytest.raises(InvalidInput) as refused:
        check_xlsx(path, name="releve.xlsx")
    assert str(refused.value) == (
        "releve.xlsx: xl/sharedStrings.xml has over 1,000,000 shared strings, the limit"
    )
    assert "\n" not in str(refused.value) and str(tmp_path) not in str(refused.value)


def test_exactly_the_limit_of_shared_strings_passes(tmp_path: Path) -> None:
    strings = b"<sst>" + b"<si ><t>a</t></si>" * MAX_SHARED_STRINGS + b"</sst>"
    path = write_workbook(tmp_path / "up.xlsx", {"xl/sharedStrings.xml": strings})
    check_xlsx(path)


def test_a_real_workbook_with_text_and_numbers_passes(tmp_path: Path) -> None:
    book = Workbook()
    page = book.active
    assert page is not None
    for n in range(500):
        page.append([f"magasin {n}", n * 1.5, "Awa"])
    book.save(tmp_path / "releve.xlsx")
    check_xlsx(tmp_path / "releve.xlsx")
