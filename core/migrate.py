"""Apply the Alembic migrations that ship inside the package, to the configured database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from core.db import get_engine
from core.settings import get_settings

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """Build an Alembic configuration without an alembic.ini, so it works from any folder."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser reads "%" as interpolation; URLs may hold escapes such as %3D.
    database_url = url or get_settings().database_url
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(url: str | None = None, revision: str = "heads") -> None:
    """Bring the database schema up to the given revision (every head by default).

    Branches developed in parallel each add a migration after the same parent; "heads"
    applies them all until they are chained one after another.
    """
    url = url or get_settings().database_url
    get_engine(url)  # creates the SQLite folder on a fresh clone
    command.upgrade(alembic_config(url), revision)


def current_revision(url: str | None = None) -> str | None:
    """Return the revision the database is at, or None if it was never migrated."""
    from alembic.runtime.migration import MigrationContext

    with get_engine(url).connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    return ",".join(sorted(heads)) or None
