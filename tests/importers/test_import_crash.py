"""Kill an import of 200,000 rows part-way with SIGKILL, re-run it, and lose or double nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from core.db import get_engine
from core.models import DataImport, PriceObservation
from importers.base import BATCH_SIZE, run_import
from importers.generic_csv import GenericCsvImporter, Mapping
from importers.sample import write_sample_csv, write_sample_mapping

ROWS = 200_000


def imported_so_far(url: str) -> int:
    with Session(get_engine(url)) as session:
        return int(session.execute(select(func.count()).select_from(PriceObservation)).scalar_one())


@pytest.mark.slow
def test_sigkill_mid_import_then_rerun_completes_without_duplicates(
    db_url: str, tmp_path: Path
) -> None:
    source = write_sample_csv(tmp_path / "big.csv", ROWS)
    mapping = write_sample_mapping(tmp_path / "big.toml")
    command = [sys.executable, "-m", "cli", "import", "csv", str(source), "--mapping", str(mapping)]
    process = subprocess.Popen(command, env=os.environ.copy(), stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        # Wait until at least two batches are committed, then kill without warning.
        while imported_so_far(db_url) < 20_000 and process.poll() is None:
            assert time.monotonic() < deadline, "the import never committed a batch"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the import finished before it was killed"
    # The process reading the file for it (a forked worker) does not outlive it.
    deadline = time.monotonic() + 10
    while processes_reading(source):
        assert time.monotonic() < deadline, "a process of the killed import is still running"
        time.sleep(0.05)
    partial = imported_so_far(db_url)
    assert 0 < partial < ROWS
    assert partial % BATCH_SIZE == 0  # whole batches only: the killed one left nothing behind

    summary = run_import(GenericCsvImporter(source, Mapping.load(mapping)), url=db_url)
    assert (summary.imported, summary.duplicates) == (ROWS - partial, partial)
    with Session(get_engine(db_url)) as session:
        total, distinct = session.execute(
            select(func.count(), func.count(PriceObservation.content_hash.distinct()))
        ).one()
        imports = session.execute(
            select(DataImport.id, DataImport.status).order_by(DataImport.id)
        ).all()
        by_import = dict(
            session.execute(
                select(PriceObservation.import_id, func.count()).group_by(
                    PriceObservation.import_id
                )
            ).all()
        )
    assert total == distinct == ROWS
    # The re-run saw the killed run's process gone and said so; each row names its import.
    (killed, killed_status), (rerun, rerun_status) = imports
    assert (killed_status, rerun_status) == ("interrupted", "succeeded")
    assert by_import == {killed: partial, rerun: ROWS - partial}


def processes_reading(source: Path) -> list[int]:
    """Return the ids of live processes whose command line names the file."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().split(") ")[-1][:1]
        except OSError:
            continue
        if str(source).encode() in command and state != "Z":
            found.append(int(entry.name))
    return found
