"""What routes share: a database session per request, the settings, and who may do what."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends
from sqlmodel import Session

from core.db import require_schema, session_scope
from core.errors import Forbidden
from core.settings import Settings, get_settings


def app_settings() -> Settings:
    """Return the deployment's settings (the one place the API reads them)."""
    return get_settings()


SettingsDep = Annotated[Settings, Depends(app_settings)]
# Database URLs found migrated: checked once per process, not on every request.
_MIGRATED: set[str] = set()


def get_session(settings: SettingsDep) -> Iterator[Session]:
    """Give each request its own session, closed at the end.

    Raises:
        SchemaMissing: the database was never migrated (answered 503, saying to run
            `ppne db upgrade`), checked without creating an empty SQLite file.
    """
    if settings.database_url not in _MIGRATED:
        require_schema(settings.database_url)
        _MIGRATED.add(settings.database_url)
    with session_scope(settings.database_url) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


# Access control goes here: a `current_user` dependency read from the request, and one
# `require_*` dependency per permission, so every route declares what it admits in one place.
def require_survey_upload(settings: SettingsDep) -> None:
    """Refuse survey uploads unless the deployment turned them on."""
    if not settings.survey_upload_enabled:
        raise Forbidden(
            "survey upload is disabled until access control exists; "
            "set PPNE_SURVEY_UPLOAD_ENABLED=true to turn it on"
        )


SurveyUploadAllowed = Depends(require_survey_upload)
