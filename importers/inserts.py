"""Bulk inserts that skip rows already there, in SQL both SQLite and PostgreSQL run."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection

from core.db import insert_sql
from importers.batches import sqlite_time


def insert_or_skip(
    connection: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: list[str]
) -> int:
    """Insert rows, skipping those whose keys already exist; return how many went in."""
    if not rows:
        return 0
    columns = tuple(rows[0])
    if connection.dialect.name == "sqlite":
        values = [tuple(_sqlite_value(row[name]) for name in columns) for row in rows]
    else:
        values = [tuple(row[name] for name in columns) for row in rows]
    return insert_tuples(connection, table, columns, values, tuple(keys))


def insert_tuples(
    connection: Connection,
    table: Table,
    columns: tuple[str, ...],
    rows: Sequence[tuple[Any, ...]],
    keys: tuple[str, ...],
) -> int:
    """Insert tuples in column order, skipping rows whose keys exist; return how many went in.

    The rows go straight to the driver's executemany, which is where the time goes on files
    of millions of rows; values must already be what the driver stores (see _sqlite_value).
    """
    if not rows:
        return 0
    sql = insert_sql(connection.dialect, table.name, columns, keys)
    result = connection.exec_driver_sql(sql, list(rows))
    # Both sqlite3 and psycopg sum the rows each statement of an executemany changed, and a
    # row skipped on conflict changed none: the count of new rows without reading them back.
    return int(result.rowcount)


def _sqlite_value(value: Any) -> Any:
    # What SQLAlchemy's SQLite types store: numbers as text the NUMERIC affinity converts,
    # times in UTC as "YYYY-MM-DD HH:MM:SS.ffffff".
    if value is None or isinstance(value, str | int):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return sqlite_time(value)
    return value
