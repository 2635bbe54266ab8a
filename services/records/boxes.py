"""Produce boxes: weekly offers, clients' orders, and each box's worth beside its price.

A box is valued when it is ordered, at the basket prices of the client's territory (else her
organisation's home region) for the latest priced period at or before that month, so the
saving (value - price) is known, kept and reportable with its price status.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from core.errors import N_, InvalidInput, NotFound
from core.models import BoxOffer, BoxOfferItem, BoxOrder, Client, Region
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.basket_values import check_items, client_basis, value_items
from services.records.care_scope import check_choice, program_of
from services.records.scope import client_for, client_record_for, organisation_for

PROGRAM = "produce_boxes"
FULFILMENTS = ("pickup", "delivery")
STATUSES = ("ordered", "collected", "delivered", "cancelled")


class FoodItemIn(BaseModel):
    """A basket item (by code) and a quantity in its purchase unit (g, mL or units)."""

    item_code: str = Field(examples=["carrots"], max_length=64)
    quantity: Decimal = Field(gt=0, examples=[1000])


class OfferIn(BaseModel):
    """A box offered for a week (any day of it: the Monday is kept)."""

    program: str = Field(default=PROGRAM, description="Program code (produce_boxes)")
    week_of: date
    name: str = Field(min_length=1, max_length=200)
    price: Decimal = Field(ge=0, max_digits=8, decimal_places=2)
    capacity: int | None = Field(default=None, gt=0)
    items: list[FoodItemIn] = Field(min_length=1)


class OfferOut(BaseModel):
    """A box offer, its contents and how many boxes are ordered."""

    offer_id: int
    program: str = Field(default=PROGRAM, description="Program code (produce_boxes)")
    week_of: date
    name: str
    price: Decimal
    capacity: int | None
    ordered: int
    items: list[FoodItemIn]


class OrderIn(BaseModel):
    """A client's order of boxes of an offer."""

    client_id: int
    boxes: int = Field(default=1, gt=0, le=20)
    fulfilment: str = Field(default="pickup", description="pickup or delivery")
    ordered_on: date | None = Field(default=None, description="Today when absent")


class OrderOut(BaseModel):
    """An order, each box's value at her territory's prices beside its price, and the saving."""

    order_id: int
    offer_id: int
    client_id: int
    boxes: int
    fulfilment: str
    status: str
    ordered_on: date
    region: str | None
    period: str | None
    price: Decimal = Field(description="What one box costs her")
    box_value: Decimal | None = Field(description="One box at basket prices (None: unpriced)")
    saving: Decimal | None = Field(description="(value - price) x boxes")
    price_status: str


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _offer_out(session: Session, offer: BoxOffer) -> OfferOut:
    assert offer.id is not None
    items = session.exec(select(BoxOfferItem).where(BoxOfferItem.box_offer_id == offer.id)).all()
    orders = session.exec(
        select(BoxOrder).where(BoxOrder.box_offer_id == offer.id, BoxOrder.status != "cancelled")
    ).all()
    return OfferOut(
        offer_id=offer.id,
        week_of=offer.week_of,
        name=offer.name,
        price=offer.price,
        capacity=offer.capacity,
        ordered=sum(order.boxes for order in orders),
        items=[FoodItemIn(item_code=i.item_code, quantity=i.quantity) for i in items],
    )


def create_offer(
    session: Session, actor: Actor, offer: OfferIn, org: str | None = None
) -> OfferOut:
    """Offer a box for a week (coordinators: programs:manage)."""
    organisation = organisation_for(session, actor, Permission.PROGRAMS_MANAGE, org)
    assert organisation.id is not None
    program = program_of(session, organisation.id, offer.program)
    assert program.id is not None
    items = check_items(session, ((i.item_code, i.quantity) for i in offer.items))
    row = BoxOffer(
        organisation_id=organisation.id,
        program_id=program.id,
        week_of=_monday(offer.week_of),
        name=offer.name.strip(),
        price=offer.price,
        capacity=offer.capacity,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    for code, quantity in items:
        session.add(BoxOfferItem(box_offer_id=row.id, item_code=code, quantity=quantity))
    audit(session, actor, "create", "box_offer", record_id=row.id, organisation_id=organisation.id)
    session.commit()
    return _offer_out(session, row)


def list_offers(
    session: Session, actor: Actor, week_of: date | None = None, org: str | None = None
) -> list[OfferOut]:
    """The organisation's box offers (of one week when given), latest week first."""
    organisation = organisation_for(session, actor, Permission.SERVICES_WRITE, org)
    query = select(BoxOffer).where(BoxOffer.organisation_id == organisation.id)
    if week_of is not None:
        query = query.where(BoxOffer.week_of == _monday(week_of))
    offers = session.exec(query.order_by(BoxOffer.week_of.desc(), BoxOffer.id)).all()  # type: ignore[attr-defined,arg-type]
    return [_offer_out(session, offer) for offer in offers]


def _offer(session: Session, actor: Actor, offer_id: int, permission: Permission) -> BoxOffer:
    offer = session.get(BoxOffer, offer_id)
    if offer is None or not (actor.operator or offer.organisation_id in actor.organisations()):
        raise NotFound(f"no box offer {offer_id}")
    actor.require(permission, offer.organisation_id)
    return offer


def order_out(session: Session, order: BoxOrder, offer: BoxOffer) -> OrderOut:
    """The answer for one order, with its saving."""
    assert order.id is not None and offer.id is not None
    region = session.get(Region, order.region_id) if order.region_id else None
    saving = None if order.box_value is None else (order.box_value - offer.price) * order.boxes
    return OrderOut(
        order_id=order.id,
        offer_id=offer.id,
        client_id=order.client_id,
        boxes=order.boxes,
        fulfilment=order.fulfilment,
        status=order.status,
        ordered_on=order.ordered_on,
        region=region.code if region else None,
        period=order.period,
        price=offer.price,
        box_value=order.box_value,
        saving=saving,
        price_status=order.price_status,
    )


def order_box(session: Session, actor: Actor, offer_id: int, order: OrderIn) -> OrderOut:
    """Order boxes for a client, valued at her territory's basket prices that month.

    Raises:
        NotFound: the offer or the client is not of her organisation (or not at all).
        InvalidInput: unknown fulfilment, or more boxes than the offer has left.
    """
    offer = _offer(session, actor, offer_id, Permission.SERVICES_WRITE)
    client = client_for(session, actor, order.client_id, Permission.SERVICES_WRITE)
    if client.organisation_id != offer.organisation_id:
        raise NotFound(f"no client {order.client_id}")
    check_choice(order.fulfilment, FULFILMENTS, "fulfilment")
    if offer.capacity is not None:
        left = offer.capacity - _offer_out(session, offer).ordered
        if order.boxes > left:
            raise InvalidInput(N_("only %(left)s boxes left in this offer"), left=max(left, 0))
    on = order.ordered_on or date.today()
    items = session.exec(select(BoxOfferItem).where(BoxOfferItem.box_offer_id == offer.id)).all()
    value = value_items(
        session, client_basis(session, client, on), ((i.item_code, i.quantity) for i in items)
    )
    assert client.id is not None and offer.id is not None
    row = BoxOrder(
        box_offer_id=offer.id,
        client_id=client.id,
        boxes=order.boxes,
        fulfilment=order.fulfilment,
        ordered_on=on,
        staff_id=actor.user_id,
        region_id=value.basis.region_id,
        period=value.basis.period,
        basket_version_id=value.basis.version_id,
        box_value=value.total,
        price_status=value.status,
    )
    session.add(row)
    session.flush()
    audit(session, actor, "create", "box_order", record_id=row.id, client=client)
    session.commit()
    return order_out(session, row, offer)


def _order(
    session: Session, actor: Actor, order_id: int, permission: Permission
) -> tuple[BoxOrder, BoxOffer, Client]:
    order, client = client_record_for(session, actor, BoxOrder, order_id, permission, "box order")
    offer = session.get(BoxOffer, order.box_offer_id)
    assert offer is not None
    return order, offer, client


def read_order(session: Session, actor: Actor, order_id: int) -> OrderOut:
    """One order and its value (audited as a read of her file)."""
    order, offer, client = _order(session, actor, order_id, Permission.CLIENTS_READ)
    audit(session, actor, "read", "box_order", record_id=order.id, client=client)
    session.commit()
    return order_out(session, order, offer)


def set_order_status(session: Session, actor: Actor, order_id: int, status: str) -> OrderOut:
    """Mark an order collected, delivered or cancelled."""
    order, offer, client = _order(session, actor, order_id, Permission.SERVICES_WRITE)
    check_choice(status, STATUSES, "status")
    order.status = status
    session.add(order)
    audit(session, actor, "update", "box_order", record_id=order.id, client=client, detail=status)
    session.commit()
    return order_out(session, order, offer)


def list_orders(session: Session, actor: Actor, offer_id: int) -> list[OrderOut]:
    """An offer's orders (one audit row for the list)."""
    offer = _offer(session, actor, offer_id, Permission.CLIENTS_READ)
    orders = session.exec(
        select(BoxOrder).where(BoxOrder.box_offer_id == offer_id).order_by(BoxOrder.id)  # type: ignore[arg-type]
    ).all()
    audit(
        session,
        actor,
        "read",
        "client_list",
        record_id=offer.id,
        organisation_id=offer.organisation_id,
        detail=f"box orders of offer {offer_id}: {len(orders)}",
    )
    session.commit()
    return [order_out(session, order, offer) for order in orders]


def client_orders(session: Session, actor: Actor, client_id: int) -> list[OrderOut]:
    """A client's box orders, latest first."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_READ)
    rows = session.exec(
        select(BoxOrder, BoxOffer)
        .join(BoxOffer, col(BoxOffer.id) == BoxOrder.box_offer_id)
        .where(BoxOrder.client_id == client_id)
        .order_by(col(BoxOrder.ordered_on).desc(), col(BoxOrder.id).desc())
    ).all()
    audit(session, actor, "read", "box_order_list", client=client, detail=f"{len(rows)} orders")
    session.commit()
    return [order_out(session, order, offer) for order, offer in rows]
