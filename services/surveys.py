"""Import a filled survey sheet sent by upload, and report how its rows were validated."""

from __future__ import annotations

import multiprocessing
import os
import re
import tempfile
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import BinaryIO

from core.errors import InvalidInput, TooLarge
from core.observations.gate import DEFAULT_BOUNDS, PriceBounds
from importers.base import ImportSummary, run_import
from importers.survey import SurveyImporter, check_sheet_envelope

SHEET_SUFFIXES = (".csv", ".xlsx")
DEFAULT_MAX_BYTES = 10_000_000
MAX_NAME = 255
CHUNK = 1 << 20
CHILD_NICENESS = 10
# Characters kept of a sent name: it is shown and recorded, never used as a path.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def sent_name(filename: str | None) -> str:
    """Return the base name a file was sent under, without folders or control characters."""
    name = _UNSAFE.sub("", re.split(r"[\\/]", filename or "")[-1]).strip()
    if len(name) > MAX_NAME:
        suffix = Path(name).suffix[:16]
        name = name[: MAX_NAME - len(suffix)] + suffix
    return name or "survey.csv"


def import_survey_upload(
    upload: BinaryIO,
    filename: str | None,
    *,
    accept_valid: bool = False,
    database_url: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    price_bounds: PriceBounds = DEFAULT_BOUNDS,
    in_child_process: bool = False,
) -> ImportSummary:
    """Save an uploaded survey sheet aside, validate it and import it; return the summary.

    The import owns its transactions (one per batch), so it takes a database URL rather
    than a session. The sheet is saved under a fixed temporary name; the import records and
    reports the name it was sent under, never the server's path.

    Args:
        filename: the name the sheet was sent under; its suffix says xlsx or csv.
        accept_valid: import the valid rows even if some are refused.
        max_bytes: the largest sheet taken.
        in_child_process: run the import in a child process (the API does): its row loops
            hold the GIL, and in a thread of the server they kept every other request
            waiting (/health took up to 3.4 s during a 50 MB upload on 2 cores).

    Raises:
        InvalidInput: the sheet is neither .xlsx nor .csv, or is not readable as one.
        TooLarge: the sheet is over `max_bytes`.
    """
    name = sent_name(filename)
    suffix = Path(name).suffix.lower()
    if suffix not in SHEET_SUFFIXES:
        raise InvalidInput(f"survey sheets are .xlsx or .csv, not {suffix!r}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        _save(upload, path, max_bytes)
        if not in_child_process:
            return _import_saved(path, name, database_url, accept_valid, price_bounds)
        # A bomb that says so in its zip directory, or a binary file, is refused at once,
        # without waiting for a child. The checks that read the whole sheet (every part of an
        # xlsx expanded, every line of a CSV counted) run in the child, before its first row:
        # in a thread here they would hold, for as long as they read, the GIL the event loop needs.
        check_sheet_envelope(path, name)
        settings = {key: value for key, value in os.environ.items() if key.startswith("PPNE_")}
        # One upload at a time: two imports would compete for the two cores and the writer.
        with _ONE_AT_A_TIME, _child_pool() as pool:
            future = pool.submit(
                _import_in_child, settings, path, name, database_url, accept_valid, price_bounds
            )
            return future.result()


def _import_saved(
    path: Path, name: str, url: str | None, accept_valid: bool, bounds: PriceBounds
) -> ImportSummary:
    importer = SurveyImporter(path, source_name=name)
    return run_import(importer, url=url, accept_valid=accept_valid, price_bounds=bounds)


def _import_in_child(
    settings: dict[str, str],
    path: Path,
    name: str,
    url: str | None,
    accept_valid: bool,
    bounds: PriceBounds,
) -> ImportSummary:
    """Run in the child: take the caller's PPNE_ settings, then import as in-process."""
    from core.settings import get_settings

    # The server that waits for this import shares the cores; on a busy machine it should win
    # them, so /health and the other requests keep answering while a large sheet is read.
    os.nice(CHILD_NICENESS)
    for key in [key for key in os.environ if key.startswith("PPNE_")]:
        del os.environ[key]
    os.environ.update(settings)
    get_settings.cache_clear()
    return _import_saved(path, name, url, accept_valid, bounds)


_ONE_AT_A_TIME = threading.Lock()


def _child_pool() -> ProcessPoolExecutor:
    """A pool of one child process for one import, ended with it.

    forkserver: the child forks from a small single-threaded server that has this module
    imported already, so it starts quickly without copying the threads and locks of the API
    process (fork from a threaded process can deadlock). Ending the pool with the import gives
    its memory back to the system and leaves no idle process behind.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["services.surveys"])
    return ProcessPoolExecutor(max_workers=1, mp_context=context)


def _save(upload: BinaryIO, path: Path, max_bytes: int) -> None:
    written = 0
    with open(path, "wb") as handle:
        while chunk := upload.read(CHUNK):
            written += len(chunk)
            if written > max_bytes:
                raise TooLarge(
                    f"the sheet is over the {max_bytes:,} byte limit (PPNE_UPLOAD_MAX_BYTES)"
                )
            handle.write(chunk)
