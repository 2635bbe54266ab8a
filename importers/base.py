"""The shared importer: stream rows from a file, write them in batches, report what happened."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, cast

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from core.db import get_engine, session_scope
from core.errors import InvalidInput
from core.observations.gate import DEFAULT_BOUNDS, PriceBounds
from core.regions import accepted_region_codes, ensure_regions
from core.settings import get_settings
from importers.batches import Batch, Target, read_batches, screened
from importers.encodings import TextFile, checked_encoding
from importers.gc_batches import after_batch, collection_between_batches
from importers.records import ImportedRow, Refusal
from importers.runs import finish_import, mark_interrupted, start_import
from importers.store import ImportStore
from importers.worker import WorkerBatches, core_free, worker_available

# Rows a transaction. Each commit rewrites the index pages its rows touched (the content
# hash puts them everywhere): 25,000 rather than 10,000 took 5 % less CPU on 200,000 rows.
BATCH_SIZE = 25_000
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
    # Whether a second process read and prepared the rows (worker.py), for the benchmark.
    reading_worker: bool = False

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
        given = options.get("encoding")
        # An unknown encoding is refused before the import starts.
        self.encoding: str | None = checked_encoding(given) if given else None
        self.url: str | None = None  # set by run_import before prepare()

    @property
    def source_name(self) -> str:
        """Return the name the import records and reports: the path, or the name it was sent as.

        An upload is saved under a temporary path that must not reach an answer or a record.
        """
        return str(self.options.get("source_name") or self.path)

    def prepare(self) -> None:
        """Load what the rows need from the database (stores, basket items) before reading."""

    def rows(self) -> Iterator[ImportedRow]:
        """Yield every row of the file as a price, a reference value or a refusal."""
        raise NotImplementedError


# The longest CSV field read (Python's own default): a longer one refuses the file in one line.
# Set on every open, since the limit is process-wide and a library (frictionless, imported by
# the data dumps) raises it when it loads.
CSV_FIELD_LIMIT = 131_072


def open_text(path: Path, encoding: str | None = None) -> TextFile:
    """Open a text file for csv or json in its encoding (detected unless given)."""
    csv.field_size_limit(CSV_FIELD_LIMIT)
    return TextFile(path, encoding)


def csv_records(
    path: Path, delimiter: str = ",", encoding: str | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row by header) for each data row of a CSV file, streaming."""
    with open_text(path, encoding) as handle:
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
    price_bounds: PriceBounds = DEFAULT_BOUNDS,
) -> ImportSummary:
    """Import a file in batches, one transaction each; return the summary.

    An all-or-nothing importer first reads the whole file to validate it, and writes only the
    refused rows unless ``accept_valid`` is given. Every price passes the price gate
    (core.observations.gate) within ``price_bounds``: a price refused there is a refused row.
    """
    # One engine per actual URL: get_engine(None) would cache a second engine for the same one.
    url = url or get_settings().database_url
    engine = get_engine(url)
    with session_scope(url) as session:
        ensure_regions(session)
        session.commit()
        # Read before the reading process forks: a row naming another region is refused there.
        regions = accepted_region_codes(session)
    mark_interrupted(engine)
    importer.url = url
    importer.prepare()
    source = importer.source_name
    import_id = start_import(engine, importer.kind, source)
    summary = ImportSummary(import_id, importer.kind, source)
    store = ImportStore(engine, import_id, source, importer.kind)
    target = Target(engine.dialect.name, import_id, importer.kind, source, regions, price_bounds)
    try:
        refusals_only = False
        source: Importer = importer
        if importer.all_or_nothing and not accept_valid:
            refusals_only, source = _screen_first(importer, target)
        batches = _batches(source, target, batch_size, refusals_only)
        summary.reading_worker = isinstance(batches, WorkerBatches)
        try:
            with collection_between_batches():
                _write(batches, store, summary, _progress(progress, importer))
        finally:
            batches.close()  # stops the reading process if writing failed part-way
            store.close()
        summary.status = "rejected" if refusals_only else "succeeded"
    except csv.Error as error:
        # A field past the csv limit or a broken quote: one line naming the file, not a trace.
        finish_import(engine, import_id, "failed", f"Error: {error}")
        raise InvalidInput(f"{importer.path.name}: not a readable CSV ({error})") from error
    except BaseException as error:
        finish_import(engine, import_id, "failed", f"{type(error).__name__}: {error}")
        raise
    message = None
    if summary.status == "rejected":
        message = "refused rows found: nothing imported (use --accept-valid to import the rest)"
    finish_import(engine, import_id, summary.status, message)
    return summary


# An all-or-nothing file is screened whole before anything is written; its rows are kept for
# the import so the file is read once. Beyond this many (no survey sheet comes near: a
# store's sheet has one line per basket item) it is read again rather than held in memory.
REPLAY_LIMIT = 100_000


class _Replay:
    """An importer whose rows() gives back rows already read; everything else is the original."""

    def __init__(self, importer: Importer, rows: list[Any]) -> None:
        self._importer = importer
        self._rows = rows

    def rows(self) -> Iterator[Any]:
        return iter(self._rows)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._importer, name)


def _screen_first(importer: Importer, target: Target) -> tuple[bool, Importer]:
    """Read every row once: whether any is refused, and where the import reads them from."""
    kept: list[Any] | None = []
    refused = False
    for row in importer.rows():
        refused = refused or isinstance(screened(row, target), Refusal)
        if kept is not None:
            kept.append(row)
            if len(kept) > REPLAY_LIMIT:
                kept = None
    if kept is None:
        return refused, importer
    return refused, cast(Importer, _Replay(importer, kept))


def _batches(
    importer: Importer, target: Target, batch_size: int, refusals_only: bool
) -> WorkerBatches | Generator[Batch, None, None]:
    def produce() -> Generator[Batch, None, None]:
        return read_batches(importer, target, batch_size, refusals_only=refusals_only)

    if get_settings().import_worker and worker_available() and core_free():
        return WorkerBatches(produce)
    return produce()


def _write(
    batches: Iterable[Batch], store: ImportStore, summary: ImportSummary, bar: _progress
) -> None:
    with bar:
        for batch in batches:
            counts = store.write_batch(batch)
            summary.rows_read = batch.rows_read
            summary.imported += counts.imported
            summary.duplicates += counts.duplicates
            summary.refused += counts.refused
            for refusal in batch.refusals:
                summary.refused_by_reason[refusal.reason] += 1
                if len(summary.refusals) < REPORT_LIMIT:
                    summary.refusals.append(refusal)
            bar.update(summary.rows_read)
            after_batch()


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
        self.task: Any = None

    def __enter__(self) -> _progress:
        if self.bar is not None:
            self.bar.start()
            self.task = self.bar.add_task("import", total=None)
        return self

    def update(self, rows: int) -> None:
        """Show how many rows were read and written so far."""
        if self.bar is not None:
            self.bar.update(self.task, completed=rows)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
