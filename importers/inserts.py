"""Bulk inserts of dict rows that skip rows already there, in SQL both SQLite and PostgreSQL run."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection

from core.observations import insert_tuples, sqlite_time

__all__ = ["insert_or_skip", "insert_tuples"]


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
