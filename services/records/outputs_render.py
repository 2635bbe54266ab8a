"""The outputs report as files: CSV (two blocks), XLSX (two sheets), JSON.

CSV: the outputs table (header = COLUMNS), an empty line, then the activities table (header =
ACTIVITY_COLUMNS), an empty line, then `excluded_without_consent,<n>`. Suppressed cells are
"x" in CSV and XLSX; in JSON they are null and listed under `suppressed`.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from services.records.outputs import OutputsReport
from services.records.suppression import shown

FORMATS = ("csv", "xlsx", "json")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def _lines(report: OutputsReport) -> tuple[list[list[Any]], list[list[Any]], list[list[Any]]]:
    """The two tables and the notes, cell by cell, suppressed cells as "x"."""
    outputs: list[list[Any]] = [list(report.columns)]
    outputs += [
        [row["dimension"], *(_cell(row[c]) for c in report.columns[1:])] for row in report.rows
    ]
    activities: list[list[Any]] = [list(report.activities.columns)]
    activities += [[row[c] for c in report.activities.columns] for row in report.activities.rows]
    notes: list[list[Any]] = [
        ["organisation", report.organisation],
        ["from", report.period_from],
        ["to", report.period_to],
        ["by", report.by or ""],
        ["threshold", report.threshold],
        ["rounded_to_5", "yes" if report.rounded_to_5 else "no"],
        ["excluded_without_consent", _cell(report.excluded_without_consent)],
    ]
    return outputs, activities, notes


def _cell(value: Any) -> Any:
    return shown(value) if value is None else value


def to_csv(report: OutputsReport) -> str:
    """The report as one CSV text: outputs block, activities block, consent note."""
    outputs, activities, notes = _lines(report)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(outputs)
    writer.writerow([])
    writer.writerows(activities)
    writer.writerow([])
    writer.writerow(notes[-1])
    return buffer.getvalue()


def to_xlsx(report: OutputsReport) -> bytes:
    """The report as a workbook: sheets extrants, activites and notes."""
    from openpyxl import Workbook

    outputs, activities, notes = _lines(report)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "extrants"
    for line in outputs:
        sheet.append(line)
    for title, lines in (("activites", activities), ("notes", notes)):
        other = workbook.create_sheet(title)
        for line in lines:
            other.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_json(report: OutputsReport) -> str:
    """The report as JSON (suppressed cells null, listed under `suppressed`)."""
    return report.model_dump_json(indent=2)


def render(report: OutputsReport, fmt: str) -> bytes:
    """The report in `fmt` (csv, xlsx or json) as bytes."""
    if fmt == "xlsx":
        return to_xlsx(report)
    if fmt == "csv":
        return to_csv(report).encode("utf-8")
    return to_json(report).encode("utf-8")
