"""Shifts on routes, kitchens, the café, boxes and food aid: substitutions and hours.

Coordinators plan, substitute and close shifts (programs:manage). A volunteer whose account is
linked to her volunteer row reads her own shifts only (deliveries:read), with what the shift
needs: day, hours, place, program, and for a kitchen the recipe — never a client's name.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, Field
from sqlmodel import Session, select

from core.errors import N_, InvalidInput, NotFound
from core.models import KitchenSession, Volunteer, VolunteerAvailability, VolunteerShift
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.care_scope import check_choice, program_code, program_of
from services.records.scope import organisation_for
from services.records.volunteers import VolunteerOut, volunteer_for, volunteer_out

KINDS = ("route", "kitchen", "cafe", "boxes", "food_aid")
STATUSES = ("planned", "done", "cancelled")
HOUR = Decimal("0.01")


class ShiftIn(BaseModel):
    """A shift of a program: kind, day, hours, place, and its volunteer if already chosen."""

    program: str = Field(examples=["cafe"])
    kind: str = Field(description="route, kitchen, cafe, boxes or food_aid")
    shift_on: date
    starts_at: time
    ends_at: time
    place: str | None = Field(default=None, max_length=200)
    kitchen_session_id: int | None = None
    volunteer_id: int | None = None


class ShiftOut(BaseModel):
    """A shift as a volunteer needs it (no client data)."""

    shift_id: int
    program: str
    kind: str
    shift_on: date
    starts_at: time
    ends_at: time
    place: str | None
    recipe: str | None
    volunteer_id: int | None
    replaced_volunteer_id: int | None
    substitution_reason: str | None
    status: str
    hours: Decimal | None


def _shift_out(session: Session, shift: VolunteerShift) -> ShiftOut:
    assert shift.id is not None
    kitchen = (
        session.get(KitchenSession, shift.kitchen_session_id) if shift.kitchen_session_id else None
    )
    return ShiftOut(
        shift_id=shift.id,
        program=program_code(session, shift.program_id),
        kind=shift.kind,
        shift_on=shift.shift_on,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
        place=shift.place or (kitchen.place if kitchen else None),
        recipe=kitchen.recipe if kitchen else None,
        volunteer_id=shift.volunteer_id,
        replaced_volunteer_id=shift.replaced_volunteer_id,
        substitution_reason=shift.substitution_reason,
        status=shift.status,
        hours=shift.hours,
    )


def add_shift(session: Session, actor: Actor, shift: ShiftIn, org: str | None = None) -> ShiftOut:
    """Plan a shift on a route, a kitchen, the café, the boxes or food aid."""
    organisation = organisation_for(session, actor, Permission.PROGRAMS_MANAGE, org)
    assert organisation.id is not None
    check_choice(shift.kind, KINDS, "kind")
    if shift.ends_at <= shift.starts_at:
        raise InvalidInput(N_("a shift must end after it starts"))
    program = program_of(session, organisation.id, shift.program)
    if shift.volunteer_id is not None:
        volunteer_for(session, actor, shift.volunteer_id)
    if shift.kitchen_session_id is not None:
        kitchen = session.get(KitchenSession, shift.kitchen_session_id)
        if kitchen is None or kitchen.organisation_id != organisation.id:
            raise NotFound(f"no kitchen session {shift.kitchen_session_id}")
    assert program.id is not None
    row = VolunteerShift(
        organisation_id=organisation.id,
        program_id=program.id,
        **shift.model_dump(exclude={"program"}),
    )
    session.add(row)
    session.flush()
    audit(
        session,
        actor,
        "create",
        "volunteer_shift",
        record_id=row.id,
        organisation_id=organisation.id,
    )
    session.commit()
    return _shift_out(session, row)


def _shift(session: Session, actor: Actor, shift_id: int, permission: Permission) -> VolunteerShift:
    shift = session.get(VolunteerShift, shift_id)
    if shift is None or not (actor.operator or shift.organisation_id in actor.organisations()):
        raise NotFound(f"no shift {shift_id}")
    actor.require(permission, shift.organisation_id)
    return shift


def _busy(session: Session, volunteer_id: int, shift: VolunteerShift) -> bool:
    """Whether she already has another shift that day overlapping this one's hours."""
    others = session.exec(
        select(VolunteerShift).where(
            VolunteerShift.volunteer_id == volunteer_id,
            VolunteerShift.shift_on == shift.shift_on,
            VolunteerShift.id != shift.id,
            VolunteerShift.status != "cancelled",
        )
    ).all()
    return any(o.starts_at < shift.ends_at and shift.starts_at < o.ends_at for o in others)


def _free(session: Session, shift: VolunteerShift) -> list[Volunteer]:
    """Active volunteers available that weekday over the shift's hours, with no other shift."""
    weekday = shift.shift_on.weekday()
    found = []
    for volunteer in session.exec(
        select(Volunteer)
        .where(Volunteer.organisation_id == shift.organisation_id, Volunteer.active)
        .order_by(Volunteer.id)  # type: ignore[arg-type]
    ).all():
        assert volunteer.id is not None
        if volunteer.id in (shift.volunteer_id, shift.replaced_volunteer_id):
            continue
        slots = session.exec(
            select(VolunteerAvailability).where(
                VolunteerAvailability.volunteer_id == volunteer.id,
                VolunteerAvailability.weekday == weekday,
            )
        ).all()
        covers = any(s.starts_at <= shift.starts_at and shift.ends_at <= s.ends_at for s in slots)
        if covers and not _busy(session, volunteer.id, shift):
            found.append(volunteer)
    return found


def substitutes(session: Session, actor: Actor, shift_id: int) -> list[VolunteerOut]:
    """Active volunteers free for a shift: available that weekday over its hours, not busy."""
    shift = _shift(session, actor, shift_id, Permission.PROGRAMS_MANAGE)
    found = [volunteer_out(session, volunteer) for volunteer in _free(session, shift)]
    audit(
        session,
        actor,
        "read",
        "volunteer_list",
        record_id=shift.id,
        organisation_id=shift.organisation_id,
        detail="substitutes",
    )
    session.commit()
    return found


def substitute(
    session: Session,
    actor: Actor,
    shift_id: int,
    reason: str,
    volunteer_id: int | None = None,
) -> ShiftOut:
    """Replace a shift's volunteer who cannot come: by the one named, else the first free one.

    Raises:
        InvalidInput: no reason, the shift is not planned, or nobody is free for it.
    """
    shift = _shift(session, actor, shift_id, Permission.PROGRAMS_MANAGE)
    if shift.status != "planned":
        raise InvalidInput(
            N_("this shift is %(status)s: only a planned shift is substituted"), status=shift.status
        )
    if not reason.strip():
        raise InvalidInput(N_("say why she cannot come"))
    if volunteer_id is None:
        free = _free(session, shift)
        if not free:
            raise InvalidInput(N_("nobody is available for this shift: ask around, or cancel it"))
        volunteer_id = free[0].id
    else:
        volunteer_for(session, actor, volunteer_id)
        if _busy(session, volunteer_id, shift):
            raise InvalidInput(
                N_("volunteer %(volunteer_id)s has another shift at that time"),
                volunteer_id=volunteer_id,
            )
    shift.replaced_volunteer_id = shift.volunteer_id
    shift.volunteer_id = volunteer_id
    shift.substitution_reason = reason.strip()[:300]
    session.add(shift)
    audit(
        session,
        actor,
        "update",
        "volunteer_shift",
        record_id=shift.id,
        organisation_id=shift.organisation_id,
        detail="substitution",
    )
    session.commit()
    return _shift_out(session, shift)


def close_shift(
    session: Session, actor: Actor, shift_id: int, status: str, hours: Decimal | None = None
) -> ShiftOut:
    """Mark a shift done (hours worked: its planned hours unless told) or cancelled."""
    shift = _shift(session, actor, shift_id, Permission.PROGRAMS_MANAGE)
    check_choice(status, STATUSES, "status")
    if status == "done" and hours is None:
        span = datetime.combine(shift.shift_on, shift.ends_at) - datetime.combine(
            shift.shift_on, shift.starts_at
        )
        hours = (Decimal(span.total_seconds()) / 3600).quantize(HOUR, rounding=ROUND_HALF_UP)
    shift.status = status
    shift.hours = hours if status == "done" else None
    session.add(shift)
    audit(
        session,
        actor,
        "update",
        "volunteer_shift",
        record_id=shift.id,
        organisation_id=shift.organisation_id,
        detail=status,
    )
    session.commit()
    return _shift_out(session, shift)


def list_shifts(
    session: Session, actor: Actor, starts_on: date, ends_on: date, org: str | None = None
) -> list[ShiftOut]:
    """The organisation's shifts between two days (coordinators)."""
    organisation = organisation_for(session, actor, Permission.PROGRAMS_MANAGE, org)
    rows = session.exec(
        select(VolunteerShift)
        .where(
            VolunteerShift.organisation_id == organisation.id,
            VolunteerShift.shift_on >= starts_on,
            VolunteerShift.shift_on <= ends_on,
        )
        .order_by(VolunteerShift.shift_on, VolunteerShift.starts_at)  # type: ignore[arg-type]
    ).all()
    audit(
        session,
        actor,
        "read",
        "volunteer_shift_list",
        organisation_id=organisation.id,
        detail=f"{len(rows)}",
    )
    session.commit()
    return [_shift_out(session, row) for row in rows]


def my_shifts(session: Session, actor: Actor, starts_on: date, ends_on: date) -> list[ShiftOut]:
    """The caller's own shifts between two days, as her volunteer rows are linked to her."""
    # The operator at the command line is no volunteer (user_id None would match unlinked rows).
    mine = [
        v.id
        for v in session.exec(select(Volunteer).where(Volunteer.user_id == actor.user_id)).all()
        if actor.user_id is not None and actor.allows(Permission.DELIVERIES_READ, v.organisation_id)
    ]
    rows = (
        session.exec(
            select(VolunteerShift)
            .where(
                VolunteerShift.volunteer_id.in_(mine),  # type: ignore[union-attr]
                VolunteerShift.shift_on >= starts_on,
                VolunteerShift.shift_on <= ends_on,
            )
            .order_by(VolunteerShift.shift_on, VolunteerShift.starts_at)  # type: ignore[arg-type]
        ).all()
        if mine
        else []
    )
    audit(session, actor, "read", "volunteer_shift_list", detail=f"own shifts: {len(rows)}")
    session.commit()
    return [_shift_out(session, row) for row in rows]
