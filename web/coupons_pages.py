"""A client's coupons: the weekly allocation valued at her territory's basket prices, its
adjustment, a distribution, and her household's budget when she consented.

Each coupon is valued as the coupon use cases value a distribution: its basket items at the
regional prices of her territory (or her organisation's region) for the latest priced month,
with the deployment's costing protocol (fewest stores for an "observed" price).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from core.errors import Forbidden, InvalidInput
from core.models import Client, Region
from services.access.roles import Permission
from services.protocol import costing_protocol
from services.records.client_budget import client_budget
from services.records.clients import read_client
from services.records.coupon_distributions import (
    DistributionIn,
    DistributionLineIn,
    client_distributions,
    record_distribution,
)
from services.records.coupon_kinds import coupon_kinds
from services.records.coupon_values import (
    cents,
    item_prices,
    kind_value,
    pricing_basis,
    pricing_region,
)
from services.records.coupons import AllocationIn, AllocationLineIn, read_allocation, set_allocation
from web.forms import FormDep, parse_count, parse_day
from web.i18n import N_, explain
from web.records_common import actor_of, program_names, programs_of, translator
from web.refusals import RefusalsAsPages
from web.render import render
from web.session import CheckedDep, DatabaseDep, MemberDep, SettingsDep, Visitor

router = APIRouter(prefix="/app/clients", include_in_schema=False, route_class=RefusalsAsPages)

PRICE_STATUS = {
    "observed": N_("observed prices"),
    "few_stores": N_("prices from few stores"),
    "imputed": N_("imputed prices"),
    "missing": N_("no price"),
}
DONE = {
    "allocated": N_("The allocation is saved."),
    "distributed": N_("The distribution is recorded."),
}


def _kind_rows(
    session: Any, client_id: int, current: dict[str, int], minimum_stores: int, language: str
) -> tuple[list[dict[str, Any]], Any]:
    """Every coupon kind with its value today at her prices, and what she gets a week."""
    client = session.get(Client, client_id)  # read_allocation has checked and audited
    region, source = pricing_region(session, client)
    basis = pricing_basis(session, region, source, date.today().strftime("%Y-%m"))
    prices = item_prices(session, basis)
    rows = []
    for kind in coupon_kinds(session):
        worth = kind_value(kind, prices, minimum_stores)
        per_week = current.get(kind.code, 0)
        unit = cents(worth.unit_value)
        rows.append(
            {
                "code": kind.code,
                "name": kind.name_fr if language == "fr" else kind.name_en,
                "per_week": per_week,
                "unit_value": unit,
                "weekly_value": cents(worth.unit_value * per_week)
                if worth.unit_value is not None
                else None,
                "status": worth.status,
            }
        )
    return rows, basis


def coupons_page(
    request: Request,
    visitor: Visitor,
    session: Any,
    settings: Any,
    client_id: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    done: str = "",
    status: int = 200,
) -> HTMLResponse:
    """The allocation and its value, the forms she may use, recent distributions, the budget."""
    actor = actor_of(visitor)
    protocol = costing_protocol(settings)
    client = read_client(session, actor, client_id)
    allocation = read_allocation(session, actor, client_id)
    current = {line.kind: line.per_week for line in allocation.current}
    kinds, basis = _kind_rows(
        session, client_id, current, protocol.minimum_stores, visitor.language
    )
    allocated = [row for row in kinds if row.get("per_week")]
    known = [row["weekly_value"] for row in allocated if row["weekly_value"] is not None]
    budget, budget_missing = None, False
    if actor.has(Permission.FINANCES_READ):
        try:
            budget = client_budget(session, actor, client_id, protocol)
        except Forbidden:
            budget_missing = True  # she may read finances: the refusal is the missing consent
    programs = programs_of(session, client.organisation)
    region = session.get(Region, basis.region_id)
    return render(
        request,
        visitor,
        "clients/coupons.html",
        status=status,
        client=client,
        kinds=kinds,
        allocated=allocated,
        weekly_total=sum(known, Decimal(0)) if known else None,
        unpriced=len(known) < len(allocated),
        basis=basis,
        region_name=region.name if region else basis.region_code,
        price_status=PRICE_STATUS,
        distributions=client_distributions(session, actor, client_id)[:5],
        budget=budget,
        budget_missing=budget_missing,
        finances=actor.has(Permission.FINANCES_READ),
        can_allocate=actor.has(Permission.COUPONS_ALLOCATE),
        can_distribute=actor.has(Permission.COUPONS_DISTRIBUTE),
        programs=list(program_names(programs, visitor.language).items()),
        today=date.today().isoformat(),
        errors=errors or {},
        values=values or {},
        done=DONE.get(done),
    )


@router.get("/{client_id}/coupons", response_class=HTMLResponse)
def client_coupons(
    request: Request,
    visitor: MemberDep,
    session: DatabaseDep,
    settings: SettingsDep,
    client_id: int,
    done: str = "",
) -> HTMLResponse:
    """Her coupons page."""
    return coupons_page(request, visitor, session, settings, client_id, done=done)


def _counts(form: dict[str, str], prefix: str, errors: dict[str, str], message: str) -> dict:
    """The whole numbers typed per kind (fields `<prefix><kind>`), each checked."""
    counts = {}
    for name, text in form.items():
        if name.startswith(prefix):
            try:
                counts[name[len(prefix) :]] = parse_count(text) or 0
            except ValueError:
                errors[name] = message
    return counts


@router.post("/{client_id}/coupons/allocation")
def adjust_allocation(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    settings: SettingsDep,
    client_id: int,
    form: FormDep,
) -> Response:
    """Save the kinds whose weekly number changed, from the day given (today by default)."""
    _ = translator(visitor)
    actor = actor_of(visitor)
    errors: dict[str, str] = {}
    wanted = _counts(form, "per_week_", errors, _("Enter a whole number of coupons, 0 or more."))
    try:
        starts_on = parse_day(form.get("starts_on")) or date.today()
    except ValueError:
        errors["starts_on"] = _("Enter the day as year-month-day, e.g. 2026-03-21.")
    current = {
        line.kind: line.per_week for line in read_allocation(session, actor, client_id).current
    }
    lines = [
        AllocationLineIn(kind=kind, per_week=number)
        for kind, number in wanted.items()
        if number != current.get(kind, 0)
    ]
    if not errors and not lines:
        errors["allocation"] = _("Change at least one number of coupons a week.")
    if not errors:
        try:
            change = AllocationIn(
                starts_on=starts_on, reason=form.get("reason") or None, lines=lines
            )
            set_allocation(session, actor, client_id, change)
        except (InvalidInput, ValidationError) as refused:
            errors["allocation"] = _("The allocation was not saved: %(reason)s") % {
                "reason": explain(refused, _)
            }
        else:
            return RedirectResponse(
                f"/app/clients/{client_id}/coupons?done=allocated#done", status_code=303
            )
    return coupons_page(
        request, visitor, session, settings, client_id, errors=errors, values=form, status=422
    )


@router.post("/{client_id}/coupons/distributions")
def distribute(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    settings: SettingsDep,
    client_id: int,
    form: FormDep,
) -> Response:
    """Record the coupons handed to her today (or on the day given), valued at her prices."""
    _ = translator(visitor)
    errors: dict[str, str] = {}
    counts = _counts(form, "count_", errors, _("Enter a whole number of coupons, 0 or more."))
    try:
        on = parse_day(form.get("distributed_on")) or date.today()
    except ValueError:
        errors["distributed_on"] = _("Enter the day as year-month-day, e.g. 2026-03-21.")
    lines = [DistributionLineIn(kind=kind, count=n) for kind, n in counts.items() if n]
    if not errors and not lines:
        errors["distribution"] = _("Enter how many coupons of at least one kind she received.")
    if not errors:
        try:
            given = DistributionIn(program=form.get("program", ""), distributed_on=on, lines=lines)
            record_distribution(
                session,
                actor_of(visitor),
                client_id,
                given,
                minimum_stores=costing_protocol(settings).minimum_stores,
            )
        except (InvalidInput, ValidationError) as refused:
            errors["distribution"] = _("The distribution was not recorded: %(reason)s") % {
                "reason": explain(refused, _)
            }
        else:
            return RedirectResponse(
                f"/app/clients/{client_id}/coupons?done=distributed#done", status_code=303
            )
    return coupons_page(
        request, visitor, session, settings, client_id, errors=errors, values=form, status=422
    )


def back_to_coupons(client_id: int) -> RedirectResponse:
    """A form's address opened as a page (the language switch after an error): her coupons."""
    return RedirectResponse(f"/app/clients/{client_id}/coupons", status_code=303)


for _part in ("allocation", "distributions"):
    router.add_api_route(f"/{{client_id}}/coupons/{_part}", back_to_coupons, methods=["GET"])
