"""Shared fixtures: a migrated database per test, copied from a template migrated once a session.

SQLite: the template is a file, copied per test. PostgreSQL (PPNE_TEST_DATABASE_URL, set by
.ci/run): the template is a database on that server, and each test gets `CREATE DATABASE ...
TEMPLATE` of it; a schema cannot be cloned, and a database copy costs far less than Alembic.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from database_copies import PostgresDatabases, copy_database, seal_for_copies

from core.db import dispose_engines
from core.migrate import upgrade
from core.settings import get_settings

# Set by .ci/run for the second pass, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/ppne_ci
POSTGRES_URL = os.environ.get("PPNE_TEST_DATABASE_URL", "")


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresDatabases | None]:
    """The databases of a PostgreSQL run (None on SQLite), dropped when the session ends."""
    if not POSTGRES_URL:
        yield None
        return
    databases = PostgresDatabases(POSTGRES_URL)
    try:
        yield databases
    finally:
        dispose_engines()  # a test that failed may have left a pool open on its database
        databases.drop_all()


@pytest.fixture(scope="session")
def template_database(
    tmp_path_factory: pytest.TempPathFactory, postgres_databases: PostgresDatabases | None
) -> str:
    """Migrate one database for the session: a SQLite file's path, or a PostgreSQL name."""
    if postgres_databases is not None:
        name, url = postgres_databases.create()
        upgrade(url)
        # CREATE DATABASE ... TEMPLATE refuses a template anyone is connected to.
        dispose_engines()
        return name
    path = tmp_path_factory.mktemp("template") / "ppne.db"
    upgrade(f"sqlite:///{path}")
    return seal_for_copies(f"sqlite:///{path}")


def _use_database(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PPNE_DATABASE_URL", url)
    monkeypatch.setenv("PPNE_OUT_DIR", str(tmp_path / "out"))
    # Test worlds price a handful of the basket's 75 items: the coverage rules would withhold
    # every figure. Tests of those rules set them (tests/basket/test_coverage_rules.py).
    monkeypatch.setenv("PPNE_COVERAGE_WARN_BELOW", "0")
    monkeypatch.setenv("PPNE_COVERAGE_WITHHOLD_BELOW", "0")
    get_settings.cache_clear()


@pytest.fixture
def db_url(
    template_database: str,
    postgres_databases: PostgresDatabases | None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[str]:
    """A migrated database of this test's own, also set as PPNE_DATABASE_URL."""
    url, name = copy_database(template_database, postgres_databases, tmp_path)
    _use_database(url, tmp_path, monkeypatch)
    try:
        yield url
    finally:
        dispose_engines()
        get_settings.cache_clear()
        if postgres_databases is not None and name is not None:
            postgres_databases.drop(name)


class DatabaseCopies:
    """Copies of a sealed database made during one test, each usable as the test's database."""

    def __init__(
        self,
        postgres_databases: PostgresDatabases | None,
        folder: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        self.postgres_databases = postgres_databases
        self.folder = folder
        self.monkeypatch = monkeypatch
        self.on_server: list[str] = []

    def use_copy_of(self, source: str) -> str:
        """Copy `source` and make the copy PPNE_DATABASE_URL; return its URL."""
        dispose_engines()  # the previous copy's pool, before its database is dropped
        url, name = copy_database(source, self.postgres_databases, self.folder)
        if name is not None:
            self.on_server.append(name)
        _use_database(url, self.folder, self.monkeypatch)
        return url

    def drop_all(self) -> None:
        dispose_engines()
        get_settings.cache_clear()
        if self.postgres_databases is not None:
            for name in self.on_server:
                self.postgres_databases.drop(name)


@pytest.fixture
def database_copies(
    postgres_databases: PostgresDatabases | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[DatabaseCopies]:
    """Fresh copies of a database a module built once (see seal_for_copies), dropped at the end."""
    copies = DatabaseCopies(postgres_databases, tmp_path, monkeypatch)
    try:
        yield copies
    finally:
        copies.drop_all()


@pytest.fixture
def migrated_now_url(
    postgres_databases: PostgresDatabases | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A database migrated by Alembic in this test (not copied), for tests of the migrations."""
    if postgres_databases is not None:
        name, url = postgres_databases.create()
    else:
        url = f"sqlite:///{tmp_path / 'ppne.db'}"
    _use_database(url, tmp_path, monkeypatch)
    try:
        upgrade(url)
        yield url
    finally:
        dispose_engines()
        get_settings.cache_clear()
        if postgres_databases is not None:
            postgres_databases.drop(name)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the PostgreSQL pass, run only the tests that open a database of that server.

    A test that needs no database (a parser, a template, a SQLite-only command) already ran
    on the first pass and would only repeat it: every database a test uses comes through the
    `postgres_databases` fixture, directly or through `db_url` and its kin.
    """
    if not POSTGRES_URL:
        return
    kept: list[pytest.Item] = []
    repeated: list[pytest.Item] = []
    for item in items:
        uses_server = "postgres_databases" in getattr(item, "fixturenames", ())
        (kept if uses_server else repeated).append(item)
    if repeated:
        config.hook.pytest_deselected(items=repeated)
        items[:] = kept
