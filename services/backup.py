"""Back up the database to one file and restore it into an empty one.

PostgreSQL through its own tools (`pg_dump --format=custom`, `pg_restore`), which must be of
the server's major version or newer; SQLite through its online backup API, consistent while
the API writes. A restore only goes into a database with no tables: it never mixes two
histories. The password, if the URL has one, reaches the tools by PGPASSWORD, never on a
command line another user could read.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from core.db import dispose_engine, get_engine
from core.errors import InvalidInput, PpneError


class BackupFailed(PpneError):
    """The dump or the restore tool failed; its first line of error says why."""


@dataclass(frozen=True)
class BackupFile:
    """A backup written: where, how big, and from which database kind."""

    path: Path
    bytes: int
    dialect: str


def default_backup_path(out_dir: Path, database_url: str, now: datetime | None = None) -> Path:
    """out/backups/ppne-YYYYMMDD-HHMMSS.dump (PostgreSQL) or .sqlite3 (SQLite)."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    suffix = ".dump" if _is_postgres(database_url) else ".sqlite3"
    return out_dir / "backups" / f"ppne-{stamp}{suffix}"


def back_up(database_url: str, out: Path) -> BackupFile:
    """Write the whole database into `out` (refusing to overwrite a file).

    Raises:
        InvalidInput: `out` exists, or the database is neither PostgreSQL nor SQLite.
        BackupFailed: pg_dump failed or is missing.
    """
    if out.exists():
        raise InvalidInput(f"{out} exists already: choose another file")
    if not _is_postgres(database_url):
        _sqlite_path(database_url)  # refuses a database that is neither, before any file
    out.parent.mkdir(parents=True, exist_ok=True)
    # Client records are inside: the file is its owner's alone, from its first byte.
    out.touch(mode=0o600)
    try:
        dialect = _write_backup(database_url, out)
    except BaseException:
        out.unlink(missing_ok=True)  # no half-written backup left to be trusted
        raise
    return BackupFile(out, out.stat().st_size, dialect)


def _write_backup(database_url: str, out: Path) -> str:
    if _is_postgres(database_url):
        url, env = _libpq(database_url)
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={out}", f"--dbname={url}"], env)
        return "postgresql"
    source = _sqlite_path(database_url)
    with closing(sqlite3.connect(source)) as reader, closing(sqlite3.connect(out)) as writer:
        reader.backup(writer)
    return "sqlite"


def restore(database_url: str, backup: Path) -> None:
    """Restore a backup into the database of `database_url`, which must have no table.

    Raises:
        InvalidInput: the file is missing, or the database already has tables.
        BackupFailed: pg_restore failed or is missing.
    """
    if not backup.is_file():
        raise InvalidInput(f"no backup file at {backup}")
    tables = inspect(get_engine(database_url)).get_table_names()
    # Only this database's pool: the restore writes under it, other databases stay connected.
    dispose_engine(database_url)
    if tables:
        raise InvalidInput(
            f"the database already has {len(tables)} tables: restore into an empty one"
        )
    if _is_postgres(database_url):
        url, env = _libpq(database_url)
        _run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={url}", str(backup)], env)
        return
    target = _sqlite_path(database_url)
    with closing(sqlite3.connect(backup)) as reader, closing(sqlite3.connect(target)) as writer:
        reader.backup(writer)


def _is_postgres(database_url: str) -> bool:
    return make_url(database_url).get_backend_name() == "postgresql"


def _libpq(database_url: str) -> tuple[str, dict[str, str]]:
    """The URL as libpq reads it (no driver, no password) and the environment with the password."""
    url = make_url(database_url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        raise InvalidInput(f"cannot back up {url.get_backend_name()}: PostgreSQL or SQLite only")
    return Path(url.database)


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupFailed(f"{command[0]} is not installed (Debian: apt install postgresql-client)")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[0]
        raise BackupFailed(f"{command[0]} failed: {first}")
