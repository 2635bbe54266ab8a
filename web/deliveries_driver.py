"""The volunteer driver's screen: her run of the day, stop by stop, and what happened at each.

She sees what the route sheet holds and nothing more (services/records/meals/sheets.py and
visibility.py: her own runs only, no name, birth date, income or notes of the file), and
records each stop's outcome with one big button, made for a tablet held at the door. A
"no answer" opens the safety follow-up the office works through (web/deliveries_followups.py).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from core.errors import InvalidInput, NotFound
from services.access.actor import Actor
from services.records.meals.outcomes import OutcomeInput, record_outcome
from services.records.meals.runs import list_runs
from services.records.meals.sheets import route_sheet
from web.coordinator_common import gettext_of
from web.deliveries_common import (
    OUTCOMES,
    clock,
    day_or_today,
    delivery_actor,
    delivery_organisation,
    plans_somewhere,
)
from web.forms import notice_of
from web.i18n import N_
from web.refusals import RefusalsAsPages
from web.render import render
from web.session import CheckedDep, DatabaseDep, MemberDep, Visitor

router = APIRouter(prefix="/app/deliveries", include_in_schema=False, route_class=RefusalsAsPages)
NOTE_LENGTH = 300
NOTICES = {
    "delivered": N_("Delivered: saved."),
    "left_at_door": N_("Left at the door: saved."),
    "no_answer": N_(
        "No answer: saved. Call the office right away; a safety follow-up is now open."
    ),
    "refused": N_("Refused: saved."),
    "cancelled": N_("Cancelled: saved."),
}


def my_run_address(day: date, org: str, **extra: str) -> str:
    """Her run's page for that day and organisation."""
    return "/app/deliveries/my-run?" + urlencode({"day": day.isoformat(), "org": org, **extra})


@router.get("/my-run", response_class=HTMLResponse)
def my_run(
    request: Request,
    visitor: MemberDep,
    session: DatabaseDep,
    day: str = "",
    org: str | None = None,
    done: str = "",
) -> HTMLResponse:
    """Her runs of the day (usually one): each stop in order with its outcome buttons."""
    notice = notice_of(visitor, NOTICES, done)
    return _page(request, visitor, session, day, org, notice=notice, errors={})


@router.get("/runs/{run_id}/outcomes", response_class=HTMLResponse)
def run_outcomes(
    request: Request,
    visitor: MemberDep,
    session: DatabaseDep,
    run_id: int,
    org: str | None = None,
    done: str = "",
) -> HTMLResponse:
    """One run's stops with their outcome buttons, for the office (a driver without a tablet
    brings back her paper sheet)."""
    notice = notice_of(visitor, NOTICES, done)
    return _page(request, visitor, session, "", org, notice=notice, errors={}, run_id=run_id)


def _page(
    request: Request,
    visitor: Visitor,
    session: Session,
    day_text: str,
    org: str | None,
    *,
    notice: str | None,
    errors: dict[str, str],
    status: int = 200,
    run_id: int | None = None,
) -> HTMLResponse:
    actor = delivery_actor(visitor.actor)
    organisation, organisations = delivery_organisation(
        session, actor, org, planner=run_id is not None
    )
    _ = gettext_of(visitor)
    if run_id is not None:  # the office typing in a paper sheet: one run, any driver's
        day: date | None = route_sheet(session, actor, run_id).run_date
    else:
        day = day_or_today(day_text)
    if day is None:
        errors = {"day": _("Enter the day as YYYY-MM-DD, for example 2026-12-07."), **errors}
        status = 422
    runs = _runs_shown(session, actor, day, organisation.slug, run_id) if day else []
    if run_id is not None and not runs:
        raise NotFound(f"no run {run_id}")
    return render(
        request,
        visitor,
        "deliveries/my_run.html",
        status=status,
        organisation=organisation,
        organisations=organisations,
        day=day,
        day_text=day.isoformat() if day else day_text,
        runs=runs,
        run_id=run_id,
        outcomes=OUTCOMES,
        planner=plans_somewhere(actor),
        notice=notice,
        errors=errors,
    )


def _runs_shown(
    session: Session, actor: Actor, day: date, org: str, run_id: int | None
) -> list[dict[str, Any]]:
    """Her own runs that day (a coordinator's too: hers only), or the one run asked for; each
    stop with its sheet line."""
    mine = [
        run
        for run in list_runs(session, actor, day, org)
        if (run.id == run_id if run_id is not None else run.driver_id == actor.user_id)
    ]
    runs = []
    for run in mine:
        sheet = route_sheet(session, actor, run.id)
        lines = {line.order: line for line in sheet.stops}
        stops = [
            {
                "id": stop.id,
                "position": stop.position,
                "arrival": clock(stop.arrival_minute),
                "line": lines[stop.position],
                "outcome": stop.outcome,
            }
            for stop in run.stops
            if stop.position in lines
        ]
        left = sum(1 for stop in stops if not stop["outcome"])
        runs.append({"run": run, "route": sheet.route, "stops": stops, "left": left})
    return runs


@router.post("/stops/{stop_id}/outcome", response_class=HTMLResponse)
def record(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    stop_id: int,
    outcome: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    day: Annotated[str, Form()] = "",
    org: Annotated[str, Form()] = "",
    run: Annotated[str, Form()] = "",
) -> Response:
    """Record what happened at a stop of her run; back to her run at the next stop."""
    actor = delivery_actor(visitor.actor)
    organisation, _choices = delivery_organisation(session, actor, org, planner=False)
    _ = gettext_of(visitor)
    field = f"note-{stop_id}"
    error = None
    if outcome not in OUTCOMES:
        error = _("Choose what happened with one of the buttons.")
    elif len(note.strip()) > NOTE_LENGTH:
        error = _("Keep the note under 300 characters.")
    else:
        try:
            record_outcome(
                session, actor, stop_id, OutcomeInput(outcome=outcome, note=note.strip() or None)
            )
        except InvalidInput:
            session.rollback()
            error = _(
                "Leaving the meal at the door was not agreed with this client: call the office."
            )
    if error is None:
        chosen = day_or_today(day) or date.today()
        target = my_run_address(chosen, organisation.slug, done=outcome)
        if run.isdigit():
            query = urlencode({"org": organisation.slug, "done": outcome})
            target = f"/app/deliveries/runs/{run}/outcomes?{query}"
        # A no-answer's notice (call the office) must be read first: the top of the page.
        anchor = "" if outcome == "no_answer" else f"#stop-{stop_id}"
        return RedirectResponse(target + anchor, status_code=303)
    return _page(
        request, visitor, session, day, organisation.slug, notice=None,
        errors={field: error}, status=422, run_id=int(run) if run.isdigit() else None,
    )  # fmt: skip
