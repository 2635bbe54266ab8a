"""The outputs report as files: CSV (three blocks), XLSX (four sheets), JSON.

CSV: the outputs table (header = COLUMNS), an empty line, the activities table (header =
ACTIVITY_COLUMNS), an empty line, the operations table (header = OPERATION_COLUMNS), an empty
line, then `excluded_without_consent,<n>`. XLSX: sheets extrants, activites, operations, notes.
Suppressed cells are "x" in CSV and XLSX; in JSON they are null and listed under `suppressed`.

The operations table is Le Sésame's section (services/records/outputs_sesame.py), one figure a
line with its French and English labels: first the totals (row "Total"), then each service by
territory (row = the territory's name, "inconnu" without one). An organisation without these
services gets the same lines, at 0.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from services.records.outputs import OutputsReport
from services.records.outputs_labels import operation_label
from services.records.outputs_sesame import TERRITORY_COLUMNS, SesameSection
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


OPERATION_COLUMNS = ("operations", "figure", "label_fr", "label_en", "value")
TOTAL = "Total"


def operation_lines(section: SesameSection) -> list[list[Any]]:
    """The operations table: header, the totals, then the figures by territory."""
    figures = section.model_dump()
    by_kind = figures.pop("volunteer_hours_by_kind")
    totals = {name: value for name, value in figures.items() if not isinstance(value, (dict, list))}
    totals.update({f"volunteer_hours_{kind}": hours for kind, hours in by_kind.items()})
    lines: list[list[Any]] = [list(OPERATION_COLUMNS)]
    lines += [[TOTAL, name, *operation_label(name), _cell(value)] for name, value in totals.items()]
    for row in section.territories:
        lines += [
            [row.name, name, *operation_label(name), _cell(getattr(row, name))]
            for name in TERRITORY_COLUMNS
        ]
    return lines


def _cell(value: Any) -> Any:
    return shown(value) if value is None else value


def to_csv(report: OutputsReport) -> str:
    """The report as one CSV text: outputs, activities and operations blocks, consent note."""
    outputs, activities, notes = _lines(report)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(outputs)
    writer.writerow([])
    writer.writerows(activities)
    writer.writerow([])
    writer.writerows(operation_lines(report.sesame))
    writer.writerow([])
    writer.writerow(notes[-1])
    return buffer.getvalue()


def to_xlsx(report: OutputsReport) -> bytes:
    """The report as a workbook: sheets extrants, activites, operations and notes."""
    from openpyxl import Workbook

    outputs, activities, notes = _lines(report)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "extrants"
    for line in outputs:
        sheet.append(line)
    sheets = (
        ("activites", activities),
        ("operations", operation_lines(report.sesame)),
        ("notes", notes),
    )
    for title, lines in sheets:
        other = workbook.create_sheet(title)
        for line in lines:
            other.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def operations_file(section: SesameSection, fmt: str) -> bytes:
    """The operations section on its own (`ppne operations outputs`): CSV, or XLSX with the
    one sheet `operations`; the same lines as in the whole report's files."""
    lines = operation_lines(section)
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(lines)
        return buffer.getvalue().encode("utf-8")
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "operations"
    for line in lines:
        sheet.append(line)
    binary = io.BytesIO()
    workbook.save(binary)
    return binary.getvalue()


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
