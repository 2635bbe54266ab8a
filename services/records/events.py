"""Service events: log, correct and delete what was done with a client, in one request.

Logging is meant to take three clicks in the web app: the day defaults to today, the mode to
in person, the staff member to the caller, and the program to the client's only current
enrolment. Notes marked restricted are clinical: written and read by the dietitians of the
event's program only; everyone else sees the event with its notes hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, or_, select

from core.errors import N_, InvalidInput
from core.models import Client, Enrolment, Program, ServiceEvent
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.care_scope import (
    check_choice,
    program_code,
    program_of,
    require_on_program,
)
from services.records.scope import client_for, client_record_for

KINDS = (
    "intake",
    "individual_consultation",
    "phone_follow_up",
    "home_visit",
    "group_attendance",
    "referral",
    "distribution",
    # Le Sésame (issue 14): a visit to the neighbourhood café, a solidarity meal served there.
    "cafe_attendance",
    "solidarity_meal",
)
MODES = ("in_person", "phone", "video", "home")
EDITABLE = ("kind", "occurred_on", "duration_minutes", "mode", "notes", "notes_restricted")


class EventAnswer(BaseModel):
    """A service event as its reader may see it: `restricted` when its notes are hidden."""

    id: int
    client_id: int
    program: str
    kind: str
    occurred_on: date
    duration_minutes: int | None
    mode: str
    staff_id: int | None
    notes: str | None
    notes_restricted: bool
    group_session_id: int | None
    restricted: bool = False


def event_answer(
    session: Session, actor: Actor, event: ServiceEvent, organisation_id: int
) -> EventAnswer:
    """The answer for one event, its restricted notes hidden unless she reads clinical data."""
    assert event.id is not None
    hidden = event.notes_restricted and not actor.allows(
        Permission.CLINICAL_READ, organisation_id, event.program_id
    )
    return EventAnswer(
        id=event.id,
        client_id=event.client_id,
        program=program_code(session, event.program_id),
        kind=event.kind,
        occurred_on=event.occurred_on,
        duration_minutes=event.duration_minutes,
        mode=event.mode,
        staff_id=event.staff_id,
        notes=None if hidden else event.notes,
        notes_restricted=event.notes_restricted,
        group_session_id=event.group_session_id,
        restricted=hidden,
    )


def _default_program(session: Session, client: Client) -> Program:
    """The program of her only current enrolment; otherwise the caller must name one."""
    today = date.today()
    programs = session.exec(
        select(Program)
        .join(Enrolment, Enrolment.program_id == Program.id)  # type: ignore[arg-type]
        .where(
            Enrolment.client_id == client.id,
            Enrolment.starts_on <= today,
            or_(
                Enrolment.ends_on.is_(None),  # type: ignore[union-attr]
                Enrolment.ends_on >= today,  # type: ignore[operator]
            ),
        )
    ).all()
    if len({program.id for program in programs}) == 1:
        return programs[0]
    raise InvalidInput(N_("name the program of this service (she is not enrolled in exactly one)"))


def _validate(kind: str, mode: str, duration_minutes: int | None) -> None:
    check_choice(kind, KINDS, "kind")
    check_choice(mode, MODES, "mode")
    if duration_minutes is not None and not 0 < duration_minutes <= 24 * 60:
        raise InvalidInput(N_("duration_minutes must be between 1 and 1440"))


def _check_restricted(session: Session, actor: Actor, event: ServiceEvent, client: Client) -> None:
    """Restricted notes are written by the dietitians of the event's program only."""
    if event.notes_restricted:
        require_on_program(session, actor, Permission.CLINICAL_WRITE, client, event.program_id)


def log_event(
    session: Session,
    actor: Actor,
    client_id: int,
    kind: str,
    *,
    program: str | None = None,
    occurred_on: date | None = None,
    duration_minutes: int | None = None,
    mode: str = "in_person",
    notes: str | None = None,
    notes_restricted: bool = False,
    group_session_id: int | None = None,
) -> EventAnswer:
    """Log one service given to a client (today, in person, by the caller unless told).

    Raises:
        InvalidInput: an unknown kind or mode (the message lists them), a program not of
            her organisation, or no program named when she is not enrolled in exactly one.
        Forbidden: restricted notes by someone who is not a dietitian of that program.
    """
    client = client_for(session, actor, client_id, Permission.SERVICES_WRITE)
    _validate(kind, mode, duration_minutes)
    chosen = (
        program_of(session, client.organisation_id, program)
        if program
        else _default_program(session, client)
    )
    assert chosen.id is not None
    event = ServiceEvent(
        client_id=client_id,
        program_id=chosen.id,
        kind=kind,
        occurred_on=occurred_on or date.today(),
        duration_minutes=duration_minutes,
        staff_id=actor.user_id,
        mode=mode,
        notes=notes,
        notes_restricted=notes_restricted,
        group_session_id=group_session_id,
    )
    _check_restricted(session, actor, event, client)
    session.add(event)
    session.flush()
    audit(session, actor, "create", "service_event", record_id=event.id, client=client, detail=kind)
    session.commit()
    return event_answer(session, actor, event, client.organisation_id)


def _event_for(
    session: Session, actor: Actor, event_id: int, permission: Permission
) -> tuple[ServiceEvent, Client]:
    return client_record_for(session, actor, ServiceEvent, event_id, permission, "service event")


def update_event(
    session: Session, actor: Actor, event_id: int, changes: Mapping[str, Any]
) -> EventAnswer:
    """Correct an event: only the fields given change (kind, day, duration, mode, notes)."""
    event, client = _event_for(session, actor, event_id, Permission.SERVICES_WRITE)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InvalidInput(
            N_("cannot change %(unknown)s: use %(editable)s"),
            unknown=", ".join(unknown),
            editable=", ".join(EDITABLE),
        )
    # Restricted before or after the change: either way she touches clinical notes.
    _check_restricted(session, actor, event, client)
    for name, value in changes.items():
        if value is None and name in ("kind", "occurred_on", "mode", "notes_restricted"):
            raise InvalidInput(N_("%(name)s cannot be empty"), name=name)
        setattr(event, name, value)
    _validate(event.kind, event.mode, event.duration_minutes)
    _check_restricted(session, actor, event, client)
    session.add(event)
    audit(
        session,
        actor,
        "update",
        "service_event",
        record_id=event.id,
        client=client,
        detail=", ".join(sorted(changes)),
    )
    session.commit()
    return event_answer(session, actor, event, client.organisation_id)


def delete_event(session: Session, actor: Actor, event_id: int) -> None:
    """Delete an event logged by mistake (the audit log keeps that it existed)."""
    event, client = _event_for(session, actor, event_id, Permission.SERVICES_WRITE)
    _check_restricted(session, actor, event, client)
    audit(
        session,
        actor,
        "delete",
        "service_event",
        record_id=event.id,
        client=client,
        detail=f"{event.kind} on {event.occurred_on.isoformat()}",
    )
    session.delete(event)
    session.commit()


def list_events(session: Session, actor: Actor, client_id: int) -> list[EventAnswer]:
    """A client's service events, latest first, restricted notes hidden where they must be."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_READ)
    events = session.exec(
        select(ServiceEvent)
        .where(ServiceEvent.client_id == client_id)
        .order_by(ServiceEvent.occurred_on.desc(), ServiceEvent.id.desc())  # type: ignore[attr-defined,union-attr]
    ).all()
    audit(
        session, actor, "read", "service_event_list", client=client, detail=f"{len(events)} events"
    )
    session.commit()
    return [event_answer(session, actor, event, client.organisation_id) for event in events]
