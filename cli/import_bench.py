"""`ppne bench import`: the generic CSV importer against raw sqlite3 inserts of the same rows."""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from collectors.importers.base import run_import
from collectors.importers.generic_csv import GenericCsvImporter, Mapping
from collectors.importers.records import PriceRow
from collectors.importers.sample import write_sample_csv, write_sample_mapping
from core.db import get_engine
from core.migrate import upgrade

console = Console()


def bench_import(rows: Annotated[int, typer.Option(help="Rows to generate")] = 200_000) -> None:
    """Print rows/s of the generic CSV importer and of raw sqlite3.executemany, same rows."""
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        source = write_sample_csv(base / "sample.csv", rows)
        mapping = Mapping.load(write_sample_mapping(base / "sample.toml"))
        url = f"sqlite:///{base / 'bench.db'}"
        upgrade(url)
        started = time.perf_counter()
        summary = run_import(GenericCsvImporter(source, mapping), url=url)
        importer_seconds = time.perf_counter() - started
        get_engine(url).dispose()

        importer = GenericCsvImporter(source, mapping)
        importer.prepare()
        records = [
            (
                row.store.code,
                row.product.sku,
                str(row.price),
                row.observed_at.isoformat(),
                row.content_hash(),
            )
            for row in importer.rows()
            if isinstance(row, PriceRow)
        ]
        connection = sqlite3.connect(base / "raw.db")
        connection.execute(
            "CREATE TABLE observation (id INTEGER PRIMARY KEY, store TEXT, sku TEXT,"
            " price NUMERIC, observed_at TEXT, content_hash TEXT)"
        )
        connection.execute("CREATE UNIQUE INDEX ux_hash ON observation (content_hash)")
        started = time.perf_counter()
        connection.executemany(
            "INSERT INTO observation (store, sku, price, observed_at, content_hash)"
            " VALUES (?, ?, ?, ?, ?)",
            records,
        )
        connection.commit()
        raw_seconds = time.perf_counter() - started
        connection.close()
    importer_rate = summary.imported / importer_seconds
    raw_rate = len(records) / raw_seconds
    console.print(
        f"rows: {rows:,} (imported {summary.imported:,})\n"
        f"generic CSV importer: {importer_rate:,.0f} rows/s ({importer_seconds:.1f} s: read, "
        "parse, hash, resolve stores and products, insert in batches of 10,000)\n"
        f"raw sqlite3.executemany: {raw_rate:,.0f} rows/s ({raw_seconds:.1f} s: prepared tuples,"
        " one table with a unique content-hash index, one transaction)\n"
        f"ratio importer/raw: {importer_rate / raw_rate:.2f}"
    )
