"""Data tables beside the editions, as CSV and XLSX, byte for byte the same on every run."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

import pandas as pd

# Any stamp would do; the zip format's own epoch says "no date" most plainly.
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = "1980-01-01T00:00:00Z"
_DOC_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:(created|modified)>)")


def write_csv(table: pd.DataFrame, path: Path) -> Path:
    """Write a table as UTF-8 CSV with a BOM (spreadsheets then read the accents right)."""
    path.write_text(table.to_csv(index=False, lineterminator="\n"), encoding="utf-8-sig")
    return path


def write_xlsx(sheets: dict[str, pd.DataFrame], path: Path) -> Path:
    """Write tables as the sheets of one workbook, with no date stamped anywhere in it."""
    from openpyxl import Workbook  # only the press kit writes a workbook: imported then

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for name, table in sheets.items():
        sheet = workbook.create_sheet(name[:31])
        sheet.append([str(column) for column in table.columns])
        for row in table.itertuples(index=False):
            sheet.append([None if pd.isna(value) else value for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    path.write_bytes(fixed_zip(buffer.getvalue()))
    return path


def fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip (an XLSX) with fixed entry times and document dates, entries in order."""
    source = zipfile.ZipFile(BytesIO(data))
    output = BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _DOC_TIMES.sub(
                    lambda m: m.group(1) + FIXED_DOC_TIME.encode() + m.group(3), content
                )
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return output.getvalue()


def write_zip(files: list[Path], root: Path, path: Path) -> Path:
    """Zip files (named relative to `root`) with fixed times, in name order."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for file in sorted(files, key=lambda f: f.relative_to(root).as_posix()):
            entry = zipfile.ZipInfo(file.relative_to(root).as_posix(), date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, file.read_bytes())
    return path
