"""The office's safety follow-ups: a driver found nobody home, so someone calls until the client
is found, and closes the follow-up saying what was done.

The escalation goes in order (the client called, the office told, the emergency contact
called), each step timed by the use case (services/records/meals/outcomes.py), which also
refuses a close without its text. Coordinators only (services:write): a driver is told to
call the office, she does not see the client's emergency contacts.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from core.errors import InvalidInput
from services.records.meals.outcomes import close_followup, escalate, list_followups
from web.coordinator_common import gettext_of
from web.deliveries_common import (
    STEPS,
    delivery_actor,
    delivery_organisation,
    local_time,
)
from web.forms import notice_of
from web.i18n import N_
from web.refusals import RefusalsAsPages
from web.render import render
from web.session import CheckedDep, DatabaseDep, MemberDep, Visitor

router = APIRouter(prefix="/app/deliveries", include_in_schema=False, route_class=RefusalsAsPages)
RESOLUTION_LENGTH = 500
NOTICES = {
    "escalated": N_("The step is recorded."),
    "closed": N_("The follow-up is closed."),
}


def _back(org: str, done: str, followup_id: int | None = None) -> RedirectResponse:
    query = urlencode({"org": org, "done": done})
    anchor = f"#followup-{followup_id}" if followup_id else ""
    return RedirectResponse(f"/app/deliveries/followups?{query}{anchor}", status_code=303)


@router.get("/followups", response_class=HTMLResponse)
def followups_page(
    request: Request,
    visitor: MemberDep,
    session: DatabaseDep,
    org: str | None = None,
    done: str = "",
    closed: str = "",
) -> HTMLResponse:
    """The open follow-ups, oldest first (with `closed=1`, the closed ones too)."""
    notice = notice_of(visitor, NOTICES, done)
    return _page(request, visitor, session, org, closed == "1", notice=notice, errors={})


def _page(
    request: Request,
    visitor: Visitor,
    session: Session,
    org: str | None,
    with_closed: bool,
    *,
    notice: str | None,
    errors: dict[str, str],
    values: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    actor = delivery_actor(visitor.actor)
    organisation, organisations = delivery_organisation(session, actor, org, planner=True)
    rows = list_followups(session, actor, organisation.slug, open_only=not with_closed)
    times = {
        row.id: {
            "opened": local_time(row.opened_at),
            "closed": local_time(row.closed_at),
            **{step: local_time(getattr(row, f"{step}_at")) for step in STEPS},
        }
        for row in rows
    }
    return render(
        request,
        visitor,
        "deliveries/followups.html",
        status=status,
        organisation=organisation,
        organisations=organisations,
        followups=rows,
        times=times,
        steps=STEPS,
        with_closed=with_closed,
        notice=notice,
        errors=errors,
        values=values or {},
    )


@router.post("/followups/{followup_id}/escalate", response_class=HTMLResponse)
def escalate_step(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    followup_id: int,
    step: Annotated[str, Form()] = "",
    org: Annotated[str, Form()] = "",
) -> Response:
    """Record the next escalation step as done now."""
    actor = delivery_actor(visitor.actor)
    organisation, _choices = delivery_organisation(session, actor, org, planner=True)
    _ = gettext_of(visitor)
    if step in STEPS:
        try:
            escalate(session, actor, followup_id, step)  # type: ignore[arg-type]
        except InvalidInput:
            session.rollback()
        else:
            return _back(organisation.slug, "escalated", followup_id)
    errors = {f"step-{followup_id}": _("That step cannot be recorded now: reload the page.")}
    return _page(
        request, visitor, session, organisation.slug, False, notice=None, errors=errors,
        status=422,
    )  # fmt: skip


@router.post("/followups/{followup_id}/close", response_class=HTMLResponse)
def close(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    followup_id: int,
    resolution: Annotated[str, Form()] = "",
    org: Annotated[str, Form()] = "",
) -> Response:
    """Close a follow-up with what was done (required)."""
    actor = delivery_actor(visitor.actor)
    organisation, _choices = delivery_organisation(session, actor, org, planner=True)
    _ = gettext_of(visitor)
    field = f"resolution-{followup_id}"
    text = resolution.strip()
    if not text:
        error = _("Say what was done before closing the follow-up.")
    elif len(text) > RESOLUTION_LENGTH:
        error = _("Keep it under 500 characters.")
    else:
        try:
            close_followup(session, actor, followup_id, text)
        except InvalidInput:
            session.rollback()
            error = _("This follow-up is already closed.")
        else:
            return _back(organisation.slug, "closed")
    return _page(
        request, visitor, session, organisation.slug, False, notice=None,
        errors={field: error}, values={field: resolution}, status=422,
    )  # fmt: skip
