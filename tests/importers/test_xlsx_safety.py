"""A workbook is checked before it is opened: by the CLI and the upload alike."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from core.errors import InvalidInput
from importers.xlsx_safety import check_xlsx


def write_bomb(path: Path, expanded: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<sheetData>" + b" " * expanded)


def test_a_real_workbook_passes(tmp_path: Path) -> None:
    book = Workbook()
    path = tmp_path / "releve.xlsx"
    book.save(path)
    check_xlsx(path)


def test_the_cap_counts_every_part_together(tmp_path: Path) -> None:
    path = tmp_path / "releve.xlsx"
    write_bomb(path, 5_000_000)
    check_xlsx(path, max_expanded=6_000_000)
    with pytest.raises(InvalidInput, match="over the 4 MB limit"):
        check_xlsx(path, max_expanded=4_000_000)


def test_refusals_name_the_file_never_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "upload.xlsx"
    path.write_bytes(b"plain text")
    with pytest.raises(InvalidInput) as refused:
        check_xlsx(path, name="releve.xlsx")
    assert str(refused.value) == "releve.xlsx: not an xlsx workbook (not a zip archive)"
    assert str(tmp_path) not in str(refused.value)


def test_a_crc_mismatch_is_corrupt(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    data = out.getvalue().replace(b"<workbook/>", b"<workbook?>")
    path = tmp_path / "releve.xlsx"
    path.write_bytes(data)
    with pytest.raises(InvalidInput, match="corrupt or truncated"):
        check_xlsx(path)


def test_ppne_import_survey_refuses_a_bomb_in_one_line(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    write_bomb(path, 60_000_000)
    result = subprocess.run(
        [sys.executable, "-m", "cli", "import", "survey", str(path)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "bomb.xlsx: expands to 60 MB, over the 50 MB limit" in lines[0]
