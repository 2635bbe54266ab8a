"""Collective kitchens: sessions, their participants, the recipe and its cost per portion.

The recipe is basket items and quantities; it is costed at the basket prices of the session's
region (else the organisation's home region) for the latest priced period at or before the
session's month, and divided by the portions made. Costs are computed when read (current
prices), not stored.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from core.errors import NotFound
from core.models import KitchenParticipant, KitchenRecipeItem, KitchenSession
from core.regions import region_by_code
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.basket_values import check_items, region_basis, value_items
from services.records.boxes import FoodItemIn
from services.records.care_scope import program_of
from services.records.scope import client_for, organisation_for

PROGRAM = "collective_kitchens"
CENT = Decimal("0.01")


class KitchenIn(BaseModel):
    """A kitchen session: day, place, recipe as basket items, and the region that prices it."""

    program: str = Field(default=PROGRAM, description="Program code (collective_kitchens)")
    held_on: date
    place: str = Field(min_length=1, max_length=200)
    recipe: str = Field(default="", max_length=200)
    region: str | None = Field(default=None, description="Region code; the org's when absent")
    items: list[FoodItemIn] = Field(min_length=1)


class KitchenOut(BaseModel):
    """A session, its recipe's cost at current prices and per portion (None: unpriced)."""

    kitchen_session_id: int
    held_on: date
    place: str
    recipe: str
    region: str | None
    period: str | None
    participants: int
    portions: int | None
    items: list[FoodItemIn]
    recipe_cost: Decimal | None
    cost_per_portion: Decimal | None
    price_status: str


def kitchen_out(session: Session, kitchen: KitchenSession) -> KitchenOut:
    """The answer for a session, costed at the prices of its region and month."""
    assert kitchen.id is not None
    items = session.exec(
        select(KitchenRecipeItem).where(KitchenRecipeItem.kitchen_session_id == kitchen.id)
    ).all()
    participants = session.exec(
        select(KitchenParticipant).where(KitchenParticipant.kitchen_session_id == kitchen.id)
    ).all()
    basis = region_basis(session, kitchen.organisation_id, kitchen.region_id, kitchen.held_on)
    value = value_items(session, basis, ((i.item_code, i.quantity) for i in items))
    per_portion = (
        (value.total / kitchen.portions).quantize(CENT, rounding=ROUND_HALF_UP)
        if value.total is not None and kitchen.portions
        else None
    )
    return KitchenOut(
        kitchen_session_id=kitchen.id,
        held_on=kitchen.held_on,
        place=kitchen.place,
        recipe=kitchen.recipe,
        region=basis.region_code,
        period=basis.period,
        participants=len(participants),
        portions=kitchen.portions,
        items=[FoodItemIn(item_code=i.item_code, quantity=i.quantity) for i in items],
        recipe_cost=value.total,
        cost_per_portion=per_portion,
        price_status=value.status,
    )


def create_kitchen(
    session: Session, actor: Actor, kitchen: KitchenIn, org: str | None = None
) -> KitchenOut:
    """Plan a kitchen session (coordinators: programs:manage)."""
    organisation = organisation_for(session, actor, Permission.PROGRAMS_MANAGE, org)
    assert organisation.id is not None
    program = program_of(session, organisation.id, kitchen.program)
    items = check_items(session, ((i.item_code, i.quantity) for i in kitchen.items))
    region_id = region_by_code(session, kitchen.region).id if kitchen.region else None
    assert program.id is not None
    row = KitchenSession(
        organisation_id=organisation.id,
        program_id=program.id,
        held_on=kitchen.held_on,
        place=kitchen.place.strip(),
        recipe=kitchen.recipe.strip(),
        region_id=region_id,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    for code, quantity in items:
        session.add(KitchenRecipeItem(kitchen_session_id=row.id, item_code=code, quantity=quantity))
    audit(
        session,
        actor,
        "create",
        "kitchen_session",
        record_id=row.id,
        organisation_id=organisation.id,
    )
    session.commit()
    return kitchen_out(session, row)


def kitchen_for(
    session: Session, actor: Actor, kitchen_session_id: int, permission: Permission
) -> KitchenSession:
    """A session of her organisation, checked for `permission` (404 for another one's)."""
    kitchen = session.get(KitchenSession, kitchen_session_id)
    if kitchen is None or not (actor.operator or kitchen.organisation_id in actor.organisations()):
        raise NotFound(f"no kitchen session {kitchen_session_id}")
    actor.require(permission, kitchen.organisation_id)
    return kitchen


def read_kitchen(session: Session, actor: Actor, kitchen_session_id: int) -> KitchenOut:
    """A session and its cost per portion at current prices."""
    kitchen = kitchen_for(session, actor, kitchen_session_id, Permission.SERVICES_WRITE)
    return kitchen_out(session, kitchen)


def record_portions(
    session: Session, actor: Actor, kitchen_session_id: int, portions: int
) -> KitchenOut:
    """Record the portions a session made."""
    kitchen = kitchen_for(session, actor, kitchen_session_id, Permission.SERVICES_WRITE)
    kitchen.portions = portions
    session.add(kitchen)
    audit(
        session,
        actor,
        "update",
        "kitchen_session",
        record_id=kitchen.id,
        organisation_id=kitchen.organisation_id,
        detail=f"{portions} portions",
    )
    session.commit()
    return kitchen_out(session, kitchen)


def add_participant(
    session: Session, actor: Actor, kitchen_session_id: int, client_id: int
) -> KitchenOut:
    """Register a client at a session (once; a second time changes nothing)."""
    kitchen = kitchen_for(session, actor, kitchen_session_id, Permission.SERVICES_WRITE)
    client = client_for(session, actor, client_id, Permission.SERVICES_WRITE)
    if client.organisation_id != kitchen.organisation_id:
        raise NotFound(f"no client {client_id}")
    existing = session.exec(
        select(KitchenParticipant).where(
            KitchenParticipant.kitchen_session_id == kitchen_session_id,
            KitchenParticipant.client_id == client_id,
        )
    ).first()
    if existing is None:
        session.add(KitchenParticipant(kitchen_session_id=kitchen_session_id, client_id=client_id))
    audit(session, actor, "create", "kitchen_participant", record_id=kitchen.id, client=client)
    session.commit()
    return kitchen_out(session, kitchen)


def list_participants(session: Session, actor: Actor, kitchen_session_id: int) -> list[int]:
    """The client ids registered at a session (one audit row for the list)."""
    kitchen = kitchen_for(session, actor, kitchen_session_id, Permission.CLIENTS_READ)
    ids = list(
        session.exec(
            select(KitchenParticipant.client_id).where(
                KitchenParticipant.kitchen_session_id == kitchen_session_id
            )
        ).all()
    )
    audit(
        session,
        actor,
        "read",
        "client_list",
        record_id=kitchen.id,
        organisation_id=kitchen.organisation_id,
        detail=f"kitchen participants: {len(ids)}",
    )
    session.commit()
    return sorted(ids)


def list_kitchens(
    session: Session, actor: Actor, starts_on: date, ends_on: date, org: str | None = None
) -> list[KitchenOut]:
    """The organisation's kitchen sessions between two days, each costed (no client data)."""
    organisation = organisation_for(session, actor, Permission.SERVICES_WRITE, org)
    rows = session.exec(
        select(KitchenSession)
        .where(
            KitchenSession.organisation_id == organisation.id,
            col(KitchenSession.held_on).between(starts_on, ends_on),
        )
        .order_by(col(KitchenSession.held_on), col(KitchenSession.id))
    ).all()
    return [kitchen_out(session, row) for row in rows]
