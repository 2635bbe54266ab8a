"""Produce boxes: weekly offers, orders, and each box's value beside its price."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.access import requires
from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.boxes import (
    OfferIn,
    OfferOut,
    OrderIn,
    OrderOut,
    client_orders,
    create_offer,
    list_offers,
    list_orders,
    order_box,
    read_order,
    set_order_status,
)

router = APIRouter(prefix="/v1/records", tags=["records: produce boxes"], responses=ERROR_RESPONSES)
Org = Annotated[str | None, Query(description="Organisation slug")]


class StatusBody(BaseModel):
    """An order's new status: ordered, collected, delivered or cancelled."""

    status: str


@router.post("/box-offers", status_code=201)
def post_offer(
    body: OfferIn,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.PROGRAMS_MANAGE)],
    org: Org = None,
) -> OfferOut:
    """Offer a box for a week: its contents as basket items, and its price."""
    return create_offer(session, actor, body, org)


@router.get("/box-offers")
def get_offers(
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.SERVICES_WRITE)],
    week_of: date | None = None,
    org: Org = None,
) -> list[OfferOut]:
    """The organisation's offers (of the week of `week_of` when given)."""
    return list_offers(session, actor, week_of, org)


@router.post("/box-offers/{offer_id}/orders", status_code=201)
def post_order(
    offer_id: int,
    body: OrderIn,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.SERVICES_WRITE)],
) -> OrderOut:
    """Order boxes for a client, valued at her territory's basket prices."""
    return order_box(session, actor, offer_id, body)


@router.get("/box-offers/{offer_id}/orders")
def get_orders(
    offer_id: int,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.CLIENTS_READ)],
) -> list[OrderOut]:
    """An offer's orders, each with its value and saving."""
    return list_orders(session, actor, offer_id)


@router.get("/clients/{client_id}/box-orders")
def get_client_orders(
    client_id: int, session: SessionDep, actor: Annotated[Actor, requires(Permission.CLIENTS_READ)]
) -> list[OrderOut]:
    """A client's box orders, latest first."""
    return client_orders(session, actor, client_id)


@router.get("/box-orders/{order_id}")
def get_order(
    order_id: int, session: SessionDep, actor: Annotated[Actor, requires(Permission.CLIENTS_READ)]
) -> OrderOut:
    """One order: the box's value at her territory's prices, its price and the saving."""
    return read_order(session, actor, order_id)


@router.post("/box-orders/{order_id}/status")
def post_order_status(
    order_id: int,
    body: StatusBody,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.SERVICES_WRITE)],
) -> OrderOut:
    """Mark an order collected, delivered or cancelled."""
    return set_order_status(session, actor, order_id, body.status)
