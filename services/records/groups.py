"""Group sessions of a program (workshops), who is registered, and who came.

A session has a capacity: registering one more client than it holds is refused (there is no
waiting list yet). Marking a client present logs one group_attendance service event for her,
so individual and group services are counted the same way; marking her absent again removes
that event.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, func, select

from core.errors import N_, InvalidInput, NotFound
from core.models import Attendance, GroupSession, Program, ServiceEvent
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.care_scope import program_of
from services.records.scope import client_for, organisation_for, program_record_for

EDITABLE = ("title", "held_on", "duration_minutes", "capacity", "location")


class AttendanceAnswer(BaseModel):
    """One registered client and whether she came."""

    id: int
    client_id: int
    present: bool


class GroupSessionAnswer(BaseModel):
    """A group session; `attendance` is filled when one session is read."""

    id: int
    program: str
    title: str
    held_on: date
    duration_minutes: int
    capacity: int
    location: str | None
    registered: int
    attendance: list[AttendanceAnswer] | None = None


def _answer(
    session: Session, group: GroupSession, program: Program, *, with_attendance: bool = False
) -> GroupSessionAnswer:
    rows = session.exec(
        select(Attendance).where(Attendance.group_session_id == group.id).order_by(Attendance.id)  # type: ignore[arg-type]
    ).all()
    assert group.id is not None
    return GroupSessionAnswer(
        id=group.id,
        program=program.code,
        title=group.title,
        held_on=group.held_on,
        duration_minutes=group.duration_minutes,
        capacity=group.capacity,
        location=group.location,
        registered=len(rows),
        attendance=[
            AttendanceAnswer(id=row.id or 0, client_id=row.client_id, present=row.present)
            for row in rows
        ]
        if with_attendance
        else None,
    )


def _validate(group: GroupSession) -> None:
    if not group.title.strip():
        raise InvalidInput(N_("a session needs a title"))
    if group.capacity < 1:
        raise InvalidInput(N_("capacity must be at least 1"))
    if not 0 < group.duration_minutes <= 24 * 60:
        raise InvalidInput(N_("duration_minutes must be between 1 and 1440"))


def _session_for(
    session: Session, actor: Actor, session_id: int, permission: Permission
) -> tuple[GroupSession, Program]:
    """A session of one of her organisations (else not found), checked for `permission`."""
    return program_record_for(session, actor, GroupSession, session_id, permission, "group session")


def create_session(
    session: Session,
    actor: Actor,
    program: str,
    title: str,
    held_on: date,
    *,
    organisation: str | None = None,
    duration_minutes: int = 90,
    capacity: int = 12,
    location: str | None = None,
) -> GroupSessionAnswer:
    """Plan a group session of a program of her organisation (or the one named)."""
    owner = organisation_for(session, actor, Permission.PROGRAMS_MANAGE, organisation)
    assert owner.id is not None
    chosen = program_of(session, owner.id, program)
    assert chosen.id is not None
    group = GroupSession(
        program_id=chosen.id,
        title=title,
        held_on=held_on,
        duration_minutes=duration_minutes,
        capacity=capacity,
        location=location,
    )
    _validate(group)
    session.add(group)
    session.flush()
    # Not a client's data, but every write through the records is in the log all the same.
    audit(session, actor, "create", "group_session", record_id=group.id, organisation_id=owner.id)
    session.commit()
    return _answer(session, group, chosen)


def list_sessions(
    session: Session,
    actor: Actor,
    *,
    organisation: str | None = None,
    program: str | None = None,
    since: date | None = None,
) -> list[GroupSessionAnswer]:
    """Her organisation's group sessions, soonest first (from `since`, of one program)."""
    owner = organisation_for(session, actor, Permission.SERVICES_WRITE, organisation)
    query = (
        select(GroupSession, Program)
        .join(Program, Program.id == GroupSession.program_id)  # type: ignore[arg-type]
        .where(Program.organisation_id == owner.id)
    )
    if program:
        assert owner.id is not None
        query = query.where(Program.id == program_of(session, owner.id, program).id)
    if since:
        query = query.where(GroupSession.held_on >= since)
    rows = session.exec(query.order_by(GroupSession.held_on, GroupSession.id)).all()  # type: ignore[arg-type]
    audit(
        session,
        actor,
        "read",
        "group_session_list",
        organisation_id=owner.id,
        detail=f"{len(rows)} sessions",
    )
    session.commit()
    return [_answer(session, group, chosen) for group, chosen in rows]


def get_session(session: Session, actor: Actor, session_id: int) -> GroupSessionAnswer:
    """One session with who is registered and who came (a read of clients' data: audited)."""
    group, program = _session_for(session, actor, session_id, Permission.SERVICES_WRITE)
    answer = _answer(session, group, program, with_attendance=True)
    audit(
        session,
        actor,
        "read",
        "group_session",
        record_id=group.id,
        organisation_id=program.organisation_id,
        detail=f"{answer.registered} registered",
    )
    session.commit()
    return answer


def update_session(
    session: Session, actor: Actor, session_id: int, changes: Mapping[str, Any]
) -> GroupSessionAnswer:
    """Change a session's title, day, duration, capacity or place (not below those registered)."""
    group, program = _session_for(session, actor, session_id, Permission.PROGRAMS_MANAGE)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InvalidInput(
            N_("cannot change %(unknown)s: use %(editable)s"),
            unknown=", ".join(unknown),
            editable=", ".join(EDITABLE),
        )
    for name, value in changes.items():
        if value is None and name != "location":
            raise InvalidInput(N_("%(name)s cannot be empty"), name=name)
        setattr(group, name, value)
    _validate(group)
    registered = _registered(session, group)
    if group.capacity < registered:
        raise InvalidInput(
            N_("capacity %(capacity)s is below the %(registered)s registered"),
            capacity=group.capacity,
            registered=registered,
        )
    session.add(group)
    audit(
        session,
        actor,
        "update",
        "group_session",
        record_id=group.id,
        organisation_id=program.organisation_id,
        detail=", ".join(sorted(changes)),
    )
    session.commit()
    return _answer(session, group, program)


def _registered(session: Session, group: GroupSession) -> int:
    return session.exec(
        select(func.count()).select_from(Attendance).where(Attendance.group_session_id == group.id)
    ).one()


def record_attendance(
    session: Session, actor: Actor, session_id: int, client_id: int, present: bool | None = None
) -> AttendanceAnswer:
    """Register a client for a session, and mark her present or absent (`present` given).

    Raises:
        InvalidInput: the session is full (the message names its capacity).
        NotFound: the session or the client is not of her organisation.
    """
    group, program = _session_for(session, actor, session_id, Permission.SERVICES_WRITE)
    client = client_for(session, actor, client_id, Permission.SERVICES_WRITE)
    if client.organisation_id != program.organisation_id:
        raise NotFound(f"no client {client_id}")
    row = session.exec(
        select(Attendance).where(
            Attendance.group_session_id == session_id, Attendance.client_id == client_id
        )
    ).first()
    action = "update"
    if row is None:
        capacity_left = group.capacity - _registered(session, group)
        if capacity_left <= 0:
            raise InvalidInput(
                N_("this session is full: its capacity is %(capacity)s"), capacity=group.capacity
            )
        # Registered, not yet seen: she is present once someone marks her so.
        row = Attendance(group_session_id=session_id, client_id=client_id, present=False)
        action = "create"
    if present is not None:
        row.present = present
    session.add(row)
    session.flush()
    _sync_event(session, actor, group, row)
    audit(
        session,
        actor,
        action,
        "attendance",
        record_id=row.id,
        client=client,
        detail=f"session {session_id}: {'present' if row.present else 'not present'}",
    )
    session.commit()
    assert row.id is not None
    return AttendanceAnswer(id=row.id, client_id=client_id, present=row.present)


def _sync_event(session: Session, actor: Actor, group: GroupSession, row: Attendance) -> None:
    """Keep exactly one group_attendance event while she is marked present, none otherwise."""
    events = session.exec(
        select(ServiceEvent).where(
            ServiceEvent.client_id == row.client_id,
            ServiceEvent.group_session_id == group.id,
            ServiceEvent.kind == "group_attendance",
        )
    ).all()
    if row.present and not events:
        session.add(
            ServiceEvent(
                client_id=row.client_id,
                program_id=group.program_id,
                kind="group_attendance",
                occurred_on=group.held_on,
                duration_minutes=group.duration_minutes,
                staff_id=actor.user_id,
                group_session_id=group.id,
            )
        )
    elif not row.present:
        for event in events:
            session.delete(event)
