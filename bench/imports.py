"""`ppne bench import`: the generic CSV importer against raw sqlite3 inserts of the same rows."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.db import get_engine
from core.migrate import upgrade
from core.settings import get_settings
from importers.base import BATCH_SIZE, run_import
from importers.batches import OBSERVATION_COLUMNS
from importers.generic_csv import GenericCsvImporter, Mapping
from importers.sample import write_sample_csv, write_sample_mapping


@dataclass(frozen=True)
class ImportBenchReport:
    """Seconds taken to store the same rows by the importer and by the two raw baselines."""

    rows: int
    imported: int
    importer_seconds: float
    same_table_seconds: float
    minimal_seconds: float
    compared_rows: int  # rows the raw baselines insert: those the importer stored
    reading_worker: bool = False  # whether a second process read the file for the importer
    load_average: float = 0.0  # the 1-minute load average as the import started

    @property
    def importer_rate(self) -> float:
        return self.imported / self.importer_seconds

    @property
    def same_table_rate(self) -> float:
        return self.compared_rows / self.same_table_seconds

    @property
    def minimal_rate(self) -> float:
        return self.compared_rows / self.minimal_seconds


def measure(rows: int) -> ImportBenchReport:
    """Time the generic CSV importer and raw sqlite3.executemany on the same generated rows.

    Two raw baselines, both one executemany of prepared tuples in one transaction: into the
    very table the importer fills (same columns, indexes and foreign keys, its stores and
    products already there), and into a minimal table of five columns with a unique
    content-hash index.
    """
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        source = write_sample_csv(base / "sample.csv", rows)
        mapping = Mapping.load(write_sample_mapping(base / "sample.toml"))
        database = base / "bench.db"
        url = f"sqlite:///{database}"
        upgrade(url)
        load_average = os.getloadavg()[0]
        started = time.perf_counter()
        summary = run_import(GenericCsvImporter(source, mapping), url=url)
        importer_seconds = time.perf_counter() - started
        get_engine(url).dispose()

        observations = _observations(database)
        same_table_seconds = _raw_into_same_table(database, base / "same.db", observations)
        minimal_seconds = _raw_into_minimal_table(base / "minimal.db", observations)
    return ImportBenchReport(
        rows, summary.imported, importer_seconds, same_table_seconds, minimal_seconds,
        len(observations), summary.reading_worker, load_average,
    )  # fmt: skip


def describe(report: ImportBenchReport) -> str:
    """Return the report as the lines `ppne bench import` prints."""
    if report.reading_worker:
        worker = "on"
    elif get_settings().import_worker:
        worker = "off: no idle core"
    else:
        worker = "off (PPNE_IMPORT_WORKER=0)"
    load = f"1-minute load average {report.load_average:.1f} on {os.cpu_count() or 1} cores"
    return (
        f"rows: {report.rows:,} (imported {report.imported:,})\n"
        f"machine: {load} as the import started\n"
        f"generic CSV importer: {report.importer_rate:,.0f} rows/s"
        f" ({report.importer_seconds:.1f} s: read, parse, hash, create stores and products,"
        f" insert in committed batches of {BATCH_SIZE:,}; reading worker {worker})\n"
        f"raw sqlite3.executemany, same table: {report.same_table_rate:,.0f} rows/s"
        f" ({report.same_table_seconds:.1f} s: the importer's rows as prepared tuples into"
        " priceobservation, its indexes and foreign keys, one transaction)\n"
        f"raw sqlite3.executemany, minimal table: {report.minimal_rate:,.0f} rows/s"
        f" ({report.minimal_seconds:.1f} s: five columns, unique content-hash index,"
        " one transaction)\n"
        f"ratio importer / raw same table: {report.importer_rate / report.same_table_rate:.2f}\n"
        f"ratio importer / raw minimal table: {report.importer_rate / report.minimal_rate:.2f}"
    )


def _observations(database: Path) -> list[tuple[Any, ...]]:
    """Return the rows the importer stored, as the tuples an executemany would insert."""
    connection = sqlite3.connect(database)
    try:
        return connection.execute(
            f"SELECT {', '.join(OBSERVATION_COLUMNS)} FROM priceobservation ORDER BY id"
        ).fetchall()
    finally:
        connection.close()


def _raw_into_same_table(imported: Path, copy: Path, rows: list[tuple[Any, ...]]) -> float:
    # The imported database with its observations removed keeps the schema and the stores,
    # products and import record the foreign keys point to.
    shutil.copy(imported, copy)
    connection = sqlite3.connect(copy)
    try:
        connection.execute("DELETE FROM priceobservation")
        connection.commit()
        connection.execute("VACUUM")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA foreign_keys=ON")
        marks = ", ".join("?" for _ in OBSERVATION_COLUMNS)
        started = time.perf_counter()
        connection.executemany(
            f"INSERT INTO priceobservation ({', '.join(OBSERVATION_COLUMNS)}) VALUES ({marks})"
            " ON CONFLICT (content_hash) DO NOTHING",
            rows,
        )
        connection.commit()
        return time.perf_counter() - started
    finally:
        connection.close()


def _raw_into_minimal_table(path: Path, rows: list[tuple[Any, ...]]) -> float:
    store, product, price, observed = (
        OBSERVATION_COLUMNS.index(name)
        for name in ("store_id", "store_product_id", "price", "observed_at")
    )
    digest = OBSERVATION_COLUMNS.index("content_hash")
    records = [(row[store], row[product], row[price], row[observed], row[digest]) for row in rows]
    connection = sqlite3.connect(path)
    try:
        connection.execute(
            "CREATE TABLE observation (id INTEGER PRIMARY KEY, store INTEGER, product INTEGER,"
            " price NUMERIC, observed_at TEXT, content_hash TEXT)"
        )
        connection.execute("CREATE UNIQUE INDEX ux_hash ON observation (content_hash)")
        started = time.perf_counter()
        connection.executemany(
            "INSERT INTO observation (store, product, price, observed_at, content_hash)"
            " VALUES (?, ?, ?, ?, ?)",
            records,
        )
        connection.commit()
        return time.perf_counter() - started
    finally:
        connection.close()
