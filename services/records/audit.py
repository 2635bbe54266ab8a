"""The audit log: one append-only row for every read and write of a client's data."""

from __future__ import annotations

from sqlmodel import Session

from core.models import AuditEvent, Client
from services.access.actor import Actor


def audit(
    session: Session,
    actor: Actor,
    action: str,
    record_type: str,
    *,
    record_id: int | None = None,
    client: Client | None = None,
    client_id: int | None = None,
    organisation_id: int | None = None,
    detail: str | None = None,
) -> None:
    """Add an audit row to the session; the use case's own commit writes it with its change.

    `action` is read, create, update, delete, export, merge, purge, anonymise or refuse.
    """
    if client is not None:
        client_id = client.id
        organisation_id = organisation_id or client.organisation_id
    session.add(
        AuditEvent(
            user_id=actor.user_id,
            organisation_id=organisation_id,
            action=action,
            record_type=record_type,
            record_id=record_id,
            client_id=client_id,
            source=actor.source[:64] if not actor.operator else actor.email[:64],
            detail=detail[:500] if detail else None,
        )
    )
