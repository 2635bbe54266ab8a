"""Shared column helpers and the constraint naming convention every migration relies on."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Numeric, TypeDecorator
from sqlmodel import Field, SQLModel

# Set before any table exists: Alembic batch mode on SQLite can only drop or alter
# constraints that have names, and the names must match between SQLite and PostgreSQL.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = SQLModel.metadata


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp always stored and returned in UTC, also on SQLite (which keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: times must carry a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


def money_field(**kwargs: Any) -> Any:
    """A Decimal column with three decimals, as Open Prices stores prices."""
    return Field(sa_type=Numeric(12, 3), **kwargs)


def quantity_field(**kwargs: Any) -> Any:
    """A Decimal column for sizes and quantities (grams, millilitres, units)."""
    return Field(sa_type=Numeric(14, 4), **kwargs)


def timestamp_field(**kwargs: Any) -> Any:
    """A UTC timestamp column."""
    return Field(sa_type=UTCDateTime, **kwargs)


__all__ = ["Decimal", "metadata", "money_field", "quantity_field", "timestamp_field", "utc_now"]
