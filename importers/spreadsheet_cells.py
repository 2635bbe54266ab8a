"""Spreadsheet safety: text that a spreadsheet would run as a formula is written as text."""

from __future__ import annotations

from typing import Any

# A cell starting with one of these is a formula (or a DDE call) to Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def starts_formula(value: Any) -> bool:
    """Tell whether a spreadsheet would read this text as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """Return a CSV cell a spreadsheet opens as text: a leading apostrophe defuses a formula."""
    return "'" + value if starts_formula(value) else value


def csv_line(values: list[Any]) -> list[Any]:
    """Return a CSV line with each risky text cell defused."""
    return [csv_cell(value) for value in values]


def read_csv_cell(text: str) -> str:
    """Undo csv_cell on a cell read back (the apostrophe before a formula start)."""
    if text.startswith("'") and starts_formula(text[1:]):
        return text[1:]
    return text


def make_inert(cell: Any) -> None:
    """Store an openpyxl cell's text as a string, shown as text even when edited."""
    if starts_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
