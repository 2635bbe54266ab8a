"""The coordinator's day of deliveries: plan it, read each run's stops in order, reorder them by
hand, print the sheets, and the kitchen's count.

Planning calls the same use case as `POST /v1/records/delivery-runs/plan` and `ppne routes
plan` (services/records/meals/runs.plan_day); reordering calls `reorder_run`, so a run ordered
here keeps its order when the day is planned again.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from core.errors import InvalidInput
from services.records.meals.kitchen import kitchen_count
from services.records.meals.runs import RunView, list_runs, plan_day, reorder_run
from services.records.meals.sheets import route_sheet
from web.coordinator_common import gettext_of
from web.deliveries_common import (
    OUTCOMES,
    clock,
    day_or_today,
    delivery_actor,
    delivery_organisation,
    driver_names,
    plans_somewhere,
)
from web.forms import PostedFormDep, notice_of, whole_number
from web.i18n import N_
from web.refusals import RefusalsAsPages
from web.render import render
from web.session import CheckedDep, DatabaseDep, MemberDep, Visitor

router = APIRouter(prefix="/app/deliveries", include_in_schema=False, route_class=RefusalsAsPages)

NOTICES = {
    "planned": N_("The day is planned."),
    "reordered": N_("The new order is saved: planning the day again keeps it."),
}
TEXTURES = {"normal": N_("Normal"), "minced": N_("Minced"), "puree": N_("Purée")}
TEMPERATURES = {"hot": N_("Hot"), "frozen": N_("Frozen")}


def day_address(day: date, org: str, **extra: str) -> str:
    """The day page's address for that day and organisation."""
    return "/app/deliveries?" + urlencode({"day": day.isoformat(), "org": org, **extra})


@router.get("", response_class=HTMLResponse)
def day_page(
    request: Request,
    visitor: MemberDep,
    session: DatabaseDep,
    day: str = "",
    org: str | None = None,
    done: str = "",
    unassigned: str = "",
) -> Response:
    """The day's runs (today by default); a volunteer driver is sent to her own run."""
    actor = delivery_actor(visitor.actor)
    if not plans_somewhere(actor):
        query = urlencode({"day": day} if day else {})
        return RedirectResponse("/app/deliveries/my-run" + (f"?{query}" if query else ""), 303)
    _ = gettext_of(visitor)
    notice = notice_of(visitor, NOTICES, done)
    if done == "planned" and unassigned.isdigit() and int(unassigned):
        notice = _("The day is planned, but %(count)s plans fit on no run: add a route.") % {
            "count": unassigned
        }
    return _day(request, visitor, session, org, day, notice=notice, errors={})


def _day(
    request: Request,
    visitor: Visitor,
    session: Session,
    org: str | None,
    day_text: str,
    *,
    notice: str | None,
    errors: dict[str, str],
    positions: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    actor = delivery_actor(visitor.actor)
    organisation, organisations = delivery_organisation(session, actor, org, planner=True)
    _ = gettext_of(visitor)
    day = day_or_today(day_text)
    if day is None:
        errors = {"day": _("Enter the day as YYYY-MM-DD, for example 2026-12-07."), **errors}
        return render(
            request,
            visitor,
            "deliveries/day.html",
            status=422,
            organisation=organisation,
            organisations=organisations,
            day_text=day_text,
            day=None,
            runs=[],
            kitchen=None,
            notice=None,
            errors=errors,
        )
    runs = list_runs(session, actor, day, organisation.slug)
    names = driver_names(session, {run.driver_id for run in runs})
    return render(
        request,
        visitor,
        "deliveries/day.html",
        status=status,
        organisation=organisation,
        organisations=organisations,
        day_text=day.isoformat(),
        day=day,
        runs=[_run_lines(session, visitor, run, names) for run in runs],
        kitchen=kitchen_count(session, actor, day, organisation.slug),
        textures=TEXTURES,
        temperatures=TEMPERATURES,
        notice=notice,
        errors=errors,
        positions=positions or {},
    )


def _run_lines(session: Session, visitor: Visitor, run: RunView, names: dict[int, str]) -> dict:
    """A run with its stops' addresses (from its sheet, audited per client) and clock times."""
    assert visitor.actor is not None
    sheet = route_sheet(session, visitor.actor, run.id)
    addresses = {line.order: line.address for line in sheet.stops}
    return {
        "run": run,
        "driver": names.get(run.driver_id or 0, ""),
        "stops": [
            {
                "stop": stop,
                "address": addresses.get(stop.position, ""),
                "arrival": clock(stop.arrival_minute),
                "window": f"{clock(stop.window_start)}–{clock(stop.window_end)}",
                "outcome": OUTCOMES.get(stop.outcome or "", stop.outcome or ""),
            }
            for stop in run.stops
        ],
        "order": ",".join(str(stop.id) for stop in run.stops),
    }


@router.post("/plan", response_class=HTMLResponse)
def plan(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    org: Annotated[str, Form()] = "",
    day: Annotated[str, Form()] = "",
    replan: Annotated[str, Form()] = "",
    resolve_hand_ordered: Annotated[str, Form()] = "",
) -> Response:
    """Build (or build again) the day's runs from the plans due that day."""
    actor = delivery_actor(visitor.actor)
    organisation, _choices = delivery_organisation(session, actor, org, planner=True)
    _ = gettext_of(visitor)
    chosen = day_or_today(day)
    if chosen is None:
        return _day(request, visitor, session, organisation.slug, day, notice=None, errors={})
    try:
        result = plan_day(
            session,
            actor,
            chosen,
            organisation.slug,
            replan=bool(replan),
            resolve_hand_ordered=bool(resolve_hand_ordered),
        )
    except InvalidInput:
        session.rollback()
        errors = {"plan": _("No active delivery route: a route is needed before planning.")}
        return _day(
            request,
            visitor,
            session,
            organisation.slug,
            day,
            notice=None,
            errors=errors,
            status=422,
        )
    target = day_address(
        chosen, organisation.slug, done="planned", unassigned=str(len(result.unassigned_plan_ids))
    )
    return RedirectResponse(target, status_code=303)


def new_order(
    current: list[int], form: dict[str, str], error: str
) -> tuple[list[int], dict[str, str]]:
    """The order the form asks for: a stop moved up or down, or the position numbers typed.

    Typed numbers sort the stops; on a tie the stop whose number changed goes first, so
    typing 2 for the fifth stop puts it second.
    """
    move = form.get("move", "")
    if ":" in move:
        way, _sep, text = move.partition(":")
        order = list(current)
        if text.isdigit() and int(text) in order:
            index = order.index(int(text))
            other = index - 1 if way == "up" else index + 1
            if 0 <= other < len(order):
                order[index], order[other] = order[other], order[index]
        return order, {}
    errors: dict[str, str] = {}
    keys = []
    for index, stop_id in enumerate(current):
        number = whole_number(form.get(f"position-{stop_id}", ""), 1, len(current))
        if number is None:
            errors[f"position-{stop_id}"] = error
            continue
        keys.append((number, number == index + 1, index, stop_id))
    return [key[-1] for key in sorted(keys)], errors


@router.post("/runs/{run_id}/order", response_class=HTMLResponse)
def reorder(
    request: Request, visitor: CheckedDep, session: DatabaseDep, run_id: int, form: PostedFormDep
) -> Response:
    """Put a run's stops in the order asked; the run keeps it through re-planning."""
    actor = delivery_actor(visitor.actor)
    organisation, _choices = delivery_organisation(session, actor, form.get("org"), planner=True)
    _ = gettext_of(visitor)
    day = form.get("day", "")
    current = [int(part) for part in form.get("order", "").split(",") if part.strip().isdigit()]
    count = len(current)
    message = _("Enter a position from 1 to %(count)s.") % {"count": count}
    order, errors = new_order(current, form, message)
    if not errors:
        try:
            reorder_run(
                session, actor, run_id, order, save_as_default=bool(form.get("save_as_default"))
            )
        except InvalidInput:
            session.rollback()
            errors = {f"run-{run_id}": _("The run changed meanwhile: check its stops again.")}
        else:
            chosen = day_or_today(day)
            target = day_address(chosen or date.today(), organisation.slug, done="reordered")
            return RedirectResponse(f"{target}#run-{run_id}", status_code=303)
    positions = {key: value for key, value in form.items() if key.startswith("position-")}
    return _day(
        request,
        visitor,
        session,
        organisation.slug,
        day,
        notice=None,
        errors=errors,
        positions=positions,
        status=422,
    )
