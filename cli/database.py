"""The database the command line works on: the configured URL, its schema checked before use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

# SQLAlchemy loads inside the functions, so commands that need no database start fast.


def database_url() -> str:
    """Return the configured database URL (PPNE_DATABASE_URL, or the SQLite default)."""
    from core.settings import get_settings

    return get_settings().database_url


def require_database() -> str:
    """Return the configured URL once its ppne schema is known to be there.

    Raises:
        SchemaMissing: never migrated, or no such SQLite file (which is not created).
    """
    from core.db import require_schema

    url = database_url()
    require_schema(url)
    return url


@contextmanager
def open_session() -> Iterator[Session]:
    """Yield a session on the configured database; the use case commits."""
    from core.db import session_scope

    with session_scope(database_url()) as session:
        yield session
