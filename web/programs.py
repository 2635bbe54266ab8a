"""Programs of her organisation and their group sessions: plan one, change its capacity,
register clients and mark who came.

The use cases (services/records/groups.py) check permissions, audit and commit; marking a
client present logs her group_attendance service, so the outputs report counts it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from core.errors import InvalidInput
from services.access.roles import Permission
from services.records.clients import search_clients
from services.records.group_roster import session_roster
from services.records.groups import (
    create_session,
    get_session,
    list_sessions,
    record_attendance,
    update_session,
)
from web.coordinator_common import actor_of, gettext_of, organisation_of
from web.forms import checked_day, notice_of, whole_number
from web.i18n import N_
from web.refusals import RefusalsAsPages
from web.render import render
from web.session import CheckedDep, DatabaseDep, MemberDep, Visitor

router = APIRouter(prefix="/app/programs", include_in_schema=False, route_class=RefusalsAsPages)
# Sessions shown: from this many days ago on (older ones are in the reports).
RECENT_DAYS = 90


@router.get("", response_class=HTMLResponse)
def programs_page(
    request: Request, visitor: MemberDep, session: DatabaseDep, org: str | None = None
) -> HTMLResponse:
    """Her organisation's programs, its group sessions, and the form to plan one."""
    return _programs(request, visitor, session, org, values={}, errors={})


def _programs(
    request: Request,
    visitor: Visitor,
    session: DatabaseDep,
    org: str | None,
    *,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    organisation, organisations = organisation_of(session, actor, Permission.PROGRAMS_MANAGE, org)
    # An admin manages programs without following clients: no sessions list for her.
    sessions = (
        list_sessions(
            session,
            actor,
            organisation=organisation.slug,
            since=date.today() - timedelta(days=RECENT_DAYS),
        )
        if actor.allows(Permission.SERVICES_WRITE, organisation.id)
        else None
    )
    names = {
        code: (name_fr if visitor.language == "fr" else name_en)
        for code, name_fr, name_en in organisation.programs
    }
    return render(
        request,
        visitor,
        "coordinator/programs.html",
        status=status,
        organisation=organisation,
        organisations=organisations,
        program_names=names,
        program_options=list(names.items()),
        sessions=sessions,
        values={"duration_minutes": "90", "capacity": "12", **values},
        errors=errors,
    )


@router.post("/sessions", response_class=HTMLResponse)
def plan_session(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    org: Annotated[str, Form()] = "",
    program: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    held_on: Annotated[str, Form()] = "",
    duration_minutes: Annotated[str, Form()] = "",
    capacity: Annotated[str, Form()] = "",
    location: Annotated[str, Form()] = "",
) -> Response:
    """Plan a group session; on an error show the form again with what she typed."""
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    organisation, _choices = organisation_of(
        session, actor, Permission.PROGRAMS_MANAGE, org or None
    )
    _ = gettext_of(visitor)
    values = {
        "program": program,
        "title": title.strip(),
        "held_on": held_on.strip(),
        "duration_minutes": duration_minutes.strip(),
        "capacity": capacity.strip(),
        "location": location.strip(),
    }
    errors: dict[str, str] = {}
    if program not in {code for code, _fr, _en in organisation.programs}:
        errors["program"] = _("Choose one of the programs listed.")
    if not values["title"]:
        errors["title"] = _("Enter the session's title.")
    day = checked_day(values, "held_on", errors, _)
    minutes = whole_number(values["duration_minutes"], 1, 24 * 60)
    if minutes is None:
        errors["duration_minutes"] = _("Enter a duration from 1 to 1440 minutes.")
    places = whole_number(values["capacity"], 1, 1000)
    if places is None:
        errors["capacity"] = _("Enter a capacity from 1 to 1000 places.")
    if errors or day is None or minutes is None or places is None:
        return _programs(
            request, visitor, session, organisation.slug, values=values, errors=errors, status=422
        )
    planned = create_session(
        session,
        actor,
        program,
        values["title"],
        day,
        organisation=organisation.slug,
        duration_minutes=minutes,
        capacity=places,
        location=values["location"] or None,
    )
    return RedirectResponse(f"/app/programs/sessions/{planned.id}?done=planned", status_code=303)


@router.get("/sessions/{session_id}", response_class=HTMLResponse)
def session_page(
    request: Request,
    visitor: MemberDep,
    session: DatabaseDep,
    session_id: int,
    q: str = "",
    done: str = "",
) -> HTMLResponse:
    """A session: its capacity, who is registered and who came, and finding a client to add."""
    return _session(request, visitor, session, session_id, q=q, done=done, errors={})


NOTICES = {
    "planned": N_("The session is planned."),
    "capacity": N_("The capacity is changed."),
    "registered": N_("The client is registered."),
    "attendance": N_("The attendance is saved."),
}


def _session(
    request: Request,
    visitor: Visitor,
    session: DatabaseDep,
    session_id: int,
    *,
    q: str,
    done: str,
    errors: dict[str, str],
    values: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    actor = actor_of(visitor, Permission.SERVICES_WRITE)
    group = get_session(session, actor, session_id)
    roster = session_roster(session, actor, session_id)
    found: Any = None
    if q.strip():
        found = search_clients(session, actor, text=q.strip(), status="active", per_page=20)
        found_ids = {line.client_id for line in roster}
        found = [item for item in found.items if item.id not in found_ids]
    _ = gettext_of(visitor)
    return render(
        request,
        visitor,
        "coordinator/session.html",
        status=status,
        group=group,
        roster=roster,
        q=q,
        found=found,
        notice=notice_of(visitor, NOTICES, done),
        errors=errors,
        values={"capacity": str(group.capacity), **(values or {})},
        full=group.registered >= group.capacity,
    )


def _back(session_id: int, done: str, q: str = "") -> RedirectResponse:
    query = urlencode({"done": done, **({"q": q} if q else {})})
    return RedirectResponse(f"/app/programs/sessions/{session_id}?{query}", status_code=303)


@router.post("/sessions/{session_id}/capacity", response_class=HTMLResponse)
def change_capacity(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    session_id: int,
    capacity: Annotated[str, Form()] = "",
) -> Response:
    """Change the capacity (never below those registered)."""
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    _ = gettext_of(visitor)
    places = whole_number(capacity, 1, 1000)
    error = _("Enter a capacity from 1 to 1000 places.")
    if places is not None:
        try:
            update_session(session, actor, session_id, {"capacity": places})
        except InvalidInput:
            session.rollback()
            error = _("The capacity cannot be below the number of clients registered.")
        else:
            return _back(session_id, "capacity")
    return _session(
        request,
        visitor,
        session,
        session_id,
        q="",
        done="",
        errors={"capacity": error},
        values={"capacity": capacity},
        status=422,
    )


@router.post("/sessions/{session_id}/register", response_class=HTMLResponse)
def register(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    session_id: int,
    client_id: Annotated[int, Form()],
    q: Annotated[str, Form()] = "",
) -> Response:
    """Register a client found by the search (refused when the session is full)."""
    actor = actor_of(visitor, Permission.SERVICES_WRITE)
    _ = gettext_of(visitor)
    try:
        record_attendance(session, actor, session_id, client_id)
    except InvalidInput:
        session.rollback()
        return _session(
            request,
            visitor,
            session,
            session_id,
            q=q,
            done="",
            errors={"q": _("The session is full: raise its capacity first.")},
            status=422,
        )
    return _back(session_id, "registered", q)


@router.post("/sessions/{session_id}/attendance", response_class=HTMLResponse)
def mark_attendance(
    visitor: CheckedDep,
    session: DatabaseDep,
    session_id: int,
    ticked: Annotated[list[str] | None, Form(alias="present")] = None,
) -> Response:
    """Save who came: every registered client ticked is present, the others absent."""
    actor = actor_of(visitor, Permission.SERVICES_WRITE)
    present = set(ticked or [])
    for line in session_roster(session, actor, session_id):
        if (str(line.client_id) in present) != line.present:
            record_attendance(
                session, actor, session_id, line.client_id, present=str(line.client_id) in present
            )
    return _back(session_id, "attendance")
