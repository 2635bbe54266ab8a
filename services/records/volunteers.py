"""Volunteers: who they are and when they can usually come (their shifts: shifts.py).

Coordinators manage volunteers (programs:manage). `user_id` links a volunteer's account to her
row, so that she reads her own shifts (services/records/shifts.py).
"""

from __future__ import annotations

from datetime import time

from pydantic import BaseModel, Field
from sqlmodel import Session, select

from core.errors import N_, InvalidInput, NotFound
from core.models import Volunteer, VolunteerAvailability
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.scope import organisation_for


class SlotIn(BaseModel):
    """A weekly availability: weekday (0 Monday .. 6 Sunday) and hours."""

    weekday: int = Field(ge=0, le=6)
    starts_at: time
    ends_at: time


class VolunteerIn(BaseModel):
    """A volunteer; `user_id` links her account so she sees her own shifts."""

    name: str = Field(min_length=1, max_length=200)
    phone: str | None = Field(default=None, max_length=32)
    user_id: int | None = None
    availability: list[SlotIn] = Field(default_factory=list)


class VolunteerOut(VolunteerIn):
    """A volunteer and her availability."""

    volunteer_id: int
    active: bool


def volunteer_out(session: Session, volunteer: Volunteer) -> VolunteerOut:
    """The answer for a volunteer, with her availability."""
    assert volunteer.id is not None
    slots = session.exec(
        select(VolunteerAvailability).where(VolunteerAvailability.volunteer_id == volunteer.id)
    ).all()
    return VolunteerOut(
        volunteer_id=volunteer.id,
        name=volunteer.name,
        phone=volunteer.phone,
        user_id=volunteer.user_id,
        active=volunteer.active,
        availability=[
            SlotIn(weekday=s.weekday, starts_at=s.starts_at, ends_at=s.ends_at) for s in slots
        ],
    )


def _check_slots(slots: list[SlotIn]) -> None:
    for slot in slots:
        if slot.ends_at <= slot.starts_at:
            raise InvalidInput(N_("an availability must end after it starts"))


def add_volunteer(
    session: Session, actor: Actor, volunteer: VolunteerIn, org: str | None = None
) -> VolunteerOut:
    """Add a volunteer and her weekly availability."""
    organisation = organisation_for(session, actor, Permission.PROGRAMS_MANAGE, org)
    assert organisation.id is not None
    _check_slots(volunteer.availability)
    row = Volunteer(
        organisation_id=organisation.id,
        user_id=volunteer.user_id,
        name=volunteer.name.strip(),
        phone=volunteer.phone,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    for slot in volunteer.availability:
        session.add(VolunteerAvailability(volunteer_id=row.id, **slot.model_dump()))
    audit(session, actor, "create", "volunteer", record_id=row.id, organisation_id=organisation.id)
    session.commit()
    return volunteer_out(session, row)


def volunteer_for(session: Session, actor: Actor, volunteer_id: int | None) -> Volunteer:
    """A volunteer of her organisation she may manage (404 for another organisation's)."""
    volunteer = session.get(Volunteer, volunteer_id) if volunteer_id is not None else None
    if volunteer is None or not (
        actor.operator or volunteer.organisation_id in actor.organisations()
    ):
        raise NotFound(f"no volunteer {volunteer_id}")
    actor.require(Permission.PROGRAMS_MANAGE, volunteer.organisation_id)
    return volunteer


def set_availability(
    session: Session, actor: Actor, volunteer_id: int, slots: list[SlotIn]
) -> VolunteerOut:
    """Replace a volunteer's weekly availability."""
    volunteer = volunteer_for(session, actor, volunteer_id)
    _check_slots(slots)
    for old in session.exec(
        select(VolunteerAvailability).where(VolunteerAvailability.volunteer_id == volunteer_id)
    ).all():
        session.delete(old)
    for slot in slots:
        session.add(VolunteerAvailability(volunteer_id=volunteer_id, **slot.model_dump()))
    audit(
        session,
        actor,
        "update",
        "volunteer",
        record_id=volunteer_id,
        organisation_id=volunteer.organisation_id,
        detail="availability",
    )
    session.commit()
    return volunteer_out(session, volunteer)


def list_volunteers(session: Session, actor: Actor, org: str | None = None) -> list[VolunteerOut]:
    """The organisation's volunteers (one audit row)."""
    organisation = organisation_for(session, actor, Permission.PROGRAMS_MANAGE, org)
    rows = session.exec(
        select(Volunteer)
        .where(Volunteer.organisation_id == organisation.id)
        .order_by(Volunteer.name)
    ).all()
    audit(
        session,
        actor,
        "read",
        "volunteer_list",
        organisation_id=organisation.id,
        detail=f"{len(rows)}",
    )
    session.commit()
    return [volunteer_out(session, row) for row in rows]
