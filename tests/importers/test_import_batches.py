"""How imports write: the reading process, duplicate counts, failures and killed runs."""

from __future__ import annotations

import multiprocessing
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

from core.db import get_engine
from core.errors import InvalidInput
from core.migrate import upgrade
from core.models import DataImport, PriceObservation
from core.settings import get_settings
from importers import base
from importers.base import Importer, run_import
from importers.generic_csv import GenericCsvImporter, Mapping
from importers.records import ImportedRow, PriceRow, ProductRef, StoreRef
from importers.runs import mark_interrupted, start_import
from importers.sample import write_sample_csv, write_sample_mapping
from importers.worker import WorkerBatches, worker_available

STORE = StoreRef(code="test-store", chain="Test", name="Test store", region_code="montreal")


@pytest.fixture(autouse=True)
def idle_core(monkeypatch: pytest.MonkeyPatch) -> None:
    # The reading process is only started when a core is idle: these tests exercise it
    # whatever else the machine is running.
    monkeypatch.setattr(base, "core_free", lambda: True)


def price_row(number: int) -> PriceRow:
    return PriceRow(
        store=STORE,
        product=ProductRef(chain="Test", sku=f"sku-{number % 50}", name=f"Product {number % 50}"),
        price=Decimal(number) / 100 + 1,  # a price per row: no two rows are the same
        observed_at=datetime(2026, 1, 1 + number // 1000 % 28, 12, tzinfo=UTC),
        raw_price_text=str(number),
        source_url=f"test#{number}",
        row_number=number,
    )


class FailingImporter(Importer):
    """Yields good rows, then fails part-way, as a file with a broken tail would."""

    kind = "csv"

    def __init__(self, path: Path, fail_after: int) -> None:
        super().__init__(path)
        self.fail_after = fail_after

    def rows(self) -> Iterator[ImportedRow]:
        for number in range(self.fail_after):
            yield price_row(number)
        raise ValueError(f"cannot read row {self.fail_after + 1}")


def hashes_and_prices(url: str) -> set[tuple[str, Decimal]]:
    with Session(get_engine(url)) as session:
        return set(
            session.execute(select(PriceObservation.content_hash, PriceObservation.price)).all()
        )


def statuses(url: str) -> list[tuple[str, str | None]]:
    with Session(get_engine(url)) as session:
        return list(
            session.execute(
                select(DataImport.status, DataImport.message).order_by(DataImport.id)
            ).all()
        )


@pytest.mark.slow
@pytest.mark.skipif(not worker_available(), reason="needs fork and two cores")
def test_reading_process_stores_what_one_process_stores(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_sample_csv(tmp_path / "sample.csv", 25_000)
    mapping = Mapping.load(write_sample_mapping(tmp_path / "sample.toml"))
    started = []

    class CountedWorker(WorkerBatches):
        def __init__(self, *args: object) -> None:
            started.append(True)
            super().__init__(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(base, "WorkerBatches", CountedWorker)
    with_worker = run_import(GenericCsvImporter(source, mapping), url=db_url)
    assert started == [True]

    monkeypatch.setenv("PPNE_IMPORT_WORKER", "0")
    get_settings.cache_clear()
    one_process_url = f"sqlite:///{tmp_path / 'one.db'}"
    upgrade(one_process_url)
    alone = run_import(GenericCsvImporter(source, mapping), url=one_process_url)
    assert started == [True]  # the second import ran without a worker
    assert (with_worker.rows_read, with_worker.imported) == (alone.rows_read, alone.imported)
    assert with_worker.imported == 25_000
    assert hashes_and_prices(db_url) == hashes_and_prices(one_process_url)


@pytest.mark.parametrize("worker", ["1", "0"])
def test_failure_part_way_keeps_whole_batches_and_says_why(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, worker: str
) -> None:
    monkeypatch.setenv("PPNE_IMPORT_WORKER", worker)
    get_settings.cache_clear()
    with pytest.raises(ValueError, match="cannot read row 2501"):
        run_import(FailingImporter(tmp_path / "broken.csv", 2_500), url=db_url, batch_size=1_000)
    # Two whole batches went in; the third, half read, left nothing.
    assert len(hashes_and_prices(db_url)) == 2_000
    [(status, message)] = statuses(db_url)
    assert status == "failed" and "cannot read row 2501" in (message or "")


def test_missing_mapped_column_is_refused_before_anything_is_written(
    db_url: str, tmp_path: Path
) -> None:
    source = tmp_path / "prices.csv"
    source.write_text("store,product,prix,date\nMaxi,Lait,4.99,2026-01-05\n", encoding="utf-8")
    mapping = Mapping.load(write_sample_mapping(tmp_path / "sample.toml"))
    with pytest.raises(InvalidInput, match=r"mapped columns \['price', 'size'\]"):
        run_import(GenericCsvImporter(source, mapping), url=db_url)
    assert hashes_and_prices(db_url) == set()
    assert statuses(db_url)[0][0] == "failed"


def test_duplicates_within_a_batch_across_batches_and_on_rerun(db_url: str, tmp_path: Path) -> None:
    source = tmp_path / "repeated.csv"
    lines = ["store,product,size,price,date"]
    lines += [f"Maxi,Lait {n % 30},2 L,{n % 30 + 1}.49,2026-01-05" for n in range(100)]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = Mapping.load(write_sample_mapping(tmp_path / "sample.toml"))
    first = run_import(GenericCsvImporter(source, mapping), url=db_url, batch_size=40)
    again = run_import(GenericCsvImporter(source, mapping), url=db_url, batch_size=40)
    assert (first.rows_read, first.imported, first.duplicates) == (100, 30, 70)
    assert (again.imported, again.duplicates) == (0, 100)
    with Session(get_engine(db_url)) as session:
        counted = session.execute(
            select(DataImport.rows_imported, DataImport.duplicates).order_by(DataImport.id)
        ).all()
    assert [tuple(row) for row in counted] == [(30, 70), (0, 100)]


def test_an_import_whose_process_is_gone_is_marked_interrupted(db_url: str) -> None:
    engine = get_engine(db_url)
    killed = start_import(engine, "csv", "big.csv")
    # A process that has already ended stands for the killed import's process.
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    with engine.begin() as connection:
        connection.execute(
            DataImport.__table__.update()  # type: ignore[attr-defined]
            .where(DataImport.__table__.c.id == killed)  # type: ignore[attr-defined]
            .values(pid=int(ended.stdout))
        )
    still_running = start_import(engine, "csv", "other.csv")  # this process: alive
    assert mark_interrupted(engine) == 1
    with Session(engine) as session:
        by_id = dict(session.execute(select(DataImport.id, DataImport.status)).all())
        message = session.execute(
            select(DataImport.message).where(DataImport.id == killed)
        ).scalar_one()
    assert by_id == {killed: "interrupted", still_running: "running"}
    assert "run the same import again" in (message or "")


def test_import_bench_prints_both_baselines_and_ratios() -> None:
    from typer.testing import CliRunner

    from cli.main import app

    result = CliRunner().invoke(app, ["bench", "import", "--rows", "3000"])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "rows: 3,000 (imported 3,000)" in output
    for line in ("raw sqlite3.executemany, same table:", "raw sqlite3.executemany, minimal table:"):
        assert line in output
    ratios = re.findall(r"ratio importer / raw (same|minimal) table: ([0-9.]+)", output)
    assert [kind for kind, _ in ratios] == ["same", "minimal"]
    assert all(float(ratio) > 0 for _, ratio in ratios)


@pytest.mark.skipif(not worker_available(), reason="needs fork and two cores")
def test_reading_process_stops_when_writing_fails(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from importers.store import ImportStore

    written = []

    def write_then_fail(self: ImportStore, batch: object) -> object:
        if written:
            raise OSError("disk full")
        written.append(batch)
        return original(self, batch)  # type: ignore[arg-type]

    original = ImportStore.write_batch
    monkeypatch.setattr(ImportStore, "write_batch", write_then_fail)
    with pytest.raises(OSError, match="disk full"):
        run_import(FailingImporter(tmp_path / "big.csv", 50_000), url=db_url, batch_size=1_000)
    assert multiprocessing.active_children() == []
    assert len(hashes_and_prices(db_url)) == 1_000
    assert statuses(db_url)[0][0] == "failed"
