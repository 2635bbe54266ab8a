"""Bulk inserts given column by column, through the driver's executemany."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlmodel import Session

from core.db import insert_sql


def insert_columns(session: Session, table: Any, values: dict[str, list[Any]]) -> None:
    """Insert rows given column by column through the driver's executemany, as plain tuples.

    SQLAlchemy's bulk insert builds and processes a dict per row, which cost more than the
    database's own work for lineage (one row per store or region, item and period). Each
    column still goes through its type's bind processor (Decimal to float on SQLite, UTC
    timestamps), so what is stored is the same.
    """
    names = list(values)
    if not names or not values[names[0]]:
        return
    connection = session.connection()
    dialect = connection.dialect
    columns = []
    for name in names:
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        column = values[name]
        columns.append([None if v is None else process(v) for v in column] if process else column)
    statement = insert_sql(dialect, table.name, tuple(names))
    connection.exec_driver_sql(statement, list(zip(*columns, strict=True)))


def integers_or_none(column: pd.Series) -> list[Any]:
    """Return Python ints, None where missing (or negative: "no region" in the engine)."""
    numbers = pd.to_numeric(column).astype("float64")
    kept = numbers.where(numbers >= 0)
    return [None if pd.isna(v) else int(v) for v in kept.tolist()]
