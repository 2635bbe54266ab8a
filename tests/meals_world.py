"""Le Sésame's meals on wheels for tests: clients in its territories, plans, routes, drivers.

`world(session)` adds them and returns the ids; the caller commits (it flushes). Monday
2026-12-07 is the usual day.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import records_factories
from sqlmodel import Session

from core.models import Client, ClientPause, MealPlan
from services.access.actor import Actor, Grant
from services.access.roles import Role
from services.access.users import create_user
from services.records.meals.geocode import locate
from services.records.meals.plans import PlanInput, RouteInput, create_plan, create_route

MONDAY = date(2026, 12, 7)
DEPOT = (45.5935, -73.5390)
FSAS = ("H1L 2B3", "H1N 1A1", "H1B 5K7", "H1L 4R2", "H1N 3C9")
_emails = itertools.count(1)


@dataclass
class World:
    """What `world` made."""

    organisation_id: int
    coordinator: Actor
    drivers: list[Actor]
    route_ids: list[int]
    plan_ids: list[int] = field(default_factory=list)
    client_ids: list[int] = field(default_factory=list)


def actor_for(session: Session, role: str) -> Actor:
    """A user of Le Sésame with `role`, as an actor."""
    email = f"{role}-meals-{next(_emails)}@sesame.example"
    org = records_factories.organisation(session, "sesame")
    user = create_user(session, email, "a long test password", organisation="sesame", role=role)
    assert user.id is not None and org.id is not None
    return Actor(user.id, email, (Grant(org.id, Role(role)),), "test")


def add_client(session: Session, number: int, **overrides: object) -> Client:
    """A Sésame client with an address, a phone and a postal code in its territories."""
    values: dict[str, object] = {
        "address": f"{100 + number * 7} rue Hochelaga",
        "postal_code": FSAS[number % len(FSAS)],
        "phone": f"514-555-01{number % 100:02d}",
    }
    return records_factories.make_client(session, "sesame", **{**values, **overrides})


def world(session: Session, *, clients: int = 12, routes: int = 2, capacity: int = 30) -> World:
    """Clients each with a weekday plan (Monday included), routes with a driver each."""
    coordinator = actor_for(session, "coordinator")
    drivers = [actor_for(session, "volunteer") for _ in range(routes)]
    org = records_factories.organisation(session, "sesame")
    assert org.id is not None
    route_ids = [
        create_route(
            session,
            coordinator,
            RouteInput(
                name=f"Route {index + 1}",
                driver_id=driver.user_id,
                depot_latitude=DEPOT[0],
                depot_longitude=DEPOT[1],
                shift_start=600,
                shift_end=840,
                capacity_meals=capacity,
            ),
        ).id
        for index, driver in enumerate(drivers)
    ]
    made = World(org.id, coordinator, drivers, route_ids)
    for number in range(clients):
        client = add_client(session, number)
        assert client.id is not None
        plan = create_plan(
            session,
            coordinator,
            client.id,
            PlanInput(
                weekdays=[1, 3, 5],
                starts_on=date(2026, 11, 1),
                meals_per_day=1 + number % 2,
                diet_codes=["diabétique"] if number % 3 == 0 else [],
                allergens=["arachides"] if number % 4 == 0 else [],
                texture="puree" if number % 5 == 0 else "normal",
                window_start=630 if number % 2 else 600,
                window_end=780,
            ),
        )
        made.plan_ids.append(plan.id)
        made.client_ids.append(client.id)
    return made


def pause(session: Session, client_id: int, starts_on: date, ends_on: date | None) -> None:
    """A hospital stay."""
    session.add(
        ClientPause(
            client_id=client_id, starts_on=starts_on, ends_on=ends_on, reason="hospitalisation"
        )
    )
    session.flush()


def sensitive_client(session: Session) -> Client:
    """A client whose file holds everything a volunteer must not see."""
    return add_client(
        session,
        77,
        birth_date=date(1941, 3, 17),
        monthly_income=Decimal("1234.56"),
        monthly_rent=Decimal("789.01"),
        household_members="F:85",
        referral_source="CLSC-SECRET-SOURCE",
        email="secret.person@example.com",
    )


def coordinates(client: Client) -> tuple[float, float]:
    """Where the geocoder puts her."""
    return locate(client.postal_code, client.address)


__all__ = ["MONDAY", "MealPlan", "World", "actor_for", "pause", "world"]
