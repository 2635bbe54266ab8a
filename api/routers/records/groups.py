"""Group sessions (workshops) of a program, and who registered and came."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.access import requires
from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.groups import (
    AttendanceAnswer,
    GroupSessionAnswer,
    create_session,
    get_session,
    list_sessions,
    record_attendance,
    update_session,
)

router = APIRouter(prefix="/v1/records", tags=["records: groups"], responses=ERROR_RESPONSES)


class GroupSessionBody(BaseModel):
    """A session to plan."""

    program: str
    title: str
    held_on: date
    organisation: str | None = None
    duration_minutes: int = 90
    capacity: int = 12
    location: str | None = None


class GroupSessionChanges(BaseModel):
    """The fields of a session to change."""

    title: str | None = None
    held_on: date | None = None
    duration_minutes: int | None = None
    capacity: int | None = None
    location: str | None = None


class AttendanceBody(BaseModel):
    """Register a client; `present` marks whether she came (left out: registered only)."""

    client_id: int
    present: bool | None = None


@router.post("/group-sessions", status_code=201)
def post_group_session(
    body: GroupSessionBody,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.PROGRAMS_MANAGE)],
) -> GroupSessionAnswer:
    """Plan a group session."""
    values = body.model_dump()
    return create_session(
        session, actor, values.pop("program"), values.pop("title"), values.pop("held_on"), **values
    )


@router.get("/group-sessions")
def get_group_sessions(
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.SERVICES_WRITE)],
    organisation: Annotated[str | None, Query()] = None,
    program: Annotated[str | None, Query()] = None,
    since: Annotated[date | None, Query()] = None,
) -> list[GroupSessionAnswer]:
    """Her organisation's group sessions, soonest first."""
    return list_sessions(session, actor, organisation=organisation, program=program, since=since)


@router.get("/group-sessions/{session_id}")
def get_group_session(
    session_id: int,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.SERVICES_WRITE)],
) -> GroupSessionAnswer:
    """One session, with who registered and who came."""
    return get_session(session, actor, session_id)


@router.patch("/group-sessions/{session_id}")
def patch_group_session(
    session_id: int,
    body: GroupSessionChanges,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.PROGRAMS_MANAGE)],
) -> GroupSessionAnswer:
    """Change a session's title, day, duration, capacity or place."""
    return update_session(session, actor, session_id, body.model_dump(exclude_unset=True))


@router.post("/group-sessions/{session_id}/attendance")
def post_attendance(
    session_id: int,
    body: AttendanceBody,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.SERVICES_WRITE)],
) -> AttendanceAnswer:
    """Register a client for a session, or mark her present or absent."""
    return record_attendance(session, actor, session_id, body.client_id, body.present)
