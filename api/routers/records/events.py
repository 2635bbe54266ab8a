"""Service events of a client (log, correct, delete) and her timeline."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.access import requires
from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.events import (
    EventAnswer,
    delete_event,
    list_events,
    log_event,
    update_event,
)
from services.records.timeline import TimelineEntry, client_timeline

router = APIRouter(prefix="/v1/records", tags=["records: services"], responses=ERROR_RESPONSES)


class EventBody(BaseModel):
    """A service to log: only `kind` is needed (today, in person, by the caller)."""

    kind: str = Field(description="intake, individual_consultation, phone_follow_up, ...")
    program: str | None = Field(
        default=None, description="Program code; by default her only current enrolment's"
    )
    occurred_on: date | None = None
    duration_minutes: int | None = None
    mode: str = "in_person"
    notes: str | None = None
    notes_restricted: bool = False


class EventChanges(BaseModel):
    """The fields of an event to change; those left out stay as they are."""

    kind: str | None = None
    occurred_on: date | None = None
    duration_minutes: int | None = None
    mode: str | None = None
    notes: str | None = None
    notes_restricted: bool | None = None


@router.post("/clients/{client_id}/events", status_code=201)
def post_event(
    client_id: int,
    body: EventBody,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.SERVICES_WRITE)],
) -> EventAnswer:
    """Log a service given to a client."""
    return log_event(session, actor, client_id, **body.model_dump())


@router.get("/clients/{client_id}/events")
def get_events(
    client_id: int, session: SessionDep, actor: Annotated[Actor, requires(Permission.CLIENTS_READ)]
) -> list[EventAnswer]:
    """A client's service events, latest first (restricted notes hidden unless clinical)."""
    return list_events(session, actor, client_id)


@router.patch("/events/{event_id}")
def patch_event(
    event_id: int,
    body: EventChanges,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.SERVICES_WRITE)],
) -> EventAnswer:
    """Correct a service event."""
    return update_event(session, actor, event_id, body.model_dump(exclude_unset=True))


@router.delete("/events/{event_id}", status_code=204)
def remove_event(
    event_id: int,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.SERVICES_WRITE)],
) -> None:
    """Delete a service event logged by mistake."""
    delete_event(session, actor, event_id)


@router.get("/clients/{client_id}/timeline")
def get_timeline(
    client_id: int, session: SessionDep, actor: Annotated[Actor, requires(Permission.CLIENTS_READ)]
) -> list[TimelineEntry]:
    """Everything done with a client in date order; clinical entries hidden unless hers."""
    return client_timeline(session, actor, client_id)
