"""/v1/records/activities: trainings, tools, publications, meetings (ACTIVITIES_WRITE)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from api.access import requires
from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.activities import (
    ActivityChange,
    ActivityInput,
    ActivityView,
    add_activity,
    delete_activity,
    list_activities,
    update_activity,
)

router = APIRouter(prefix="/v1/records/activities", tags=["records"], responses=ERROR_RESPONSES)
Writer = Annotated[Actor, requires(Permission.ACTIVITIES_WRITE)]


@router.post("", status_code=201)
def create(
    actor: Writer,
    session: SessionDep,
    body: ActivityInput,
    org: Annotated[str | None, Query(description="Organisation slug")] = None,
) -> ActivityView:
    """Record an activity."""
    return add_activity(session, actor, org, body)


@router.get("")
def index(
    actor: Writer,
    session: SessionDep,
    org: Annotated[str | None, Query(description="Organisation slug")] = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> list[ActivityView]:
    """The organisation's activities, oldest first."""
    return list_activities(session, actor, org, starts_on=starts_on, ends_on=ends_on)


@router.patch("/{activity_id}")
def change(
    actor: Writer, session: SessionDep, activity_id: int, body: ActivityChange
) -> ActivityView:
    """Change some fields of an activity."""
    return update_activity(session, actor, activity_id, body)


@router.delete("/{activity_id}", status_code=204)
def remove(actor: Writer, session: SessionDep, activity_id: int) -> None:
    """Delete an activity typed in by mistake."""
    delete_activity(session, actor, activity_id)
