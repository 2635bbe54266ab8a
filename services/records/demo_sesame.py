"""Le Sésame's operations in the demo: meal plans on three routes, last week's deliveries, and
(services/records/demo_sesame_services.py) volunteers, boxes, a kitchen and food aid.

Everything goes through the use cases, as the operator at the command line, so the rows are
checked and audited as staff's would be. Drawn from its own `random.Random` (seeded from the
demo seed), so the clients' files stay what they were. Run once: when the demo routes exist,
nothing is added (`ppne demo` run again adds nothing).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, col, select

from core.basket_definitions import ensure_reference_basket
from core.models import (
    BasketItem,
    Client,
    DeliveryFollowup,
    DeliveryRoute,
    Enrolment,
    MealPlan,
    Program,
    User,
)
from services.access.actor import Actor
from services.access.organisations import organisation_by_slug
from services.records.client_models import PauseInput
from services.records.client_parts import add_pause
from services.records.demo_context import SESAME_ROUTES
from services.records.demo_sesame_services import add_services, past_weekdays
from services.records.meals.outcomes import (
    OutcomeInput,
    close_followup,
    escalate,
    record_outcome,
)
from services.records.meals.plans import PlanInput, RouteInput, create_plan, create_route
from services.records.meals.runs import plan_day

SLUG = "sesame"
# Le Sésame's kitchen, where every run starts and ends (approximate, Mercier-Est).
DEPOT = (45.5935, -73.5390)
# Weekday patterns, taken in turn: the first plan is every weekday, so each day has meals.
WEEKDAYS = [[1, 2, 3, 4, 5], [1, 3, 5], [2, 4], [1, 2, 3, 4, 5], [1, 4], [2, 3, 5], [3, 5]]
DIETS = [[], ["diabétique"], [], ["sans sel"], [], ["diabétique", "sans sel"], ["végétarien"]]
ALLERGENS = [[], [], ["arachides"], [], ["fruits de mer"], [], ["lactose"], []]
WINDOWS = [(600, 780), (630, 720), (660, 780), (600, 720)]
DOOR_NOTE = "Laisser dans la glacière sur le balcon, sonner deux fois (démo)."
PAST_DAYS = 5  # weekdays before today whose runs are planned and delivered


@dataclass
class SesameDemo:
    """How many of each thing the run added (all zero on a second run)."""

    added: dict[str, int] = field(default_factory=dict)

    def count(self, name: str, how_many: int = 1) -> None:
        """Add to one of the counts."""
        self.added[name] = self.added.get(name, 0) + how_many


Enrolled = dict[str, date]  # program code -> first day of her enrolment


def demo_clients(session: Session, organisation_id: int) -> list[tuple[Client, Enrolled]]:
    """Le Sésame's demo clients by file number, each with the programs she is enrolled in."""
    clients = session.exec(
        select(Client)
        .where(Client.organisation_id == organisation_id)
        .where(col(Client.file_number).startswith("DEMO-"))
        .order_by(col(Client.file_number))
    ).all()
    enrolled = session.exec(
        select(col(Enrolment.client_id), col(Program.code), col(Enrolment.starts_on))
        .join(Program, col(Program.id) == Enrolment.program_id)
        .where(col(Enrolment.client_id).in_([c.id for c in clients]))
        .order_by(col(Enrolment.id))
    ).all()
    programs: dict[int, Enrolled] = {}
    for client_id, code, starts_on in enrolled:
        programs.setdefault(client_id, {}).setdefault(code, starts_on)
    return [(client, programs.get(client.id or 0, {})) for client in clients]


def _add_routes(session: Session, actor: Actor, result: SesameDemo) -> dict[str, int]:
    """The three routes, by the first FSA letters they serve; the volunteer account drives one."""
    volunteer = session.exec(select(User).where(User.email == "volunteer@sesame.demo")).first()
    routes: dict[str, int] = {}
    for number, (name, fsas) in enumerate(SESAME_ROUTES):
        route = create_route(
            session,
            actor,
            RouteInput(
                name=name,
                driver_id=volunteer.id if volunteer is not None and number == 0 else None,
                depot_latitude=DEPOT[0],
                depot_longitude=DEPOT[1],
                shift_start=600,
                shift_end=840,
                capacity_meals=12,  # a volunteer's car: the day needs all three
            ),
            SLUG,
        )
        routes.update(dict.fromkeys(fsas, route.id))
        result.count("routes")
    return routes


def _add_plans(
    session: Session,
    actor: Actor,
    clients: list[tuple[Client, Enrolled]],
    routes: dict[str, int],
    rng: random.Random,
    today: date,
    result: SesameDemo,
) -> None:
    """A meal plan for each client enrolled in meals on wheels, on her territory's route."""
    positions: dict[int, int] = {}
    seniors = [
        (c, programs["meals_on_wheels"]) for c, programs in clients if "meals_on_wheels" in programs
    ]
    for index, (client, enrolled_on) in enumerate(seniors):
        assert client.id is not None and client.postal_code is not None
        route_id = routes.get(client.postal_code[:3], next(iter(routes.values())))
        positions[route_id] = positions.get(route_id, 0) + 1
        window = WINDOWS[index % len(WINDOWS)]
        door = rng.random() < 0.35
        create_plan(
            session,
            actor,
            client.id,
            PlanInput(
                weekdays=WEEKDAYS[index % len(WEEKDAYS)],
                starts_on=enrolled_on + timedelta(days=3),  # after the home visit
                meals_per_day=2 if index % 4 == 3 else 1,
                diet_codes=DIETS[index % len(DIETS)],
                allergens=ALLERGENS[index % len(ALLERGENS)],
                texture=rng.choice(["normal", "normal", "normal", "minced", "puree"]),
                temperature="frozen" if index % 5 == 4 else "hot",
                price_tier="reduced" if rng.random() < 0.3 else "regular",
                left_at_door_agreed=door,
                door_notes=DOOR_NOTE if door else "",
                window_start=window[0],
                window_end=window[1],
                service_minutes=rng.choice([4, 4, 5, 6]),
                route_id=route_id,
                route_position=positions[route_id],
            ),
        )
        result.count("meal_plans")
        if index == 1:  # a trip next week, beside the hospital stays of the clients' files
            monday = today + timedelta(days=7 - today.weekday())
            add_pause(
                session,
                actor,
                client.id,
                PauseInput(
                    starts_on=monday, ends_on=monday + timedelta(days=4), reason="voyage (démo)"
                ),
            )
            result.count("pauses")


def _deliver_past_days(
    session: Session,
    actor: Actor,
    organisation_id: int,
    today: date,
    rng: random.Random,
    result: SesameDemo,
) -> None:
    """Plan the last weekdays and record what happened at each stop; a no-answer opens a
    follow-up, closed for all but the latest (the coordinator's screen shows one open)."""
    for day in past_weekdays(today, PAST_DAYS):
        plan = plan_day(session, actor, day, SLUG)
        result.count("runs", len(plan.runs))
        # By plan, not in the solver's order, so a seed gives each client the same outcomes.
        for stop in sorted((s for run in plan.runs for s in run.stops), key=lambda s: s.plan_id):
            draw = rng.random()
            outcome = "delivered"
            if draw < 0.06:
                outcome = "no_answer"
            elif draw < 0.09:
                outcome = "refused"
            elif draw < 0.45 and _door_agreed(session, stop.plan_id):
                outcome = "left_at_door"
            record_outcome(session, actor, stop.id, OutcomeInput(outcome=outcome))
            result.count(f"stops_{outcome}")
    followups = session.exec(
        select(DeliveryFollowup)
        .where(DeliveryFollowup.organisation_id == organisation_id)
        .order_by(col(DeliveryFollowup.id))
    ).all()
    for row in followups[:-1]:
        assert row.id is not None
        escalate(session, actor, row.id, "client_called")
        close_followup(
            session, actor, row.id, "Elle était chez sa fille ; rappelée le jour même (démo)."
        )


def _door_agreed(session: Session, plan_id: int) -> bool:
    plan = session.get(MealPlan, plan_id)
    return plan is not None and plan.left_at_door_agreed


def seed_sesame_operations(session: Session, actor: Actor, *, seed: int, today: date) -> SesameDemo:
    """Add Le Sésame's demo operations unless its demo routes exist; return what was added."""
    result = SesameDemo()
    owner = organisation_by_slug(session, SLUG)
    names = [name for name, _fsas in SESAME_ROUTES]
    exists = session.exec(
        select(DeliveryRoute.id).where(
            DeliveryRoute.organisation_id == owner.id, col(DeliveryRoute.name).in_(names)
        )
    ).first()
    assert owner.id is not None
    clients = demo_clients(session, owner.id)
    if exists is not None or not clients:
        return result
    if session.exec(select(BasketItem.id)).first() is None:  # boxes and visits list its items
        ensure_reference_basket(session)
        session.commit()
    rng = random.Random(seed * 10 + 7)
    routes = _add_routes(session, actor, result)
    _add_plans(session, actor, clients, routes, rng, today, result)
    _deliver_past_days(session, actor, owner.id, today, rng, result)
    add_services(session, actor, clients, seed=seed, today=today, rng=rng, count=result.count)
    return result
