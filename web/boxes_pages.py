"""Produce boxes: the week's offers and their contents, clients' orders, and each box's value
at the basket prices of her territory beside its price, with the saving.

The value is the use case's (services/records/boxes.py): computed when the box is ordered and
kept with its price status; a box with an unpriced item is "not valued", never 0.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from core.errors import InvalidInput, NotFound
from services.access.roles import Permission
from services.access.staff import OrganisationChoice
from services.records.boxes import (
    FULFILMENTS,
    PROGRAM,
    OfferIn,
    OfferOut,
    OrderIn,
    create_offer,
    list_offers,
    list_orders,
    order_box,
    set_order_status,
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
    parse_items,
    running,
)
from web.session import CheckedDep, DatabaseDep, MemberDep, Visitor

router = APIRouter(prefix="/app/boxes", include_in_schema=False, route_class=RefusalsAsPages)
FULFILMENT_NAMES = {"pickup": N_("Pick-up"), "delivery": N_("Delivery")}
STATUS_NAMES = {
    "ordered": N_("Ordered"),
    "collected": N_("Collected"),
    "delivered": N_("Delivered"),
    "cancelled": N_("Cancelled"),
}
NOTICES = {
    "offered": N_("The box is offered."),
    "ordered": N_("The order is recorded."),
    "status": N_("The order's status is changed."),
}


def parse_price(text: str) -> Decimal | None:
    """Dollars typed the French or the English way ("12,50", "12.50 $"); None when not."""
    try:
        price = Decimal(text.replace("$", "").replace(",", ".").strip())
    except InvalidOperation:
        return None
    return price.quantize(Decimal("0.01")) if price.is_finite() and 0 <= price < 10_000 else None


@router.get("", response_class=HTMLResponse)
def boxes_page(
    request: Request, visitor: MemberDep, session: DatabaseDep, org: str | None = None
) -> HTMLResponse:
    """The offers, latest week first, and the form to offer a box."""
    return _boxes(request, visitor, session, org, values={}, errors={})


def _boxes(
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
    choices = food_choices(session, visitor.language)
    return render(
        request,
        visitor,
        "sesame/boxes.html",
        status=status,
        organisation=organisation,
        organisations=organisations,
        offers=list_offers(session, actor, org=organisation.slug),
        food=choices,
        food_names=food_names(choices),
        rows=ITEM_ROWS,
        values=values,
        errors=errors,
    )


@router.post("/offers", response_class=HTMLResponse)
def offer_box(
    request: Request, visitor: CheckedDep, session: DatabaseDep, form: PostedFormDep
) -> Response:
    """Offer a box for a week; on an error show the form again with what she typed."""
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    organisation, _choices = running(session, actor, PROGRAM, form.get("org") or None)
    _ = gettext_of(visitor)
    values = typed_values(form)
    errors: dict[str, str] = {}
    week_example = N_("Enter a day of the week as YYYY-MM-DD, for example 2026-12-07.")
    week = checked_day(values, "week_of", errors, _, week_example)
    if not values.get("name"):
        errors["name"] = _("Enter the box's name.")
    price = parse_price(values.get("price", ""))
    if price is None:
        errors["price"] = _("Enter the price of a box in dollars, for example 12,50.")
    capacity = whole_number(values["capacity"], 1, 10_000) if values.get("capacity") else None
    if values.get("capacity") and capacity is None:
        errors["capacity"] = _("Enter how many boxes there are, from 1 to 10000, or nothing.")
    known = {choice.code for choice in food_choices(session, visitor.language)}
    items = parse_items(values, known, errors, _)
    if errors or week is None or price is None:
        return _boxes(
            request, visitor, session, organisation.slug, values=values, errors=errors, status=422
        )
    offer = create_offer(
        session,
        actor,
        OfferIn(week_of=week, name=values["name"], price=price, capacity=capacity, items=items),
        org=organisation.slug,
    )
    return RedirectResponse(f"/app/boxes/{offer.offer_id}?done=offered", status_code=303)


@router.get("/{offer_id}", response_class=HTMLResponse)
def offer_page(
    request: Request, visitor: MemberDep, session: DatabaseDep, offer_id: int, done: str = ""
) -> HTMLResponse:
    """An offer: its contents, its orders with each box's value and saving, and a new order."""
    return _offer(request, visitor, session, offer_id, done=done, values={}, errors={})


def _offer(
    request: Request,
    visitor: Visitor,
    session: DatabaseDep,
    offer_id: int,
    *,
    done: str,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    orders = list_orders(session, actor, offer_id)  # 404 for another organisation's offer
    organisation, offer = _offer_of(session, visitor, offer_id)
    choices = food_choices(session, visitor.language)
    return render(
        request,
        visitor,
        "sesame/box_offer.html",
        status=status,
        organisation=organisation,
        offer=offer,
        orders=orders,
        names=client_names(session, actor, organisation.slug, [o.client_id for o in orders]),
        food_names=food_names(choices),
        fulfilments=[(code, gettext_of(visitor)(FULFILMENT_NAMES[code])) for code in FULFILMENTS],
        fulfilment_names=FULFILMENT_NAMES,
        status_names=STATUS_NAMES,
        price_statuses=PRICE_STATUSES,
        notice=notice_of(visitor, NOTICES, done),
        values={"boxes": "1", "fulfilment": "pickup", "ordered_on": date.today().isoformat()}
        | values,
        errors=errors,
    )


@router.post("/{offer_id}/orders", response_class=HTMLResponse)
def record_order(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    offer_id: int,
    client: Annotated[str, Form()] = "",
    boxes: Annotated[str, Form()] = "",
    fulfilment: Annotated[str, Form()] = "",
    ordered_on: Annotated[str, Form()] = "",
) -> Response:
    """Record a client's order, valued at her territory's prices that month."""
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    organisation, _chosen = _offer_of(session, visitor, offer_id)  # hers, or a 404
    _ = gettext_of(visitor)
    values = {"client": client.strip(), "boxes": boxes.strip(), "fulfilment": fulfilment}
    values["ordered_on"] = ordered_on.strip()
    errors: dict[str, str] = {}
    count = whole_number(values["boxes"], 1, 20)
    if count is None:
        errors["boxes"] = _("Enter from 1 to 20 boxes.")
    if fulfilment not in FULFILMENTS:
        errors["fulfilment"] = _("Choose pick-up or delivery.")
    day = checked_day(values, "ordered_on", errors, _)
    found = find_client(session, actor, organisation.slug, values["client"], errors, _)
    if not errors and found is not None and count is not None:
        order = OrderIn(client_id=found.id, boxes=count, fulfilment=fulfilment, ordered_on=day)
        try:
            order_box(session, actor, offer_id, order)
        except InvalidInput:
            session.rollback()
            errors["boxes"] = _("Not that many boxes are left in this offer.")
        else:
            return RedirectResponse(f"/app/boxes/{offer_id}?done=ordered", status_code=303)
    return _offer(
        request, visitor, session, offer_id, done="", values=values, errors=errors, status=422
    )


def _offer_of(
    session: DatabaseDep, visitor: Visitor, offer_id: int
) -> tuple[OrganisationChoice, OfferOut]:
    """The offer and her organisation that made it (there is no use case reading one offer)."""
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    for choice in running(session, actor, PROGRAM, None)[1]:
        for offer in list_offers(session, actor, org=choice.slug):
            if offer.offer_id == offer_id:
                return choice, offer
    raise NotFound(f"no box offer {offer_id}")


@router.post("/{offer_id}/orders/{order_id}/status")
def change_status(
    visitor: CheckedDep,
    session: DatabaseDep,
    offer_id: int,
    order_id: int,
    status: Annotated[str, Form()] = "",
) -> Response:
    """Record an order's pick-up or delivery (or its cancellation)."""
    actor = actor_of(visitor, Permission.PROGRAMS_MANAGE)
    if status not in STATUS_NAMES:
        raise NotFound(f"no status {status!r}")
    changed = set_order_status(session, actor, order_id, status)
    return RedirectResponse(f"/app/boxes/{changed.offer_id}?done=status", status_code=303)
