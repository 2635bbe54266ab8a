"""Le Sésame's figures for the outputs report: boxes, kitchen portions, food aid, café, meals
delivered, volunteer hours, and each service by territory.

A separate section (the `sesame` object of the report's JSON), computed from the operations
tables. Boxes, portions, visits, meals and hours are counts of things, not of people; the
numbers of households, participants and clients are client figures and are suppressed below
the threshold like every other one. Cancelled orders and shifts do not count; a box with no
value (an unpriced item) counts as a box but adds nothing to the values, and `boxes_unvalued`
says how many. Meals come from the delivery outcomes (services/records/outputs_meals.py).

By territory (the client's; "inconnu" without one): Le Sésame's four territories always have
a row, others only when someone lives there. A territory's count below the threshold is
suppressed, and when a column then hides one cell only, its next-smallest one too, so the
column's total (published above) does not give the hidden one away.
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
from services.records.outputs_meals import meals_facts
from services.records.scope import organisation_for
from services.records.suppression import suppress_count

UNKNOWN = "inconnu"
# Le Sésame's territories (region codes), in the order its reports list them.
TERRITORIES = ("mercier-est", "montreal-est", "riviere-des-prairies", "pointe-aux-trembles")
TERRITORY_COLUMNS = (
    "boxes",
    "food_aid_visits",
    "food_aid_households",
    "meals_delivered",
    "meals_clients",
    "kitchen_participants",
)


class TerritoryRow(BaseModel):
    """One territory's services (None: suppressed)."""

    territory: str  # region code, or "inconnu"
    name: str
    boxes: int | None
    food_aid_visits: int | None
    food_aid_households: int | None
    meals_delivered: int | None
    meals_clients: int | None
    kitchen_participants: int | None


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
    meals_planned: int
    meals_delivered: int  # handed over or left at the door
    meals_left_at_door: int
    deliveries_no_answer: int
    delivery_followups_opened: int
    meals_clients: int | None
    volunteer_shifts: int
    volunteer_hours: Decimal
    volunteer_hours_by_kind: dict[str, Decimal]
    # By the client's territory ("inconnu" without one); small counts suppressed (None).
    boxes_by_territory: dict[str, int | None]
    food_aid_visits_by_territory: dict[str, int | None]
    meals_delivered_by_territory: dict[str, int | None]
    territories: list[TerritoryRow]


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
    meals = meals_facts(session, organisation_id, starts_on, ends_on)
    # What each territory column counts: (client, amount) pairs, or the people themselves.
    columns: dict[str, list[tuple[int, int]]] = {
        "boxes": [(o.client_id, o.boxes) for o, _ in orders],
        "food_aid_visits": [(v.client_id, 1) for v in visits],
        "food_aid_households": [(c, 1) for c in {v.client_id for v in visits}],
        "meals_delivered": meals.delivered_to,
        "meals_clients": [(c, 1) for c in {c for c, _ in meals.delivered_to}],
        "kitchen_participants": [(c, 1) for c in set(participants)],
    }
    territories = territory_table(session, columns, threshold)
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
        meals_planned=meals.planned,
        meals_delivered=meals.delivered,
        meals_left_at_door=meals.left_at_door,
        deliveries_no_answer=meals.no_answer,
        delivery_followups_opened=meals.followups_opened,
        meals_clients=suppress_count(len(columns["meals_clients"]), threshold),
        volunteer_shifts=len(shifts),
        volunteer_hours=sum(by_kind.values(), Decimal(0)),
        volunteer_hours_by_kind=dict(sorted(by_kind.items())),
        boxes_by_territory=_present(territories, "boxes"),
        food_aid_visits_by_territory=_present(territories, "food_aid_visits"),
        meals_delivered_by_territory=_present(territories, "meals_delivered"),
        territories=territories,
    )


def _territory_codes(session: Session, client_ids: set[int]) -> dict[int, str]:
    """Each client's territory code ("inconnu" without one), in one query."""
    rows = session.exec(
        select(col(Client.id), col(Region.code))
        .join(Region, col(Region.id) == Client.territory_id, isouter=True)
        .where(col(Client.id).in_(client_ids))
    ).all()
    return {client_id: code or UNKNOWN for client_id, code in rows if client_id is not None}


def suppress_column(values: list[int], threshold: int) -> list[int | None]:
    """Suppress the cells below the threshold; when that hides one cell only, the
    next-smallest non-zero one too (the column's total is published elsewhere)."""
    shown: list[int | None] = [None if 0 < n < threshold else n for n in values]
    if sum(cell is None for cell in shown) == 1:
        others = [(n, i) for i, n in enumerate(values) if shown[i] is not None and n > 0]
        if others:
            shown[min(others)[1]] = None
    return shown


def territory_table(
    session: Session, columns: dict[str, list[tuple[int, int]]], threshold: int
) -> list[TerritoryRow]:
    """One row per territory (Le Sésame's four, then others met, then "inconnu")."""
    codes = _territory_codes(session, {c for pairs in columns.values() for c, _ in pairs})
    met = sorted(set(codes.values()) - set(TERRITORIES) - {UNKNOWN})
    order = [*TERRITORIES, *met, UNKNOWN]
    names = dict(
        session.exec(select(Region.code, Region.name).where(col(Region.code).in_(order))).all()
    )
    cells: dict[str, list[int | None]] = {}
    for name, pairs in columns.items():
        totals = dict.fromkeys(order, 0)
        for client_id, amount in pairs:
            totals[codes.get(client_id, UNKNOWN)] += amount
        cells[name] = suppress_column([totals[code] for code in order], threshold)
    return [
        TerritoryRow(
            territory=code,
            name=names.get(code, code),
            **{name: cells[name][index] for name in TERRITORY_COLUMNS},
        )
        for index, code in enumerate(order)
    ]


def _present(rows: list[TerritoryRow], column: str) -> dict[str, int | None]:
    """A column as {territory: count}, only the territories where something was counted."""
    return {
        row.territory: getattr(row, column)
        for row in sorted(rows, key=lambda r: r.territory)
        if getattr(row, column) != 0
    }


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
