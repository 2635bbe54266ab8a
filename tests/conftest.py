"""Shared fixtures: a real, migrated database per test (SQLite file, or PostgreSQL in CI)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from core.db import dispose_engines
from core.migrate import upgrade
from core.settings import get_settings

SHARED = Path(__file__).resolve().parents[2] / "shared"
REALDATA = SHARED / "realdata"

# Set by .ci/run for the second pass, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/ppne_ci
POSTGRES_URL = os.environ.get("PPNE_TEST_DATABASE_URL", "")


def realdata(*parts: str) -> Path:
    """Return a path under ../shared/realdata, skipping the test when it is absent."""
    path = REALDATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    return path


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A freshly migrated database, also set as PPNE_DATABASE_URL for code under test."""
    if POSTGRES_URL:
        # One schema per test keeps tests apart without the cost of a database each.
        schema = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in POSTGRES_URL else "?"
        url = f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{tmp_path / 'ppne.db'}"
    monkeypatch.setenv("PPNE_DATABASE_URL", url)
    monkeypatch.setenv("PPNE_OUT_DIR", str(tmp_path / "out"))
    get_settings.cache_clear()
    upgrade(url)
    try:
        yield url
    finally:
        dispose_engines()
        get_settings.cache_clear()
        if POSTGRES_URL:
            with admin.connect() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
