"""Reading the audit log: who saw or changed which file, when and from where (privacy officer).

The log itself is append-only (triggers of migration 0009); reading it is audited too, since
it names the files people looked at.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import and_, func
from sqlmodel import Session, col, select

from core.errors import N_, InvalidInput
from core.models import AuditEvent, Client, User
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.scope import organisation_for

MAX_LIMIT = 500
ACTIONS = (
    "read",
    "create",
    "update",
    "delete",
    "export",
    "merge",
    "purge",
    "anonymise",
    "refuse",
)


class AuditFilters(BaseModel):
    """What to keep of the log; every filter left None keeps everything."""

    organisation: str | None = None
    client_id: int | None = None
    file_number: str | None = None
    user_email: str | None = None
    since: datetime | None = None
    # Exclusive: the web's date range asks for events before the day after its last day.
    until: datetime | None = None
    action: str | None = None


class AuditRow(BaseModel):
    """One audit event, with the caller's email and the file number if the file still exists."""

    id: int
    at: datetime
    who: str
    action: str
    record_type: str
    record_id: int | None
    client_id: int | None
    file_number: str | None
    source: str
    detail: str | None


class AuditPage(BaseModel):
    """A page of the log, newest first; `next_before` asks for the following page."""

    rows: list[AuditRow]
    next_before: int | None


def list_audit(
    session: Session,
    actor: Actor,
    filters: AuditFilters,
    *,
    limit: int = 100,
    before: int | None = None,
) -> AuditPage:
    """Return the audit rows of an organisation, newest first, `limit` a page (keyset on id).

    The operator at the command line may leave the organisation out and read every row.

    Raises:
        NotFound: an organisation she does not belong to.
        Forbidden: hers, but her role does not give audit:read.
        InvalidInput: an unknown action or a limit out of 1..500.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(N_("limit must be between 1 and %(maximum)s"), maximum=MAX_LIMIT)
    if filters.action is not None and filters.action not in ACTIONS:
        raise InvalidInput(
            N_("unknown action %(action)r: use one of %(actions)s"),
            action=filters.action,
            actions=", ".join(ACTIONS),
        )
    organisation_id: int | None = None
    if filters.organisation is not None or not actor.operator:
        organisation_id = organisation_for(
            session, actor, Permission.AUDIT_READ, filters.organisation
        ).id
    query = (
        select(AuditEvent, User.email, Client.file_number)
        .join(User, col(User.id) == col(AuditEvent.user_id), isouter=True)
        # Opened before the event: SQLite may give a destroyed file's id to a newer file.
        .join(
            Client,
            and_(
                col(Client.id) == col(AuditEvent.client_id),
                col(Client.created_at) <= col(AuditEvent.at),
            ),
            isouter=True,
        )
    )
    if organisation_id is not None:
        query = query.where(AuditEvent.organisation_id == organisation_id)
    if filters.client_id is not None:
        query = query.where(AuditEvent.client_id == filters.client_id)
    if filters.file_number is not None:
        query = query.where(Client.file_number == filters.file_number)
    if filters.user_email is not None:
        query = query.where(func.lower(col(User.email)) == filters.user_email.strip().lower())
    if filters.since is not None:
        query = query.where(AuditEvent.at >= filters.since)
    if filters.until is not None:
        query = query.where(AuditEvent.at < filters.until)
    if filters.action is not None:
        query = query.where(AuditEvent.action == filters.action)
    if before is not None:
        query = query.where(col(AuditEvent.id) < before)
    # One more than the page: whether a next page exists, without a count.
    found = session.exec(query.order_by(col(AuditEvent.id).desc()).limit(limit + 1)).all()
    rows = [_row(event, email, number) for event, email, number in found[:limit]]
    audit(
        session,
        actor,
        "read",
        "audit_log",
        organisation_id=organisation_id,
        detail=_describe(filters, len(rows)),
    )
    session.commit()
    return AuditPage(rows=rows, next_before=rows[-1].id if len(found) > limit else None)


def _row(event: AuditEvent, email: str | None, file_number: str | None) -> AuditRow:
    assert event.id is not None
    return AuditRow(
        id=event.id,
        at=event.at,
        # No user: the operator at the command line, whose login is the source.
        who=email or event.source,
        action=event.action,
        record_type=event.record_type,
        record_id=event.record_id,
        client_id=event.client_id,
        file_number=file_number,
        source=event.source,
        detail=event.detail,
    )


def _describe(filters: AuditFilters, count: int) -> str:
    """The filters of a reading, for the audit row it leaves."""
    used = filters.model_dump(exclude_none=True, exclude={"organisation"})
    parts = [f"{key}={value}" for key, value in used.items()]
    return f"{count} rows" + (f"; {', '.join(parts)}" if parts else "")
