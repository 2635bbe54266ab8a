"""Every public list as JSON, CSV, NDJSON or Parquet, streamed a chunk at a time (the
writers are in services/table_files.py, which says why CSV is written as it is)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import StreamingResponse

from services.table_files import Separator, csv_chunks, ndjson_chunks, parquet_chunks

__all__ = ["Format", "FormatParam", "SepParam", "Separator", "chosen_format", "streamed"]


class Format(StrEnum):
    """The formats of a list."""

    json = "json"
    csv = "csv"
    ndjson = "ndjson"
    parquet = "parquet"


# The two query parameters of every list route.
FormatParam = Annotated[
    Format | None, Query(description="json, csv, ndjson or parquet; else the Accept header")
]
SepParam = Annotated[
    Separator, Query(description="CSV: comma (decimal point) or semicolon (decimal comma)")
]

MEDIA_TYPES = {
    Format.json: "application/json",
    Format.csv: "text/csv; charset=utf-8",
    Format.ndjson: "application/x-ndjson",
    Format.parquet: "application/vnd.apache.parquet",
}
_ACCEPTED = {
    "text/csv": Format.csv,
    "application/x-ndjson": Format.ndjson,
    "application/jsonl": Format.ndjson,
    "application/vnd.apache.parquet": Format.parquet,
    "application/x-parquet": Format.parquet,
    "application/json": Format.json,
}


def chosen_format(request: Request, asked: Format | None) -> Format:
    """Return the `format` parameter if given, else the first known type the client accepts."""
    if asked is not None:
        return asked
    for part in request.headers.get("accept", "").split(","):
        found = _ACCEPTED.get(part.split(";")[0].strip().lower())
        if found is not None:
            return found
    return Format.json


def streamed(
    chunks: Iterable[list[dict[str, Any]]],
    columns: dict[str, str],
    fmt: Format,
    name: str,
    sep: Separator = Separator.comma,
    headers: dict[str, str] | None = None,
    head: bool = False,
) -> StreamingResponse:
    """Return a streamed answer of the rows in a file format (not JSON), named `name`; for a
    HEAD request (`head`), its headers only, without reading a row."""
    if head:
        # A generator reads nothing until iterated: close it so its query never starts.
        getattr(chunks, "close", lambda: None)()
        body: Iterator[bytes] = iter(())
    elif fmt is Format.csv:
        body = csv_chunks(chunks, columns, sep)
    elif fmt is Format.ndjson:
        body = ndjson_chunks(chunks)
    else:
        body = parquet_chunks(chunks, columns)
    extension = {Format.csv: "csv", Format.ndjson: "ndjson", Format.parquet: "parquet"}[fmt]
    disposition = {"Content-Disposition": f'inline; filename="{name}.{extension}"'}
    return StreamingResponse(
        body, media_type=MEDIA_TYPES[fmt], headers={**disposition, **(headers or {})}
    )
