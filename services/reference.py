"""Use case of the public reference tables: their rows in chunks, typed for every format."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from core.db import get_engine
from core.queries.reference import REFERENCE_TABLES

CHUNK = 5_000


def _public_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "number" and isinstance(value, Decimal):
        return float(value)
    if kind == "decimal":
        return str(Decimal(value).quantize(Decimal("0.01")))
    if kind == "datetime" and isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if kind == "date" and isinstance(value, date):
        return value.isoformat()
    return value


def reference_chunks(url: str, name: str) -> Iterator[list[dict[str, Any]]]:
    """Yield the rows of the reference table `name` (see REFERENCE_TABLES), in chunks."""
    table = REFERENCE_TABLES[name]
    kinds = list(table.columns.items())
    with get_engine(url).connect() as connection:
        result = connection.execution_options(stream_results=True).execute(table.statement)
        for chunk in result.partitions(CHUNK):
            yield [
                {
                    column: _public_value(value, kind)
                    for (column, kind), value in zip(kinds, row, strict=True)
                }
                for row in chunk
            ]


def reference_rows(url: str, name: str) -> list[dict[str, Any]]:
    """Return every row of a reference table (they are small)."""
    return [row for chunk in reference_chunks(url, name) for row in chunk]
