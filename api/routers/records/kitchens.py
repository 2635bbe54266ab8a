"""Collective kitchens: sessions, participants, portions and the cost per portion."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.access import requires
from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.kitchens import (
    KitchenIn,
    KitchenOut,
    add_participant,
    create_kitchen,
    list_kitchens,
    list_participants,
    read_kitchen,
    record_portions,
)

router = APIRouter(
    prefix="/v1/records", tags=["records: collective kitchens"], responses=ERROR_RESPONSES
)


class PortionsBody(BaseModel):
    """The portions a session made."""

    portions: int = Field(ge=0, le=10000)


class ParticipantBody(BaseModel):
    """A client cooking at the session."""

    client_id: int


@router.post("/kitchen-sessions", status_code=201)
def post_kitchen(
    body: KitchenIn,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.PROGRAMS_MANAGE)],
    org: Annotated[str | None, Query(description="Organisation slug")] = None,
) -> KitchenOut:
    """Plan a kitchen session and its recipe (basket items)."""
    return create_kitchen(session, actor, body, org)


@router.get("/kitchen-sessions")
def get_kitchens(
    starts_on: date,
    ends_on: date,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.SERVICES_WRITE)],
    org: Annotated[str | None, Query(description="Organisation slug")] = None,
) -> list[KitchenOut]:
    """The organisation's sessions between two days, each with its cost per portion."""
    return list_kitchens(session, actor, starts_on, ends_on, org)


@router.get("/kitchen-sessions/{kitchen_session_id}")
def get_kitchen(
    kitchen_session_id: int,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.SERVICES_WRITE)],
) -> KitchenOut:
    """A session and its cost per portion at current prices."""
    return read_kitchen(session, actor, kitchen_session_id)


@router.post("/kitchen-sessions/{kitchen_session_id}/portions")
def post_portions(
    kitchen_session_id: int,
    body: PortionsBody,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.SERVICES_WRITE)],
) -> KitchenOut:
    """Record the portions made."""
    return record_portions(session, actor, kitchen_session_id, body.portions)


@router.post("/kitchen-sessions/{kitchen_session_id}/participants", status_code=201)
def post_participant(
    kitchen_session_id: int,
    body: ParticipantBody,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.SERVICES_WRITE)],
) -> KitchenOut:
    """Register a client at a session."""
    return add_participant(session, actor, kitchen_session_id, body.client_id)


@router.get("/kitchen-sessions/{kitchen_session_id}/participants")
def get_participants(
    kitchen_session_id: int,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.CLIENTS_READ)],
) -> list[int]:
    """The client ids registered at a session."""
    return list_participants(session, actor, kitchen_session_id)
