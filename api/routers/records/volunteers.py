"""Volunteers and shifts: availability, substitutions, hours; a volunteer's own shifts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.access import requires
from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.shifts import (
    ShiftIn,
    ShiftOut,
    add_shift,
    close_shift,
    list_shifts,
    my_shifts,
    substitute,
    substitutes,
)
from services.records.volunteers import (
    SlotIn,
    VolunteerIn,
    VolunteerOut,
    add_volunteer,
    list_volunteers,
    set_availability,
)

router = APIRouter(prefix="/v1/records", tags=["records: volunteers"], responses=ERROR_RESPONSES)
Manager = Annotated[Actor, requires(Permission.PROGRAMS_MANAGE)]
Org = Annotated[str | None, Query(description="Organisation slug")]


class SubstitutionBody(BaseModel):
    """Why the planned volunteer cannot come, and who replaces her (the first free one if none)."""

    reason: str = Field(max_length=300)
    volunteer_id: int | None = None


class CloseBody(BaseModel):
    """A shift done (hours worked: its planned hours unless given) or cancelled."""

    status: str
    hours: Decimal | None = Field(default=None, ge=0, le=24)


@router.post("/volunteers", status_code=201)
def post_volunteer(
    body: VolunteerIn, session: SessionDep, actor: Manager, org: Org = None
) -> VolunteerOut:
    """Add a volunteer and her weekly availability."""
    return add_volunteer(session, actor, body, org)


@router.get("/volunteers")
def get_volunteers(session: SessionDep, actor: Manager, org: Org = None) -> list[VolunteerOut]:
    """The organisation's volunteers."""
    return list_volunteers(session, actor, org)


@router.put("/volunteers/{volunteer_id}/availability")
def put_availability(
    volunteer_id: int, body: list[SlotIn], session: SessionDep, actor: Manager
) -> VolunteerOut:
    """Replace a volunteer's weekly availability."""
    return set_availability(session, actor, volunteer_id, body)


@router.post("/shifts", status_code=201)
def post_shift(body: ShiftIn, session: SessionDep, actor: Manager, org: Org = None) -> ShiftOut:
    """Plan a shift on a route, a kitchen, the café, the boxes or food aid."""
    return add_shift(session, actor, body, org)


@router.get("/shifts")
def get_shifts(
    starts_on: date, ends_on: date, session: SessionDep, actor: Manager, org: Org = None
) -> list[ShiftOut]:
    """The organisation's shifts between two days."""
    return list_shifts(session, actor, starts_on, ends_on, org)


@router.get("/shifts/mine")
def get_my_shifts(
    starts_on: date,
    ends_on: date,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.DELIVERIES_READ)],
) -> list[ShiftOut]:
    """The caller's own shifts: what each needs, and nothing about clients."""
    return my_shifts(session, actor, starts_on, ends_on)


@router.get("/shifts/{shift_id}/substitutes")
def get_substitutes(shift_id: int, session: SessionDep, actor: Manager) -> list[VolunteerOut]:
    """Volunteers free for a shift (available then, with no other shift)."""
    return substitutes(session, actor, shift_id)


@router.post("/shifts/{shift_id}/substitution")
def post_substitution(
    shift_id: int, body: SubstitutionBody, session: SessionDep, actor: Manager
) -> ShiftOut:
    """Replace the shift's volunteer who cannot come."""
    return substitute(session, actor, shift_id, body.reason, body.volunteer_id)


@router.post("/shifts/{shift_id}/close")
def post_close(shift_id: int, body: CloseBody, session: SessionDep, actor: Manager) -> ShiftOut:
    """Mark a shift done (with its hours) or cancelled."""
    return close_shift(session, actor, shift_id, body.status, body.hours)
