"""Requests to access, correct or carry away one's data, answered within 30 days (s. 27-32).

The privacy officer records each request as it comes in; the list says which are overdue and
how many days are left on the others.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from core.errors import N_, InvalidInput, NotFound
from core.models import AccessRequest
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.scope import client_for, organisation_for, organisation_record_for

# s. 32 of the private-sector act: an answer within 30 days of receiving the request.
ANSWER_DAYS = 30
Kind = Literal["access", "correction", "portability"]


class NewAccessRequest(BaseModel):
    """A request as received."""

    kind: Kind
    requester: str = Field(min_length=1, max_length=200)
    received_on: date
    client_id: int | None = None
    notes: str | None = Field(default=None, max_length=1000)


class AccessRequestChange(BaseModel):
    """What may change on a request: the answer date, the notes, the file it concerns."""

    answered_on: date | None = None
    notes: str | None = Field(default=None, max_length=1000)
    client_id: int | None = None


class AccessRequestView(BaseModel):
    """A request, its due date and where it stands on `today`."""

    id: int
    kind: str
    requester: str
    client_id: int | None
    received_on: date
    due_on: date
    answered_on: date | None
    notes: str | None
    days_left: int | None = Field(description="Days until due; negative once overdue")
    overdue: bool = Field(description="Unanswered and past its due date")
    answered_late: bool


def record_request(
    session: Session,
    actor: Actor,
    request: NewAccessRequest,
    *,
    organisation: str | None = None,
) -> AccessRequestView:
    """Record a request, due 30 days after it was received; audited as "create"."""
    org = organisation_for(session, actor, Permission.PRIVACY_MANAGE, organisation)
    assert org.id is not None
    if request.client_id is not None:
        _check_client(session, actor, request.client_id, org.id)
    row = AccessRequest(
        organisation_id=org.id,
        client_id=request.client_id,
        kind=request.kind,
        requester=request.requester.strip(),
        received_on=request.received_on,
        due_on=request.received_on + timedelta(days=ANSWER_DAYS),
        notes=request.notes,
        handled_by_id=actor.user_id,
    )
    session.add(row)
    session.flush()
    audit(
        session,
        actor,
        "create",
        "access_request",
        record_id=row.id,
        client_id=row.client_id,
        organisation_id=org.id,
        detail=row.kind,
    )
    session.commit()
    return _view(row, date.today())


def list_requests(
    session: Session,
    actor: Actor,
    *,
    organisation: str | None = None,
    open_only: bool = False,
    today: date | None = None,
) -> list[AccessRequestView]:
    """The organisation's requests, oldest due first; one "read" audit row for the list."""
    org = organisation_for(session, actor, Permission.PRIVACY_MANAGE, organisation)
    query = select(AccessRequest).where(AccessRequest.organisation_id == org.id)
    if open_only:
        query = query.where(col(AccessRequest.answered_on).is_(None))
    rows = session.exec(query.order_by(col(AccessRequest.due_on), col(AccessRequest.id))).all()
    audit(
        session,
        actor,
        "read",
        "access_request_list",
        organisation_id=org.id,
        detail=f"{len(rows)} requests",
    )
    session.commit()
    return [_view(row, today or date.today()) for row in rows]


def update_request(
    session: Session, actor: Actor, request_id: int, change: AccessRequestChange
) -> AccessRequestView:
    """Record the answer (or notes) of a request; audited as "update".

    Raises:
        NotFound: no such request, or another organisation's.
        InvalidInput: an answer dated before the request was received.
    """
    row = organisation_record_for(
        session, actor, AccessRequest, request_id, Permission.PRIVACY_MANAGE, "access request"
    )
    fields = change.model_dump(exclude_unset=True)
    if fields.get("answered_on") is not None and fields["answered_on"] < row.received_on:
        raise InvalidInput(N_("answered_on is before the request was received"))
    if fields.get("client_id") is not None:
        _check_client(session, actor, fields["client_id"], row.organisation_id)
    for name, value in fields.items():
        setattr(row, name, value)
    row.handled_by_id = actor.user_id or row.handled_by_id
    session.add(row)
    audit(
        session,
        actor,
        "update",
        "access_request",
        record_id=row.id,
        client_id=row.client_id,
        organisation_id=row.organisation_id,
        detail=", ".join(sorted(fields)) or None,
    )
    session.commit()
    session.refresh(row)
    return _view(row, date.today())


def _check_client(session: Session, actor: Actor, client_id: int, organisation_id: int) -> None:
    """The file a request is about must be one of the request's organisation."""
    client = client_for(session, actor, client_id, Permission.PRIVACY_MANAGE)
    if client.organisation_id != organisation_id:
        raise NotFound(f"no client {client_id}")


def _view(row: AccessRequest, today: date) -> AccessRequestView:
    assert row.id is not None
    unanswered = row.answered_on is None
    return AccessRequestView(
        id=row.id,
        kind=row.kind,
        requester=row.requester,
        client_id=row.client_id,
        received_on=row.received_on,
        due_on=row.due_on,
        answered_on=row.answered_on,
        notes=row.notes,
        days_left=(row.due_on - today).days if unanswered else None,
        overdue=unanswered and today > row.due_on,
        answered_late=row.answered_on is not None and row.answered_on > row.due_on,
    )
