"""Test databases: PostgreSQL databases made and dropped for a run, and copies of migrated ones.

A module of its own (not conftest.py) so tests can import it: `conftest` names a different
file in each folder that has one.
"""

from __future__ import annotations

import queue
import shutil
import sqlite3
import threading
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool

from core.db import dispose_engines


class PostgresDatabases:
    """Create databases on the server of PPNE_TEST_DATABASE_URL, and drop them all at the end.

    DROP DATABASE waits for a checkpoint, which takes seconds while other tests write: the
    drops run in a thread of their own, so a test never waits for them.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        # The run's own database (named in the URL) is where the CREATE statements are sent.
        self.admin: Engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.prefix = make_url(url).database or "ppne"
        self.created: set[str] = set()
        self._lock = threading.Lock()
        self._doomed: queue.Queue[str | None] = queue.Queue()
        self._dropper = threading.Thread(target=self._drop_in_turn, daemon=True)
        self._dropper.start()

    def create(self, template: str | None = None) -> tuple[str, str]:
        """Create an empty database, or a copy of `template`; return its name and URL."""
        # <run database>_<hex>: .ci/run drops what a killed run left by that prefix.
        name = f"{self.prefix[:50]}_{uuid.uuid4().hex[:12]}"
        statement = f'CREATE DATABASE "{name}"'
        if template:
            statement += f' TEMPLATE "{template}"'
        with self.admin.connect() as connection:
            connection.execute(text(statement))
        with self._lock:
            self.created.add(name)
        url = make_url(self.url).set(database=name).render_as_string(hide_password=False)
        return name, url

    def drop(self, name: str) -> None:
        """Drop a database created here, soon (see the class), closing its connections."""
        self._doomed.put(name)

    def _drop_in_turn(self) -> None:
        while (name := self._doomed.get()) is not None:
            try:
                self._drop_now(name)
            except Exception:  # left in `created`: drop_all tries it again
                continue

    def _drop_now(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        with self._lock:
            self.created.discard(name)

    def drop_all(self) -> None:
        """Drop what is queued, then every database still there, then close the admin engine."""
        self._doomed.put(None)
        self._dropper.join()
        for name in list(self.created):
            self._drop_now(name)
        self.admin.dispose()


def seal_for_copies(url: str) -> str:
    """Close every connection to a database about to be copied; return what copies name.

    That is a SQLite file's path (its WAL written back into the file first, so the copied file
    holds everything), or a PostgreSQL database's name (CREATE DATABASE ... TEMPLATE refuses a
    template anyone is connected to).
    """
    dispose_engines()
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return str(parsed.database)
    connection = sqlite3.connect(str(parsed.database))
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return str(parsed.database)


def copy_database(
    source: str, postgres_databases: PostgresDatabases | None, folder: Path
) -> tuple[str, str | None]:
    """Copy a sealed database (see seal_for_copies): the copy's URL, and its server name or None."""
    if postgres_databases is not None:
        name, url = postgres_databases.create(template=source)
        return url, name
    path = folder / f"ppne_{uuid.uuid4().hex[:8]}.db"
    shutil.copyfile(source, path)
    return f"sqlite:///{path}", None
