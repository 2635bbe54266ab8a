"""Collective kitchens: sessions, their participants, the recipe as basket items, the portions
made and the cost per portion at current basket prices (services/records/kitchens.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.access.roles import Permission
from services.costs import list_regions
from services.records.kitchens import (
    PROGRAM,
    KitchenIn,
    add_participant,
    create_kitchen,
    kitchen_for,
    list_kitchens,
    list_participants,
    read_kitchen,
    record_portions,
)
from web.coordinator_common import actor_of, gettext_of
from web.forms import PostedFormDep, checked_day, notice_of, typed_values, whole_number
from web.i18n import N_
from web.refusals import RefusalsAsPages
from web.render import render
from web.sesame_common import (
    ITEM_ROWS,
    PRICE_STATUSES,
    client_names,
    find_client,
    food_choices,
    food_names,
    owner_of,
    parse_items,
    running,
)
from web.session import CheckedDep, DatabaseDep, MemberDep, Visitor

router = APIRouter(prefix="/app/kitchens", include_in_schema=False, route_class=RefusalsAsPages)
# Sessions listed: from three months ago to three months ahead.
SPAN = timedelta(days=92)
NOTICES = {
    "planned": N_("The kitchen session is planned."),
    "portions": N_("The portions are recorded."),
    "participant": N_("The participant is registered."),
}


@router.get("", response_class=HTMLResponse)
def kitchens_page(
    request: Request, visitor: MemberDep, session: DatabaseDep, org: str | None = None
) -> HTMLResponse:
    """The kitchen sessions around today, costed, and the form to plan one."""
    return _kitchens(request, visitor, session, org, values={}, errors={})


def _kitchens(
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
    organisation, organisations = running(session, actor, PROGRAM, org)
    today = date.today()
    choices = food_choices(session, visitor.language)
    regions = [(r.code, r.name) for r in list_regions(session) if r.level != "province"]
    _ = gettext_of(visitor)
    return render(
        request,
        visitor,
        "sesame/kitchens.html",
        status=status,
        organisation=organisation,
        organisations=organisations,
        kitchens=list_kitchens(session, actor, today - SPAN, today + SPAN, org=organisation.slug),
        food=choices,
        food_names=food_names(choices),
        regions=[("", _("The organisation's region")), *regions],
        price_statuses=PRICE_STATUSES,
        rows=ITEM_ROWS,
        values=values,
        errors=errors,
    )


@router.post("/sessions", response_class=HTMLResponse)
def plan_kitchen(
    request: Request, visitor: CheckedDep, session: DatabaseDep, form: PostedFormDep
) -> Response:
    """Plan a kitchen session and its recipe; on an error show the form again."""
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    organisation, _choices = running(session, actor, PROGRAM, form.get("org") or None)
    _ = gettext_of(visitor)
    values = typed_values(form)
    errors: dict[str, str] = {}
    day = checked_day(values, "held_on", errors, _)
    if not values.get("place"):
        errors["place"] = _("Enter where the kitchen is held.")
    region = values.get("region") or None
    if region is not None and region not in {r.code for r in list_regions(session)}:
        errors["region"] = _("Choose one of the regions listed.")
    known = {choice.code for choice in food_choices(session, visitor.language)}
    items = parse_items(values, known, errors, _)
    if errors or day is None:
        return _kitchens(
            request, visitor, session, organisation.slug, values=values, errors=errors, status=422
        )
    kitchen = KitchenIn(
        held_on=day,
        place=values["place"],
        recipe=values.get("recipe", ""),
        region=region,
        items=items,
    )
    planned = create_kitchen(session, actor, kitchen, org=organisation.slug)
    return RedirectResponse(
        f"/app/kitchens/{planned.kitchen_session_id}?done=planned", status_code=303
    )


@router.get("/{kitchen_id}", response_class=HTMLResponse)
def kitchen_page(
    request: Request, visitor: MemberDep, session: DatabaseDep, kitchen_id: int, done: str = ""
) -> HTMLResponse:
    """A session: recipe, cost and cost per portion, participants, portions made."""
    return _kitchen(request, visitor, session, kitchen_id, done=done, values={}, errors={})


def _kitchen(
    request: Request,
    visitor: Visitor,
    session: DatabaseDep,
    kitchen_id: int,
    *,
    done: str,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    kitchen = read_kitchen(session, actor, kitchen_id)  # 404 for another organisation's
    row = kitchen_for(session, actor, kitchen_id, Permission.PROGRAMS_MANAGE)
    organisation = owner_of(session, actor, PROGRAM, row.organisation_id)
    participants = list_participants(session, actor, kitchen_id)
    names = client_names(session, actor, organisation.slug, participants)
    return render(
        request,
        visitor,
        "sesame/kitchen.html",
        status=status,
        kitchen=kitchen,
        participants=[(client_id, names.get(client_id)) for client_id in participants],
        food_names=food_names(food_choices(session, visitor.language)),
        price_statuses=PRICE_STATUSES,
        notice=notice_of(visitor, NOTICES, done),
        values={"portions": str(kitchen.portions or "")} | values,
        errors=errors,
    )


@router.post("/{kitchen_id}/portions", response_class=HTMLResponse)
def save_portions(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    kitchen_id: int,
    portions: Annotated[str, Form()] = "",
) -> Response:
    """Record the portions the session made (the cost per portion follows)."""
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    count = whole_number(portions, 1, 100_000)
    if count is None:
        _ = gettext_of(visitor)
        errors = {"portions": _("Enter the portions made, from 1 to 100000.")}
        values = {"portions": portions}
        return _kitchen(
            request, visitor, session, kitchen_id, done="", values=values, errors=errors, status=422
        )
    record_portions(session, actor, kitchen_id, count)
    return RedirectResponse(f"/app/kitchens/{kitchen_id}?done=portions", status_code=303)


@router.post("/{kitchen_id}/participants", response_class=HTMLResponse)
def register_participant(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    kitchen_id: int,
    client: Annotated[str, Form()] = "",
) -> Response:
    """Register a client, found by file number or name, at the session."""
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    row = kitchen_for(session, actor, kitchen_id, Permission.SERVICES_WRITE)
    organisation = owner_of(session, actor, PROGRAM, row.organisation_id)
    _ = gettext_of(visitor)
    errors: dict[str, str] = {}
    found = find_client(session, actor, organisation.slug, client, errors, _)
    if found is None:
        values = {"client": client}
        return _kitchen(
            request, visitor, session, kitchen_id, done="", values=values, errors=errors, status=422
        )
    add_participant(session, actor, kitchen_id, found.id)
    return RedirectResponse(f"/app/kitchens/{kitchen_id}?done=participant", status_code=303)
