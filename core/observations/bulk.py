"""Bulk inserts of driver-ready tuples that skip rows already there (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection

from core.db import insert_sql


def insert_tuples(
    connection: Connection,
    table: Table,
    columns: tuple[str, ...],
    rows: Sequence[tuple[Any, ...]],
    keys: tuple[str, ...],
) -> int:
    """Insert tuples in column order, skipping rows whose keys exist; return how many went in.

    The rows go straight to the driver's executemany, which is where the time goes on files
    of millions of rows; values must already be what the driver stores (ObservationRows).
    """
    if not rows:
        return 0
    sql = insert_sql(connection.dialect, table.name, columns, keys)
    result = connection.exec_driver_sql(sql, list(rows))
    # Both sqlite3 and psycopg sum the rows each statement of an executemany changed, and a
    # row skipped on conflict changed none: the count of new rows without reading them back.
    return int(result.rowcount)
