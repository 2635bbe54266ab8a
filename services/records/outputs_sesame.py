"""Le Sésame's figures for the outputs report: boxes, kitchen portions, food aid, café, hours.

A separate section (the `sesame` object of the report's JSON), computed from the operations
tables. Boxes, portions, visits and hours are counts of things, not of people; the numbers of
households and participants are client figures and are suppressed below the threshold like
every other one. Cancelled orders and shifts do not count; a box with no value (an unpriced
item) counts as a box but adds nothing to the values, and `boxes_unvalued` says how many.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel
from sqlmodel import Session, col, select

from core.models import (
    BoxOffer,
    BoxOrder,
    Client,
    FoodAidVisit,
    KitchenParticipant,
    KitchenSession,
    Region,
    ServiceEvent,
    VolunteerShift,
)
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.coupon_values import weakest
from services.records.scope import organisation_for
from services.records.suppression import suppress_count

UNKNOWN = "inconnu"


class SesameSection(BaseModel):
    """The operations' outputs over a period (money to the cent)."""

    boxes: int
    box_orders: int
    boxes_value: Decimal
    boxes_price: Decimal
    boxes_saving: Decimal
    boxes_unvalued: int
    boxes_price_status: str  # the weakest status of the valued boxes' prices
    kitchen_sessions: int
    kitchen_portions: int
    kitchen_participants: int | None
    food_aid_visits: int
    food_aid_households: int | None
    food_aid_flagged: int
    food_aid_value: Decimal
    cafe_attendance: int
    solidarity_meals: int
    volunteer_shifts: int
    volunteer_hours: Decimal
    volunteer_hours_by_kind: dict[str, Decimal]
    # By the client's territory ("inconnu" without one); small counts suppressed (None).
    boxes_by_territory: dict[str, int | None]
    food_aid_visits_by_territory: dict[str, int | None]


def sesame_section(
    session: Session, organisation_id: int, starts_on: date, ends_on: date, threshold: int = 1
) -> SesameSection:
    """Count an organisation's boxes, portions, visits, café events and hours in a period."""
    orders = session.exec(
        select(BoxOrder, BoxOffer)
        .join(BoxOffer, col(BoxOffer.id) == BoxOrder.box_offer_id)
        .where(
            BoxOffer.organisation_id == organisation_id,
            BoxOrder.status != "cancelled",
            col(BoxOrder.ordered_on).between(starts_on, ends_on),
        )
    ).all()
    valued = [(o, offer) for o, offer in orders if o.box_value is not None]
    value = sum((o.box_value * o.boxes for o, _ in valued if o.box_value), Decimal(0))
    price = sum((offer.price * o.boxes for o, offer in valued), Decimal(0))
    kitchens = session.exec(
        select(KitchenSession).where(
            KitchenSession.organisation_id == organisation_id,
            col(KitchenSession.held_on).between(starts_on, ends_on),
        )
    ).all()
    participants = session.exec(
        select(KitchenParticipant.client_id).where(
            col(KitchenParticipant.kitchen_session_id).in_([k.id for k in kitchens])
        )
    ).all()
    visits = session.exec(
        select(FoodAidVisit)
        .join(Client, col(Client.id) == FoodAidVisit.client_id)
        .where(
            Client.organisation_id == organisation_id,
            col(FoodAidVisit.visited_on).between(starts_on, ends_on),
        )
    ).all()
    events = session.exec(
        select(ServiceEvent.kind)
        .join(Client, col(Client.id) == ServiceEvent.client_id)
        .where(
            Client.organisation_id == organisation_id,
            col(ServiceEvent.kind).in_(("cafe_attendance", "solidarity_meal")),
            col(ServiceEvent.occurred_on).between(starts_on, ends_on),
        )
    ).all()
    shifts = session.exec(
        select(VolunteerShift).where(
            VolunteerShift.organisation_id == organisation_id,
            VolunteerShift.status == "done",
            col(VolunteerShift.shift_on).between(starts_on, ends_on),
        )
    ).all()
    by_kind: dict[str, Decimal] = {}
    for shift in shifts:
        by_kind[shift.kind] = by_kind.get(shift.kind, Decimal(0)) + (shift.hours or Decimal(0))
    return SesameSection(
        boxes=sum(o.boxes for o, _ in orders),
        box_orders=len(orders),
        boxes_value=value,
        boxes_price=price,
        boxes_saving=value - price,
        boxes_unvalued=sum(o.boxes for o, _ in orders if o.box_value is None),
        boxes_price_status=weakest(o.price_status for o, _ in valued) if valued else "missing",
        kitchen_sessions=len(kitchens),
        kitchen_portions=sum(k.portions or 0 for k in kitchens),
        kitchen_participants=suppress_count(len(set(participants)), threshold),
        food_aid_visits=len(visits),
        food_aid_households=suppress_count(len({v.client_id for v in visits}), threshold),
        food_aid_flagged=sum(1 for v in visits if v.flagged),
        food_aid_value=sum((v.total_value or Decimal(0) for v in visits), Decimal(0)),
        cafe_attendance=sum(1 for kind in events if kind == "cafe_attendance"),
        solidarity_meals=sum(1 for kind in events if kind == "solidarity_meal"),
        volunteer_shifts=len(shifts),
        volunteer_hours=sum(by_kind.values(), Decimal(0)),
        volunteer_hours_by_kind=dict(sorted(by_kind.items())),
        boxes_by_territory=_by_territory(
            session, [(o.client_id, o.boxes) for o, _ in orders], threshold
        ),
        food_aid_visits_by_territory=_by_territory(
            session, [(v.client_id, 1) for v in visits], threshold
        ),
    )


def _by_territory(
    session: Session, counts: list[tuple[int, int]], threshold: int
) -> dict[str, int | None]:
    """Sum counts by the client's territory code, each suppressed when small."""
    totals: dict[str, int] = {}
    for client_id, amount in counts:
        client = session.get(Client, client_id)
        region = (
            session.get(Region, client.territory_id) if client and client.territory_id else None
        )
        code = region.code if region else UNKNOWN
        totals[code] = totals.get(code, 0) + amount
    return {code: suppress_count(n, threshold) for code, n in sorted(totals.items())}


def operations_outputs(
    session: Session,
    actor: Actor,
    organisation: str | None,
    starts_on: date,
    ends_on: date,
    threshold: int,
) -> SesameSection:
    """The operations section on its own, for a reader of the organisation's reports."""
    owner = organisation_for(session, actor, Permission.REPORTS_READ, organisation)
    assert owner.id is not None
    section = sesame_section(session, owner.id, starts_on, ends_on, threshold)
    audit(
        session,
        actor,
        "report",
        "operations_outputs",
        organisation_id=owner.id,
        detail=f"{starts_on.isoformat()}..{ends_on.isoformat()}",
    )
    session.commit()
    return section
