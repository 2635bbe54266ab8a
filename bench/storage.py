"""Bytes per stored observation: import generated rows, divide the database's size by them.

Run: python -m bench.storage [DATABASE_URL] [ROWS]  (an empty database; SQLite file by default)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from core.db import get_engine
from core.migrate import upgrade
from importers.base import run_import
from importers.generic_csv import GenericCsvImporter, Mapping
from importers.sample import write_sample_csv, write_sample_mapping


def bytes_per_row(url: str, rows: int) -> tuple[int, int, int]:
    """Import ``rows`` sample prices into the empty database at ``url``.

    Returns:
        (observations stored, bytes of the priceobservation table with its indexes,
        bytes of the whole database)
    """
    upgrade(url)
    with tempfile.TemporaryDirectory() as folder:
        source = write_sample_csv(Path(folder) / "sample.csv", rows)
        mapping = Mapping.load(write_sample_mapping(Path(folder) / "sample.toml"))
        run_import(GenericCsvImporter(source, mapping), url=url)
    engine = get_engine(url)
    with engine.connect() as connection:
        stored = int(connection.execute(text("SELECT count(*) FROM priceobservation")).scalar_one())
        if engine.dialect.name == "sqlite":
            # The WAL is folded back so the file holds every page; its size is the database's.
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            page = int(connection.exec_driver_sql("PRAGMA page_size").scalar_one())
            pages = int(connection.exec_driver_sql("PRAGMA page_count").scalar_one())
            whole = page * pages
            table = _sqlite_table_bytes(connection, whole)
        else:
            table = int(
                connection.execute(
                    text("SELECT pg_total_relation_size('priceobservation')")
                ).scalar_one()
            )
            whole = int(
                connection.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
            )
    return stored, table, whole


def _sqlite_table_bytes(connection: Connection, whole: int) -> int:
    # dbstat (pages per table and index) is not built into every SQLite: fall back to the file.
    try:
        found = connection.exec_driver_sql(
            "SELECT sum(pgsize) FROM dbstat WHERE name = 'priceobservation'"
            " OR name IN (SELECT name FROM sqlite_master WHERE tbl_name = 'priceobservation')"
        ).scalar_one()
        return int(found)
    except OperationalError:
        return whole


if __name__ == "__main__":
    given = sys.argv[1] if len(sys.argv) > 1 else ""
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    with tempfile.TemporaryDirectory() as scratch:
        target = given or f"sqlite:///{os.path.join(scratch, 'storage.db')}"
        stored, table, whole = bytes_per_row(target, count)
        print(f"observations: {stored:,}")
        print(f"priceobservation with its indexes: {table:,} bytes, {table / stored:.0f} bytes/row")
        print(f"whole database: {whole:,} bytes, {whole / stored:.0f} bytes/row")
