"""Actors for the care tests: a user with one role as the use cases see her; audit counts."""

from __future__ import annotations

import itertools

from sqlmodel import Session, func, select

from core.models import AuditEvent, User
from services.access.actor import Actor, load_actor
from services.access.organisations import ensure_organisations
from services.access.users import create_user

_numbers = itertools.count(1)


def actor(
    session: Session, role: str, *, organisation: str = "alima", program: str | None = None
) -> Actor:
    """Create an account with `role` (limited to `program` if given) and return her actor."""
    ensure_organisations(session)
    email = f"{role}-{next(_numbers)}@{organisation}.example"
    user: User = create_user(
        session,
        email,
        "a long test password",
        organisation=organisation,
        role=role,
        program=program,
    )
    session.commit()
    return load_actor(session, user, "test")


def audit_rows(session: Session) -> int:
    """How many audit rows there are."""
    return session.exec(select(func.count()).select_from(AuditEvent)).one()


def last_audit(session: Session) -> AuditEvent:
    """The latest audit row."""
    row = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()  # type: ignore[union-attr]
    assert row is not None
    return row
