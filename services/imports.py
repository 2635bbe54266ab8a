"""Import files of each kind, list past imports, and read or export the rows they refused."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from core.db import get_engine, session_scope
from core.errors import InvalidInput, NotFound
from core.models import DataImport
from core.observations.gate import DEFAULT_BOUNDS, PriceBounds
from core.queries.imports import data_imports, refused_rows
from importers.base import Importer, ImportSummary, run_import
from importers.flyers import FlyerImporter
from importers.generic_csv import GenericCsvImporter, Mapping
from importers.openprices import OpenPricesImporter
from importers.runs import mark_interrupted
from importers.spreadsheet_cells import csv_line
from importers.statcan import StatcanImporter
from importers.survey import SurveyImporter

__all__ = ["IMPORT_KINDS", "ImportRecord", "ImportSummary", "RefusedRecord", "import_file"]

# Each kind builds its importer from the file and the options the command line passes.
# Every kind takes `encoding` (detected when not given).
_IMPORTERS: dict[str, Callable[..., Importer]] = {
    "survey": lambda path, encoding=None: SurveyImporter(path, encoding=encoding),
    "statcan": lambda path, layout=None, table=None, encoding=None: StatcanImporter(
        path, layout=layout, table=table, encoding=encoding
    ),
    "openprices": lambda path, encoding=None: OpenPricesImporter(path, encoding=encoding),
    "flyers": lambda path, region="montreal", encoding=None: FlyerImporter(
        path, region=region, encoding=encoding
    ),
    "csv": lambda path, mapping, encoding=None: GenericCsvImporter(
        path, Mapping.load(mapping), encoding=encoding
    ),
}
IMPORT_KINDS = tuple(_IMPORTERS)


@dataclass(frozen=True)
class ImportRecord:
    """One past import and its counts."""

    import_id: int
    kind: str
    status: str
    started_at: datetime
    rows_read: int
    rows_imported: int
    duplicates: int
    rows_refused: int
    source_file: str
    message: str | None


@dataclass(frozen=True)
class RefusedRecord:
    """One row an import refused: where it was, why, and the source row as JSON text."""

    sheet: str | None
    row_number: int
    column: str | None
    reason: str
    detail: str
    raw: str


def import_file(
    url: str,
    kind: str,
    path: Path,
    *,
    accept_valid: bool = True,
    progress: bool = False,
    price_bounds: PriceBounds = DEFAULT_BOUNDS,
    **options: object,
) -> ImportSummary:
    """Import a file of a kind into the database at `url`, a transaction per batch.

    Options by kind: statcan `layout`, `table`; flyers `region`; csv `mapping` (a TOML file);
    every kind `encoding` (BOM, else UTF-8, else cp1252 when not given).
    A price outside `price_bounds` (the price gate's) is a refused row.
    A survey with refused rows imports nothing unless `accept_valid` is given.

    Raises:
        InvalidInput: the kind is unknown or the file cannot be read as that kind.
    """
    build = _IMPORTERS.get(kind)
    if build is None:
        raise InvalidInput(f"unknown import kind {kind!r}: use one of {', '.join(IMPORT_KINDS)}")
    given = {name: value for name, value in options.items() if value is not None}
    return run_import(
        build(path, **given),
        url=url,
        accept_valid=accept_valid,
        progress=progress,
        price_bounds=price_bounds,
    )


def list_imports(url: str) -> list[ImportRecord]:
    """Return every import, oldest first, after marking those whose process died interrupted."""
    mark_interrupted(get_engine(url))
    with session_scope(url) as session:
        return [_record(item) for item in data_imports(session)]


def import_refusals(session: Session, import_id: int) -> list[RefusedRecord]:
    """Return the rows an import refused, with their reasons.

    Raises:
        NotFound: no import has this id.
    """
    if session.get(DataImport, import_id) is None:
        raise NotFound(f"no import {import_id}")
    return [
        RefusedRecord(row.sheet, row.row_number, row.column, row.reason, row.detail, row.raw)
        for row in refused_rows(session, import_id)
    ]


def export_refusals(session: Session, import_id: int, output: Path) -> int:
    """Write an import's refused rows to a CSV file; return how many.

    Raises:
        NotFound: no import has this id.
    """
    rows = import_refusals(session, import_id)
    with open(output, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["sheet", "row", "column", "reason", "detail", "raw"])
        for row in rows:
            # Refused rows are what a hostile file holds: a spreadsheet must show them as text.
            writer.writerow(
                csv_line(
                    [
                        row.sheet or "",
                        row.row_number,
                        row.column or "",
                        row.reason,
                        row.detail,
                        row.raw,
                    ]
                )
            )
    return len(rows)


def _record(item: DataImport) -> ImportRecord:
    assert item.id is not None
    return ImportRecord(
        import_id=item.id,
        kind=item.kind,
        status=item.status,
        started_at=item.started_at,
        rows_read=item.rows_read,
        rows_imported=item.rows_imported,
        duplicates=item.duplicates,
        rows_refused=item.rows_refused,
        source_file=item.source_file,
        message=item.message,
    )
