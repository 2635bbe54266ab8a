"""Whether the service and its database answer, and at which schema revision."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlmodel import Session


class Health(BaseModel):
    """The service's state: ok when its database answers."""

    status: str = Field(examples=["ok"])
    database: str
    schema_revision: str | None


def check_health(session: Session) -> Health:
    """Tell whether the database answers, and the schema revision it is at."""
    session.execute(text("SELECT 1"))
    # The session's own connection: the revision is that of the database it reads.
    revision = MigrationContext.configure(session.connection()).get_current_revision()
    return Health(status="ok", database="ok", schema_revision=revision)
