"""Rows written as CSV, NDJSON or Parquet bytes a chunk at a time: the API streams them, the
bulk dump writes them to files.

CSV: UTF-8 with a byte-order mark (so that Excel reads accents right), comma separator and a
decimal point, as RFC 4180 and every data tool expect. `Separator.semicolon` writes `;` and a
decimal comma instead: what a spreadsheet set to French (Canada or France) opens in columns
with numbers it can add up. Parquet: one row group per chunk, typed columns (prices as
decimals with two places, times in UTC).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from enum import StrEnum
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq


class Separator(StrEnum):
    """The CSV separator: comma (with a decimal point) or semicolon (with a decimal comma)."""

    comma = "comma"
    semicolon = "semicolon"


_ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "datetime": pa.timestamp("us", tz="UTC"),
    "date": pa.date32(),
    "decimal": pa.decimal128(12, 2),
}


def _csv_value(value: Any, decimal_comma: bool) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if decimal_comma:
        return str(value).replace(".", ",")
    return value


def csv_chunks(
    chunks: Iterable[list[dict[str, Any]]], columns: dict[str, str], sep: Separator
) -> Iterator[bytes]:
    """Yield the CSV bytes of the rows, a header first, a BOM before it."""
    semicolon = sep is Separator.semicolon
    decimals_comma = {
        name for name, kind in columns.items() if semicolon and kind in ("decimal", "number")
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if semicolon else ",", lineterminator="\r\n")
    writer.writerow(columns)
    yield b"\xef\xbb\xbf" + buffer.getvalue().encode()
    for chunk in chunks:
        buffer.seek(0)
        buffer.truncate()
        for row in chunk:
            writer.writerow([_csv_value(row[name], name in decimals_comma) for name in columns])
        yield buffer.getvalue().encode()


def ndjson_chunks(chunks: Iterable[list[dict[str, Any]]]) -> Iterator[bytes]:
    """Yield one JSON object per line."""
    for chunk in chunks:
        yield "".join(json.dumps(row, default=str) + "\n" for row in chunk).encode()


def arrow_schema(columns: dict[str, str]) -> pa.Schema:
    """Return the Arrow schema of columns named with their Table Schema type."""
    return pa.schema([(name, _ARROW_TYPES[kind]) for name, kind in columns.items()])


def _arrow_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "decimal":
        return Decimal(str(value))
    return value


class _Drain(io.RawIOBase):
    """A write-only file that keeps what it is given until drained."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        found = b"".join(self.parts)
        self.parts.clear()
        return found


def parquet_chunks(
    chunks: Iterable[list[dict[str, Any]]], columns: dict[str, str]
) -> Iterator[bytes]:
    """Yield a Parquet file a row group at a time: memory holds one chunk, never the list."""
    schema = arrow_schema(columns)
    sink = _Drain()
    writer = pq.ParquetWriter(sink, schema, compression="zstd")
    try:
        for chunk in chunks:
            arrays = [
                pa.array([_arrow_value(row[name], kind) for row in chunk], type=_ARROW_TYPES[kind])
                if kind not in ("datetime", "date")
                else pa.array(
                    [_arrow_value(row[name], kind) for row in chunk], type=pa.string()
                ).cast(_ARROW_TYPES[kind])
                for name, kind in columns.items()
            ]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            yield sink.drain()
    finally:
        writer.close()
    yield sink.drain()
