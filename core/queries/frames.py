"""Run a select and hand back a pandas frame, through SQLAlchemy or straight from the driver."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import String, func
from sqlmodel import Session


def read_frame(session: Session, statement: Any, columns: list[str]) -> pd.DataFrame:
    rows = session.execute(statement).all()
    return pd.DataFrame([tuple(row) for row in rows], columns=columns)


def read_driver_frame(session: Session, statement: Any, columns: list[str]) -> pd.DataFrame:
    """Run a statement and build the frame from the driver's rows, with no per-row objects."""
    connection = session.connection()
    compiled = statement.compile(dialect=connection.dialect)
    parameters: Any = compiled.params
    if compiled.positiontup is not None:  # SQLite: "?" markers, values in order
        parameters = tuple(compiled.params[name] for name in compiled.positiontup)
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(str(compiled), parameters)
        return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)
    finally:
        cursor.close()


def utc_month(session: Session, moment: Any) -> Any:
    """Return the SQL for the YYYY-MM of a stored time, in UTC."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", moment), "YYYY-MM")
    # SQLite keeps times as UTC text, "YYYY-MM-DD HH:MM:SS.ffffff" (core/models/base.py).
    return func.substr(moment, 1, 7, type_=String)
