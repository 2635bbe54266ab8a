"""The shared importer: stream rows from a file, write them in batches, report what happened."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from collectors.importers.records import ImportedRow, PriceRow, ReferenceRow, Refusal
from collectors.importers.store import ImportStore, finish_import, start_import
from core.db import get_engine, session_scope
from core.regions import ensure_regions
from core.settings import get_settings

BATCH_SIZE = 10_000
# The survey report lists every refused row; a file of millions only keeps the first ones.
REPORT_LIMIT = 1000


@dataclass
class ImportSummary:
    """What an import read, wrote, skipped and refused."""

    import_id: int
    kind: str
    source_file: str
    status: str = "running"
    rows_read: int = 0
    imported: int = 0
    duplicates: int = 0
    refused: int = 0
    refused_by_reason: Counter[str] = field(default_factory=Counter)
    refusals: list[Refusal] = field(default_factory=list)

    def as_report(self) -> dict[str, Any]:
        """Return the summary as plain data (the API's validation report)."""
        return {
            "import_id": self.import_id,
            "kind": self.kind,
            "file": self.source_file,
            "status": self.status,
            "rows_read": self.rows_read,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "refused": self.refused,
            "refused_by_reason": dict(self.refused_by_reason),
            "refused_rows": [
                {
                    "sheet": refusal.sheet,
                    "row": refusal.row_number,
                    "column": refusal.column,
                    "reason": refusal.reason,
                    "detail": refusal.detail,
                }
                for refusal in self.refusals
            ],
        }


class Importer:
    """A file format: subclasses yield rows; the base batches, writes and counts."""

    kind: ClassVar[str] = "file"
    # True for formats that import nothing while any row is refused (the survey).
    all_or_nothing: ClassVar[bool] = False

    def __init__(self, path: Path, **options: Any) -> None:
        self.path = Path(path)
        self.options = options
        self.url: str | None = None  # set by run_import before prepare()

    def prepare(self) -> None:
        """Load what the rows need from the database (stores, basket items) before reading."""

    def rows(self) -> Iterator[ImportedRow]:
        """Yield every row of the file as a price, a reference value or a refusal."""
        raise NotImplementedError


def open_text(path: Path) -> io.TextIOWrapper:
    """Open a text file for csv, dropping a byte-order mark if there is one."""
    return open(path, encoding="utf-8-sig", newline="")


def csv_records(path: Path, delimiter: str = ",") -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row by header) for each data row of a CSV file, streaming."""
    with open_text(path) as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        for row in reader:
            yield reader.line_num, row


def run_import(
    importer: Importer,
    *,
    url: str | None = None,
    accept_valid: bool = True,
    batch_size: int = BATCH_SIZE,
    progress: bool = False,
) -> ImportSummary:
    """Import a file in batches, one transaction each; return the summary.

    An all-or-nothing importer first reads the whole file to validate it, and writes only the
    refused rows unless ``accept_valid`` is given.
    """
    # One engine per actual URL: get_engine(None) would cache a second engine for the same one.
    url = url or get_settings().database_url
    engine = get_engine(url)
    with session_scope(url) as session:
        ensure_regions(session)
        session.commit()
    importer.url = url
    importer.prepare()
    import_id = start_import(engine, importer.kind, str(importer.path))
    summary = ImportSummary(import_id, importer.kind, str(importer.path))
    store = ImportStore(engine, import_id, str(importer.path), importer.kind)
    try:
        if importer.all_or_nothing and not accept_valid and _has_refusals(importer):
            _write(importer, store, summary, batch_size, progress, refusals_only=True)
            summary.status = "rejected"
        else:
            _write(importer, store, summary, batch_size, progress, refusals_only=False)
            summary.status = "succeeded"
    except BaseException as error:
        finish_import(engine, import_id, "failed", f"{type(error).__name__}: {error}")
        raise
    message = None
    if summary.status == "rejected":
        message = "refused rows found: nothing imported (use --accept-valid to import the rest)"
    finish_import(engine, import_id, summary.status, message)
    return summary


def _has_refusals(importer: Importer) -> bool:
    return any(isinstance(row, Refusal) for row in importer.rows())


def _write(
    importer: Importer,
    store: ImportStore,
    summary: ImportSummary,
    batch_size: int,
    show_progress: bool,
    *,
    refusals_only: bool,
) -> None:
    prices: list[PriceRow] = []
    references: list[ReferenceRow] = []
    refusals: list[Refusal] = []

    def flush() -> None:
        counts = store.write_batch(prices, references, refusals, summary.rows_read)
        summary.imported += counts.imported
        summary.duplicates += counts.duplicates
        summary.refused += counts.refused
        prices.clear()
        references.clear()
        refusals.clear()

    with _progress(show_progress, importer) as (bar, task):
        for row in importer.rows():
            summary.rows_read += 1
            if isinstance(row, Refusal):
                refusals.append(row)
                summary.refused_by_reason[row.reason] += 1
                if len(summary.refusals) < REPORT_LIMIT:
                    summary.refusals.append(row)
            elif refusals_only:
                pass
            elif isinstance(row, PriceRow):
                prices.append(row)
            else:
                references.append(row)
            if len(prices) + len(references) + len(refusals) >= batch_size:
                flush()
                if bar is not None:
                    bar.update(task, completed=summary.rows_read)
        flush()
        if bar is not None:
            bar.update(task, completed=summary.rows_read)


class _progress:
    """A rich progress bar on stderr counting rows, or nothing when not asked for."""

    def __init__(self, enabled: bool, importer: Importer) -> None:
        self.bar = (
            Progress(
                TextColumn(f"[bold]{importer.kind}[/] {importer.path.name}"),
                BarColumn(),
                TextColumn("{task.completed:,} rows"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            if enabled
            else None
        )

    def __enter__(self) -> tuple[Progress | None, Any]:
        if self.bar is None:
            return None, None
        self.bar.start()
        return self.bar, self.bar.add_task("import", total=None)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
