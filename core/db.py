"""Database engine and sessions for the configured URL (SQLite by default, PostgreSQL to scale)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from threading import Lock
from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Dialect, Engine, make_url
from sqlmodel import Session, create_engine

from core.errors import SchemaMissing
from core.settings import get_settings

# One engine (one connection pool) per resolved URL, shared by every caller in the process.
_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = Lock()


def _prepare_sqlite_file(url: str) -> None:
    """Create the folder of a SQLite file so a fresh clone works without setup."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def get_engine(url: str | None = None) -> Engine:
    """Return the shared engine of a database URL (the configured one by default)."""
    url = url or get_settings().database_url
    with _ENGINES_LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            _prepare_sqlite_file(url)
            engine = create_engine(url, pool_pre_ping=True)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            _ENGINES[url] = engine
        return engine


def require_schema(url: str) -> None:
    """Check that the database at `url` was migrated, creating nothing (no empty SQLite file).

    Raises:
        SchemaMissing: no such SQLite file, or no migrated schema in the database.
    """
    parsed = make_url(url)
    missing = SchemaMissing(
        f"no ppne database schema at {parsed.render_as_string(hide_password=True)}: "
        "run `ppne db upgrade`"
    )
    # Connecting would create an empty SQLite file: look for the file first.
    file = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if file not in (None, "", ":memory:") and not Path(str(file)).is_file():
        raise missing
    with get_engine(url).connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            raise missing
        if connection.execute(text("SELECT version_num FROM alembic_version")).first() is None:
            raise missing


def dispose_engine(url: str) -> None:
    """Close the pooled connections of one database URL and forget its engine."""
    with _ENGINES_LOCK:
        engine = _ENGINES.pop(url, None)
    if engine is not None:
        engine.dispose()


def dispose_engines() -> None:
    """Close every pooled connection and forget the engines (after tests, or a settings change)."""
    with _ENGINES_LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite ignores foreign keys unless asked; WAL lets the API read while a crawl writes.
    # synchronous=NORMAL, the setting WAL is made for: a commit no longer waits for the disk
    # (the page that leaves one audit row took 15-20 ms doing so); a killed process loses
    # nothing, a power cut may lose the last commits, never the database's consistency.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """Yield a session; the caller commits, and anything uncommitted is rolled back."""
    with Session(get_engine(url), expire_on_commit=False) as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise


@lru_cache(maxsize=64)
def insert_sql(
    dialect: Dialect, table: str, columns: tuple[str, ...], skip_conflicts_on: tuple[str, ...] = ()
) -> str:
    """Return an INSERT of positional values for the driver's executemany, in column order.

    With ``skip_conflicts_on``, rows whose key already exists are skipped: ON CONFLICT ... DO
    NOTHING is the same text in SQLite (3.24+) and PostgreSQL.
    """
    if dialect.paramstyle not in ("qmark", "format", "pyformat"):
        raise ValueError(f"driver parameter style {dialect.paramstyle!r} is not supported")
    quote = dialect.identifier_preparer.quote
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    statement = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(name) for name in columns)})"
        f" VALUES ({', '.join(marker for _ in columns)})"
    )
    if skip_conflicts_on:
        keys = ", ".join(quote(name) for name in skip_conflicts_on)
        statement += f" ON CONFLICT ({keys}) DO NOTHING"
    return statement
