"""What routes share: a database session per request, the settings, and who may do what."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends
from sqlmodel import Session

from core.db import require_schema, session_scope
from core.settings import Settings, get_settings


def app_settings() -> Settings:
    """Return the deployment's settings (the one place the API reads them)."""
    return get_settings()


SettingsDep = Annotated[Settings, Depends(app_settings)]
# Database URLs found migrated: checked once per process, not on every request.
_MIGRATED: set[str] = set()


def require_migrated(url: str) -> None:
    """Check, once per process, that the database at `url` was migrated.

    Raises:
        SchemaMissing: the database was never migrated (answered 503, saying to run
            `ppne db upgrade`), checked without creating an empty SQLite file.
    """
    if url not in _MIGRATED:
        require_schema(url)
        _MIGRATED.add(url)


def get_session(settings: SettingsDep) -> Iterator[Session]:
    """Give each request its own session, closed at the end.

    Raises:
        SchemaMissing: the database was never migrated (answered 503, saying to run
            `ppne db upgrade`), checked without creating an empty SQLite file.
    """
    require_migrated(settings.database_url)
    with session_scope(settings.database_url) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
