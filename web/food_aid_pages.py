"""Food aid (dépannage): the program's frequency rule, a household's visit and the items given,
and, when the rule is reached, the referral the use case names (services/records/food_aid.py).

A rule that refuses: the visit is not recorded, the page says so and offers to record the
referral. A rule that flags: the visit is recorded, flagged, and referred when she ticks it.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from core.errors import InvalidInput, NotFound
from services.access.roles import Permission
from services.records.food_aid import (
    ACTIONS,
    PROGRAM,
    RuleIn,
    VisitIn,
    eligibility,
    read_rule,
    read_visit,
    record_visit,
    set_rule,
)
from services.records.referrals import refer
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
    parse_items,
    running,
)
from web.session import CheckedDep, DatabaseDep, MemberDep, Visitor

router = APIRouter(prefix="/app/food-aid", include_in_schema=False, route_class=RefusalsAsPages)
ACTION_NAMES = {
    "refuse": N_("refuse the visit and refer her"),
    "flag": N_("record the visit, flagged, and refer her if asked"),
}
NOTICES = {
    "rule": N_("The frequency rule is in force."),
    "recorded": N_("The visit is recorded."),
    "referred": N_("The referral is recorded."),
}
REFERRAL_REASON = "food-aid frequency rule"


@router.get("", response_class=HTMLResponse)
def food_aid_page(
    request: Request,
    visitor: MemberDep,
    session: DatabaseDep,
    org: str | None = None,
    done: str = "",
) -> HTMLResponse:
    """The rule in force, the form to record a visit, and the form to change the rule."""
    return _food_aid(request, visitor, session, org, done=done, values={}, errors={})


def _food_aid(
    request: Request,
    visitor: Visitor,
    session: DatabaseDep,
    org: str | None,
    *,
    done: str = "",
    values: dict[str, str],
    errors: dict[str, str],
    reached: object = None,
    status: int = 200,
) -> HTMLResponse:
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    organisation, organisations = running(session, actor, PROGRAM, org)
    rule = read_rule(session, actor, org=organisation.slug)
    choices = food_choices(session, visitor.language)
    _ = gettext_of(visitor)
    rule_values = (
        {
            "max_visits": str(rule.max_visits),
            "window_days": str(rule.window_days),
            "action": rule.action,
            "referral_resource": rule.referral_resource or "",
        }
        if rule
        else {"max_visits": "2", "window_days": "30", "action": "refuse"}
    )
    return render(
        request,
        visitor,
        "sesame/food_aid.html",
        status=status,
        organisation=organisation,
        organisations=organisations,
        rule=rule,
        action_names=ACTION_NAMES,
        actions=[(code, _(ACTION_NAMES[code])) for code in ACTIONS],
        food=choices,
        rows=ITEM_ROWS,
        reached=reached,
        notice=notice_of(visitor, NOTICES, done),
        values=rule_values | {"visited_on": date.today().isoformat()} | values,
        errors=errors,
    )


@router.post("/rule", response_class=HTMLResponse)
def change_rule(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    org: Annotated[str, Form()] = "",
    max_visits: Annotated[str, Form()] = "",
    window_days: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "",
    referral_resource: Annotated[str, Form()] = "",
) -> Response:
    """Put a new frequency rule in force (the previous one is kept, inactive)."""
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    organisation, _choices = running(session, actor, PROGRAM, org or None)
    _ = gettext_of(visitor)
    values = {"max_visits": max_visits.strip(), "window_days": window_days.strip()}
    values |= {"action": action, "referral_resource": referral_resource.strip()}
    errors: dict[str, str] = {}
    visits = whole_number(values["max_visits"], 1, 100)
    if visits is None:
        errors["max_visits"] = _("Enter at most how many visits, from 1 to 100.")
    days = whole_number(values["window_days"], 1, 366)
    if days is None:
        errors["window_days"] = _("Enter the number of days, from 1 to 366.")
    if action not in ACTIONS:
        errors["action"] = _("Choose what happens when the rule is reached.")
    if errors or visits is None or days is None:
        return _food_aid(
            request, visitor, session, organisation.slug, values=values, errors=errors, status=422
        )
    rule = RuleIn(
        max_visits=visits,
        window_days=days,
        action=action,
        referral_resource=values["referral_resource"] or None,
    )
    set_rule(session, actor, rule, org=organisation.slug)
    return RedirectResponse(f"/app/food-aid?org={organisation.slug}&done=rule", status_code=303)


@router.post("/visits", response_class=HTMLResponse)
def record(
    request: Request, visitor: CheckedDep, session: DatabaseDep, form: PostedFormDep
) -> Response:
    """Record a visit; when the rule refuses it, say so and offer the referral."""
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    organisation, _choices = running(session, actor, PROGRAM, form.get("org") or None)
    _ = gettext_of(visitor)
    values = typed_values(form)
    errors: dict[str, str] = {}
    day = checked_day(values, "visited_on", errors, _)
    known = {choice.code for choice in food_choices(session, visitor.language)}
    items = parse_items(values, known, errors, _)
    found = find_client(session, actor, organisation.slug, values.get("client", ""), errors, _)
    if errors or found is None or day is None:
        return _food_aid(
            request, visitor, session, organisation.slug, values=values, errors=errors, status=422
        )
    visit = VisitIn(visited_on=day, items=items, refer=values.get("refer") == "yes")
    try:
        done = record_visit(session, actor, found.id, visit)
    except InvalidInput:
        session.rollback()
        # Refused by the rule: the same check tells when she may come again and where to go.
        check = eligibility(session, actor, found.id, on=day)
        errors["client"] = _("The frequency rule is reached: the visit is not recorded.")
        reached = {"check": check, "client": found}
        return _food_aid(
            request,
            visitor,
            session,
            organisation.slug,
            values=values,
            errors=errors,
            reached=reached,
            status=422,
        )
    return RedirectResponse(f"/app/food-aid/visits/{done.visit_id}?done=recorded", status_code=303)


@router.post("/referrals", response_class=HTMLResponse)
def record_referral(
    visitor: CheckedDep,
    session: DatabaseDep,
    client_id: Annotated[int, Form()],
    resource: Annotated[str, Form()] = "",
    org: Annotated[str, Form()] = "",
) -> Response:
    """Refer a household the rule turned away to the resource the rule names."""
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    organisation, _choices = running(session, actor, PROGRAM, org or None)
    rule = read_rule(session, actor, org=organisation.slug)
    # Only the rule's own resource: this form is no general referral desk.
    if rule is None or not rule.referral_resource or resource != rule.referral_resource:
        raise NotFound("no referral resource by that name in the rule")
    refer(session, actor, client_id, rule.referral_resource, reason=REFERRAL_REASON)
    return RedirectResponse(f"/app/food-aid?org={organisation.slug}&done=referred", status_code=303)


@router.get("/visits/{visit_id}", response_class=HTMLResponse)
def visit_page(
    request: Request, visitor: MemberDep, session: DatabaseDep, visit_id: int, done: str = ""
) -> HTMLResponse:
    """A visit: the items given and their value, flagged or not, and its referral."""
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    visit = read_visit(session, actor, visit_id)
    organisation, _choices = running(session, actor, PROGRAM, None)
    names = client_names(session, actor, organisation.slug, [visit.client_id])
    return render(
        request,
        visitor,
        "sesame/food_aid_visit.html",
        visit=visit,
        name=names.get(visit.client_id),
        food_names=food_names(food_choices(session, visitor.language)),
        price_statuses=PRICE_STATUSES,
        notice=notice_of(visitor, NOTICES, done),
    )
