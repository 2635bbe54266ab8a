"""Le Sésame's other services in the demo: volunteers and their shifts, this week's boxes, a
collective kitchen, food-aid visits. Called by services/records/demo_sesame.py, through the
same use cases staff use."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

from faker import Faker
from sqlmodel import Session, select

from core.models import Client, User
from services.access.actor import Actor
from services.records.boxes import (
    FoodItemIn,
    OfferIn,
    OrderIn,
    create_offer,
    order_box,
    set_order_status,
)
from services.records.demo_context import SESAME_ROUTES
from services.records.food_aid import VisitIn, record_visit
from services.records.kitchens import KitchenIn, add_participant, create_kitchen, record_portions
from services.records.shifts import ShiftIn, add_shift, close_shift
from services.records.volunteers import SlotIn, VolunteerIn, add_volunteer

SLUG = "sesame"
Counter = Callable[[str, int], None]
Enrolled = dict[str, date]
VOLUNTEERS = 6
MORNING, AFTERNOON = (time(9, 30), time(14, 0)), (time(13, 0), time(17, 0))


def _items(*pairs: tuple[str, int]) -> list[FoodItemIn]:
    return [FoodItemIn(item_code=code, quantity=Decimal(quantity)) for code, quantity in pairs]


# Quantities in each item's purchase unit (g, mL or units), as the basket lists them.
SMALL_BOX = _items(
    ("carrots", 2270), ("apples_mcintosh", 1360), ("romaine_lettuce", 1),
    ("onions_yellow", 1360), ("potatoes_white", 4540),
)  # fmt: skip
FAMILY_BOX = _items(
    ("carrots", 4540), ("apples_mcintosh", 2720), ("romaine_lettuce", 2), ("onions_yellow", 1360),
    ("potatoes_white", 4540), ("cabbage_green", 1000), ("sweet_potatoes", 1000), ("bananas", 1000),
)  # fmt: skip
SOUP = _items(
    ("lentils_dry", 900), ("carrots", 2270), ("onions_yellow", 1360), ("celery", 1),
    ("tomatoes_canned", 1592),
)  # fmt: skip
FOOD_AID = [
    _items(("potatoes_white", 4540), ("lentils_dry", 900), ("oats_quick", 1000)),
    _items(("rice_white", 2000), ("peanut_butter", 1000), ("carrots", 2270), ("eggs_large", 12)),
    _items(("milk_2pct", 4000), ("oats_quick", 1000), ("apples_mcintosh", 1360)),
]


@dataclass(frozen=True)
class _Demo:
    """What every demo step shares: the session, the coordinator, the clients, the clock."""

    session: Session
    actor: Actor
    clients: list[tuple[Client, Enrolled]]
    volunteers: list[int]
    today: date
    rng: random.Random
    count: Counter


def past_weekdays(today: date, count: int) -> list[date]:
    """The `count` weekdays (Monday to Friday) before today, oldest first."""
    days: list[date] = []
    day = today
    while len(days) < count:
        day -= timedelta(days=1)
        if day.isoweekday() <= 5:
            days.append(day)
    return sorted(days)


def _volunteers(session: Session, actor: Actor, seed: int, count: Counter) -> list[int]:
    """Six volunteers with their weekly availability; the first is the volunteer account."""
    fake = Faker("fr_CA")
    fake.seed_instance(seed + 40)
    account = session.exec(select(User).where(User.email == "volunteer@sesame.demo")).first()
    ids = []
    for number in range(VOLUNTEERS):
        hours = MORNING if number < 4 else AFTERNOON  # four drive, two cook or sort boxes
        days = [number % 5, (number + 2) % 5, (number + 3) % 5]
        volunteer = add_volunteer(
            session,
            actor,
            VolunteerIn(
                name=f"{fake.first_name()} {fake.last_name()}",
                phone=f"514-555-01{50 + number:02d}",
                user_id=account.id if account is not None and number == 0 else None,
                availability=[
                    SlotIn(weekday=d, starts_at=hours[0], ends_at=hours[1]) for d in days
                ],
            ),
            SLUG,
        )
        ids.append(volunteer.volunteer_id)
        count("volunteers", 1)
    return ids


def _shift(demo: _Demo, shift: ShiftIn) -> None:
    """Plan a shift; one already worked is closed as done with its planned hours."""
    added = add_shift(demo.session, demo.actor, shift, SLUG)
    demo.count("shifts", 1)
    if shift.shift_on < demo.today:
        close_shift(demo.session, demo.actor, added.shift_id, "done")
        demo.count("shifts_done", 1)


def _route_shifts(demo: _Demo) -> None:
    """A driver on each route, last week's days (worked) and next week's (planned)."""
    today = demo.today
    monday = today + timedelta(days=7 - today.weekday())
    days = past_weekdays(today, 5) + [monday + timedelta(days=n) for n in range(5)]
    for day_number, day in enumerate(days):
        for route_number, (name, _fsas) in enumerate(SESAME_ROUTES):
            driver = demo.volunteers[(day_number + route_number) % 4]
            shift = ShiftIn(
                program="meals_on_wheels", kind="route", shift_on=day, starts_at=MORNING[0],
                ends_at=time(13, 30), place=name, volunteer_id=driver,
            )  # fmt: skip
            _shift(demo, shift)


def _boxes(demo: _Demo) -> None:
    """This week's two box offers and the orders of the clients in the produce-box program."""
    monday = demo.today - timedelta(days=demo.today.weekday())
    offers = [
        create_offer(demo.session, demo.actor, OfferIn(
            week_of=monday, name=name, price=Decimal(price), capacity=capacity, items=items,
        ), SLUG).offer_id
        for name, price, capacity, items in (
            ("Petite boîte de fruits et légumes (démo)", "10.00", 30, SMALL_BOX),
            ("Boîte familiale de fruits et légumes (démo)", "18.00", 20, FAMILY_BOX),
        )
    ]  # fmt: skip
    demo.count("box_offers", len(offers))
    shift = ShiftIn(
        program="produce_boxes", kind="boxes", shift_on=monday, starts_at=AFTERNOON[0],
        ends_at=AFTERNOON[1], place="Entrepôt (démo)", volunteer_id=demo.volunteers[5],
    )  # fmt: skip
    _shift(demo, shift)
    buyers = [
        c for c, programs in demo.clients if "produce_boxes" in programs or demo.rng.random() < 0.25
    ]
    for client in buyers:
        assert client.id is not None
        ordered_on = max(
            monday - timedelta(days=3), demo.today - timedelta(days=demo.rng.randint(0, 6))
        )
        offer_id = offers[demo.rng.random() < 0.4]
        order = order_box(demo.session, demo.actor, offer_id, OrderIn(
            client_id=client.id, boxes=1, ordered_on=ordered_on,
            fulfilment="delivery" if demo.rng.random() < 0.3 else "pickup",
        ))  # fmt: skip
        demo.count("box_orders", 1)
        if ordered_on < demo.today - timedelta(days=1) and demo.rng.random() < 0.5:
            done = "delivered" if order.fulfilment == "delivery" else "collected"
            set_order_status(demo.session, demo.actor, order.order_id, done)


def _kitchen(demo: _Demo) -> None:
    """Last Thursday's collective kitchen: a lentil soup, its cooks, its portions, a shift."""
    held_on = demo.today - timedelta(days=(demo.today.weekday() - 3) % 7 or 7)
    kitchen = create_kitchen(demo.session, demo.actor, KitchenIn(
        held_on=held_on, place="Cuisine communautaire du Sésame (démo)",
        recipe="Soupe aux lentilles et légumes (démo)", region="mercier-est", items=SOUP,
    ), SLUG)  # fmt: skip
    demo.count("kitchen_sessions", 1)
    cooks = [c for c, programs in demo.clients if "meals_on_wheels" not in programs]
    for client in demo.rng.sample(cooks, min(6, len(cooks))):
        assert client.id is not None
        add_participant(demo.session, demo.actor, kitchen.kitchen_session_id, client.id)
        demo.count("kitchen_participants", 1)
    record_portions(demo.session, demo.actor, kitchen.kitchen_session_id, 24)
    shift = ShiftIn(
        program="collective_kitchens", kind="kitchen", shift_on=held_on, starts_at=time(9, 0),
        ends_at=time(12, 0), kitchen_session_id=kitchen.kitchen_session_id,
        volunteer_id=demo.volunteers[4],
    )  # fmt: skip
    _shift(demo, shift)


def _food_aid(demo: _Demo) -> None:
    """A visit or two for each client of the food-aid program, and the shift that sorted it."""
    for client, programs in demo.clients:
        if "food_aid" not in programs:
            continue
        assert client.id is not None
        days = [demo.today - timedelta(days=demo.rng.randint(1, 20))]
        if demo.rng.random() < 0.4:
            days.insert(0, demo.today - timedelta(days=demo.rng.randint(35, 60)))
        for day in days:
            items = FOOD_AID[demo.rng.randrange(len(FOOD_AID))]
            record_visit(demo.session, demo.actor, client.id, VisitIn(visited_on=day, items=items))
            demo.count("food_aid_visits", 1)
    shift = ShiftIn(
        program="food_aid", kind="food_aid", shift_on=demo.today - timedelta(days=2),
        starts_at=AFTERNOON[0], ends_at=AFTERNOON[1], place="Comptoir (démo)",
        volunteer_id=demo.volunteers[5],
    )  # fmt: skip
    _shift(demo, shift)


def add_services(
    session: Session,
    actor: Actor,
    clients: list[tuple[Client, Enrolled]],
    *,
    seed: int,
    today: date,
    rng: random.Random,
    count: Counter,
) -> None:
    """Volunteers and shifts, boxes, a kitchen and food aid for Le Sésame's demo clients."""
    volunteers = _volunteers(session, actor, seed, count)
    demo = _Demo(session, actor, clients, volunteers, today, rng, count)
    for step in (_route_shifts, _boxes, _kitchen, _food_aid):
        step(demo)
