"""Volunteers and their shifts: availability, shifts on routes, kitchens and the café, a
substitute for someone who cannot come, and the hours worked (services/records/shifts.py)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from core.errors import InvalidInput, NotFound
from services.access.roles import Permission
from services.records.kitchens import PROGRAM as KITCHENS
from services.records.kitchens import KitchenOut, list_kitchens
from services.records.shifts import (
    KINDS,
    ShiftIn,
    add_shift,
    close_shift,
    list_shifts,
    substitute,
    substitutes,
)
from services.records.volunteers import SlotIn, VolunteerIn, add_volunteer, list_volunteers
from web.coordinator_common import actor_of, gettext_of
from web.forms import PostedFormDep, checked_day, notice_of, typed_values
from web.i18n import N_
from web.refusals import RefusalsAsPages
from web.render import render
from web.sesame_common import program_names, running
from web.session import CheckedDep, DatabaseDep, MemberDep, Visitor

router = APIRouter(prefix="/app/volunteers", include_in_schema=False, route_class=RefusalsAsPages)
# The café is where most shifts are: the organisation must run it for this page.
PROGRAM = "cafe"
# Shifts listed: two weeks back (to close them) to five weeks ahead.
BACK, AHEAD = timedelta(days=14), timedelta(days=35)
WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
KIND_NAMES = {
    "route": N_("Delivery route"),
    "kitchen": N_("Collective kitchen"),
    "cafe": N_("Café"),
    "boxes": N_("Produce boxes"),
    "food_aid": N_("Food aid"),
}
STATUS_NAMES = {"planned": N_("Planned"), "done": N_("Done"), "cancelled": N_("Cancelled")}
NOTICES = {
    "volunteer": N_("The volunteer is added."),
    "shift": N_("The shift is planned."),
    "substituted": N_("The substitute is on the shift."),
    "closed": N_("The shift is closed."),
}


def parse_time(text: str) -> time | None:
    """An hour typed as HH:MM (what <input type=time> sends); None when not one."""
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        return None


@router.get("", response_class=HTMLResponse)
def volunteers_page(
    request: Request,
    visitor: MemberDep,
    session: DatabaseDep,
    org: str | None = None,
    shift: int | None = None,
    done: str = "",
) -> HTMLResponse:
    """Volunteers, their availability and hours; the shifts; a shift's substitutes if asked."""
    return _volunteers(request, visitor, session, org, shift, done=done, values={}, errors={})


def _volunteers(
    request: Request,
    visitor: Visitor,
    session: DatabaseDep,
    org: str | None,
    shift_id: int | None,
    *,
    done: str = "",
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    organisation, organisations = running(session, actor, PROGRAM, org)
    volunteers = list_volunteers(session, actor, org=organisation.slug)
    today = date.today()
    shifts = list_shifts(session, actor, today - BACK, today + AHEAD, org=organisation.slug)
    hours: dict[int, Decimal] = defaultdict(Decimal)
    for row in shifts:
        if row.status == "done" and row.hours is not None and row.volunteer_id is not None:
            hours[row.volunteer_id] += row.hours
    chosen = next((row for row in shifts if row.shift_id == shift_id), None)
    if shift_id is not None and chosen is None:
        raise NotFound(f"no shift {shift_id} in these weeks")
    free = substitutes(session, actor, chosen.shift_id) if chosen else []
    _ = gettext_of(visitor)
    return render(
        request,
        visitor,
        "sesame/volunteers.html",
        status=status,
        organisation=organisation,
        organisations=organisations,
        volunteers=volunteers,
        names={v.volunteer_id: v.name for v in volunteers},
        hours=hours,
        shifts=shifts,
        chosen=chosen,
        free_options=[(str(v.volunteer_id), v.name) for v in free],
        free=free,
        weekdays=WEEKDAYS,
        weekday_options=[(str(day), _(name)) for day, name in enumerate(WEEKDAYS)],
        kinds=[(code, _(KIND_NAMES[code])) for code in KINDS],
        kind_names=KIND_NAMES,
        status_names=STATUS_NAMES,
        programs=list(program_names(organisation, visitor).items()),
        kitchen_options=[("", _("None"))]
        + [
            (str(k.kitchen_session_id), f"{k.held_on.isoformat()} — {k.recipe or k.place}")
            for k in _kitchens(session, visitor, organisation.slug, today)
        ],
        volunteer_options=[("", _("Nobody yet"))]
        + [(str(v.volunteer_id), v.name) for v in volunteers if v.active],
        notice=notice_of(visitor, NOTICES, done),
        values={"kind": "cafe", "program": PROGRAM} | values,
        errors=errors,
    )


def _kitchens(session: DatabaseDep, visitor: Visitor, org: str, today: date) -> list[KitchenOut]:
    """Her organisation's coming kitchen sessions, for a kitchen shift (none if it runs none)."""
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    owner, _choices = running(session, actor, PROGRAM, org)
    if KITCHENS not in {code for code, _fr, _en in owner.programs}:
        return []
    return list_kitchens(session, actor, today, today + AHEAD, org=org)


@router.post("/add", response_class=HTMLResponse)
def new_volunteer(
    request: Request, visitor: CheckedDep, session: DatabaseDep, form: PostedFormDep
) -> Response:
    """Add a volunteer and the weekly availability typed (up to two slots)."""
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    organisation, _choices = running(session, actor, PROGRAM, form.get("org") or None)
    _ = gettext_of(visitor)
    values = typed_values(form)
    errors: dict[str, str] = {}
    if not values.get("name"):
        errors["name"] = _("Enter the volunteer's name.")
    slots = []
    for slot in ("1", "2"):
        weekday = values.get(f"weekday_{slot}", "")
        starts = values.get(f"starts_{slot}", "")
        ends = values.get(f"ends_{slot}", "")
        if not (weekday and (starts or ends)):
            continue
        begin, end = parse_time(starts), parse_time(ends)
        if weekday not in {str(day) for day in range(7)}:
            errors[f"weekday_{slot}"] = _("Choose a day of the week.")
        elif begin is None or end is None or end <= begin:
            errors[f"ends_{slot}"] = _("Enter the hours as HH:MM, the end after the start.")
        else:
            slots.append(SlotIn(weekday=int(weekday), starts_at=begin, ends_at=end))
    if errors:
        return _volunteers(
            request, visitor, session, organisation.slug, None, values=values, errors=errors,
            status=422,
        )  # fmt: skip
    volunteer = VolunteerIn(name=values["name"], phone=values.get("phone") or None)
    volunteer.availability = slots
    add_volunteer(session, actor, volunteer, org=organisation.slug)
    return RedirectResponse(f"/app/volunteers?org={organisation.slug}&done=volunteer", 303)


@router.post("/shifts", response_class=HTMLResponse)
def new_shift(
    request: Request, visitor: CheckedDep, session: DatabaseDep, form: PostedFormDep
) -> Response:
    """Plan a shift on a route, a kitchen, the café, the boxes or food aid."""
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    organisation, _choices = running(session, actor, PROGRAM, form.get("org") or None)
    _ = gettext_of(visitor)
    values = typed_values(form)
    errors: dict[str, str] = {}
    if values.get("program") not in program_names(organisation, visitor):
        errors["program"] = _("Choose one of the programs listed.")
    if values.get("kind") not in KINDS:
        errors["kind"] = _("Choose what the shift is for.")
    day = checked_day(values, "shift_on", errors, _)
    begin, end = parse_time(values.get("starts_at", "")), parse_time(values.get("ends_at", ""))
    if begin is None:
        errors["starts_at"] = _("Enter the start as HH:MM, for example 09:30.")
    if end is None or (begin is not None and end <= begin):
        errors["ends_at"] = _("Enter the end as HH:MM, after the start.")
    chosen = values.get("volunteer_id", "")
    if chosen and not chosen.isdigit():
        errors["volunteer_id"] = _("Choose one of the volunteers listed.")
    kitchen = values.get("kitchen_session_id", "")
    if kitchen and not kitchen.isdigit():
        errors["kitchen_session_id"] = _("Choose one of the kitchen sessions listed.")
    if errors or day is None or begin is None or end is None:
        return _volunteers(
            request, visitor, session, organisation.slug, None, values=values, errors=errors,
            status=422,
        )  # fmt: skip
    shift = ShiftIn(
        program=values["program"],
        kind=values["kind"],
        shift_on=day,
        starts_at=begin,
        ends_at=end,
        place=values.get("place") or None,
        kitchen_session_id=int(kitchen) if kitchen else None,
        volunteer_id=int(chosen) if chosen else None,
    )
    add_shift(session, actor, shift, org=organisation.slug)
    return RedirectResponse(f"/app/volunteers?org={organisation.slug}&done=shift", 303)


@router.post("/shifts/{shift_id}/substitute", response_class=HTMLResponse)
def replace_volunteer(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    shift_id: int,
    reason: Annotated[str, Form()] = "",
    picked: Annotated[str, Form(alias="substitute")] = "",
    org: Annotated[str, Form()] = "",
) -> Response:
    """Mark the shift's volunteer unavailable and put the substitute picked in her place."""
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    organisation, _choices = running(session, actor, PROGRAM, org or None)
    _ = gettext_of(visitor)
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("Say why she cannot come.")
    else:
        chosen = int(picked) if picked.isdigit() else None
        try:
            substitute(session, actor, shift_id, reason, chosen)
        except InvalidInput:
            session.rollback()
            errors["substitute"] = _("Nobody free can take this shift: ask around, or cancel it.")
        else:
            return RedirectResponse(
                f"/app/volunteers?org={organisation.slug}&done=substituted", 303
            )
    values = {"reason": reason, "substitute": picked}
    return _volunteers(
        request, visitor, session, organisation.slug, shift_id, values=values, errors=errors,
        status=422,
    )  # fmt: skip


@router.post("/shifts/{shift_id}/close")
def close(
    visitor: CheckedDep,
    session: DatabaseDep,
    shift_id: int,
    status: Annotated[str, Form()] = "",
    org: Annotated[str, Form()] = "",
) -> Response:
    """Mark a shift done (its planned hours) or cancelled."""
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    organisation, _choices = running(session, actor, PROGRAM, org or None)
    if status not in ("done", "cancelled"):
        raise NotFound(f"no status {status!r}")
    close_shift(session, actor, shift_id, status)
    return RedirectResponse(f"/app/volunteers?org={organisation.slug}&done=closed", 303)
