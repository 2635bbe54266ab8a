"""Le Sésame's demo operations: plans that every weekday can route, boxes, a kitchen, food aid,
volunteers, last week's deliveries; once."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from cli.main import app
from core.db import dispose_engines, session_scope
from core.migrate import upgrade
from core.models import (
    BoxOffer,
    BoxOfferItem,
    BoxOrder,
    Client,
    DeliveryFollowup,
    DeliveryRoute,
    DeliveryRun,
    DeliveryStop,
    Enrolment,
    FoodAidVisit,
    KitchenParticipant,
    KitchenRecipeItem,
    KitchenSession,
    MealPlan,
    Program,
    Region,
    User,
    Volunteer,
    VolunteerAvailability,
    VolunteerShift,
)
from services.access.actor import Actor
from services.access.passwords import hash_password
from services.records.demo import seed_demo_records
from services.records.demo_context import SESAME_FSAS
from services.records.meals.plans import due_plans
from services.records.meals.runs import plan_day

TODAY = date(2026, 11, 18)  # a Wednesday
NEXT_WEEK = [date(2026, 11, 23) + timedelta(days=n) for n in range(5)]
SESAME_TERRITORIES = {"mercier-est", "montreal-est", "riviere-des-prairies", "pointe-aux-trembles"}
OPERATIONS = [
    MealPlan, DeliveryRoute, DeliveryRun, DeliveryStop, DeliveryFollowup, Volunteer,
    VolunteerAvailability, VolunteerShift, BoxOffer, BoxOfferItem, BoxOrder, KitchenSession,
    KitchenParticipant, KitchenRecipeItem, FoodAidVisit,
]  # fmt: skip


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """One real Argon2 hash for every demo account (hashing twelve takes seconds)."""
    monkeypatch.setattr("services.records.demo.hash_password", lambda _password: _one_hash())


@lru_cache(maxsize=1)
def _one_hash() -> str:
    return hash_password("the same password for all")


def seed(url: str) -> dict[str, int]:
    with session_scope(url) as session:
        return seed_demo_records(session, Actor.command_line(), seed=2026, today=TODAY).operations


def counts(session: Session) -> dict[str, int]:
    return {
        table.__name__: session.exec(select(func.count()).select_from(table)).one()
        for table in OPERATIONS
    }


def sesame_id(session: Session) -> int:
    client = session.exec(
        select(Client).where(col(Client.file_number).startswith("DEMO-S"))
    ).first()
    assert client is not None
    return client.organisation_id


def test_every_weekday_plans_to_runs_that_carry_every_due_plan(db_url: str) -> None:
    seed(db_url)

    runs = {}
    with session_scope(db_url) as session:
        organisation_id = sesame_id(session)
        for day in NEXT_WEEK:
            due = {
                plan.id: plan.meals_per_day for plan, _ in due_plans(session, organisation_id, day)
            }
            planned = plan_day(session, Actor.command_line(), day, "sesame")

            assert due and planned.runs, day
            assert planned.unassigned_plan_ids == []
            stops = [stop for run in planned.runs for stop in run.stops]
            assert sorted(stop.plan_id for stop in stops) == sorted(due)
            assert sum(run.meals for run in planned.runs) == sum(due.values())
            assert all(run.route_name and run.route_name.endswith("(démo)") for run in planned.runs)
            runs[day] = len(planned.runs)
    # The command a coordinator types gives the same day back (planned already).
    result = CliRunner().invoke(app, ["routes", "plan", "--date", NEXT_WEEK[2].isoformat()])
    assert result.exit_code == 0, result.output
    assert f"{NEXT_WEEK[2].isoformat()}: {runs[NEXT_WEEK[2]]} runs" in result.output


def test_the_operations_cover_each_service_in_the_four_territories(db_url: str) -> None:
    added = seed(db_url)

    with session_scope(db_url) as session:
        found = counts(session)
        organisation_id = sesame_id(session)
        clients = session.exec(
            select(Client, Region)
            .join(Region, col(Region.id) == Client.territory_id)
            .where(Client.organisation_id == organisation_id)
        ).all()
        seniors = session.exec(
            select(Enrolment.client_id)
            .join(Program, col(Program.id) == Enrolment.program_id)
            .where(Program.code == "meals_on_wheels")
        ).all()
        plans = session.exec(select(MealPlan)).all()
        routes = session.exec(select(DeliveryRoute)).all()
        volunteer = session.exec(select(User).where(User.email == "volunteer@sesame.demo")).one()
        linked = session.exec(select(Volunteer).where(Volunteer.user_id == volunteer.id)).all()
        offers = session.exec(select(BoxOffer)).all()
        kitchen = session.exec(select(KitchenSession)).one()
        stops = session.exec(select(DeliveryStop)).all()
        followups = session.exec(select(DeliveryFollowup)).all()
        shifts = session.exec(select(VolunteerShift)).all()
    # Every client in one of Le Sésame's four territories, at a postal code the routing places.
    assert len(clients) == 30
    assert {region.code for _, region in clients} <= SESAME_TERRITORIES
    assert all(
        client.postal_code and client.postal_code[:3] in SESAME_FSAS for client, _ in clients
    )
    # One plan per meals-on-wheels client, each on a route with a place in its default order.
    assert sorted(plan.client_id for plan in plans) == sorted(set(seniors))
    assert all(p.route_id and p.route_position and p.latitude and p.longitude for p in plans)
    assert {p.texture for p in plans} > {"normal"} and {p.temperature for p in plans} == {
        "hot",
        "frozen",
    }
    assert any(p.diet_codes for p in plans) and any(p.allergens for p in plans)
    assert len(routes) == 3 and [r.driver_id for r in routes] == [volunteer.id, None, None]
    # Volunteers (one is the volunteer account) and shifts, worked ones with their hours.
    assert found["Volunteer"] == 6 and len(linked) == 1 and found["VolunteerAvailability"] == 18
    assert all((s.status == "done") == (s.shift_on < TODAY) for s in shifts)
    assert all(s.hours and s.hours > 0 for s in shifts if s.status == "done")
    # This week's two offers with their items, ordered; the kitchen with its recipe and cooks.
    assert {o.week_of for o in offers} == {date(2026, 11, 16)} and found["BoxOfferItem"] == 13
    assert found["BoxOrder"] == added["box_orders"] > 0
    assert kitchen.recipe and kitchen.portions == 24 and found["KitchenParticipant"] == 6
    assert found["FoodAidVisit"] == added["food_aid_visits"] > 0
    # Last week's runs: every stop has an outcome; each no-answer opened a follow-up, one open.
    assert stops and all(stop.outcome for stop in stops)
    assert len(followups) == sum(stop.outcome == "no_answer" for stop in stops)
    assert sum(f.closed_at is None for f in followups) == (1 if followups else 0)


def test_a_second_run_adds_nothing(db_url: str) -> None:
    first = seed(db_url)
    with session_scope(db_url) as session:
        before = counts(session)

    again = seed(db_url)

    with session_scope(db_url) as session:
        assert counts(session) == before
    assert first["meal_plans"] > 0 and again == {}


def _what_each_client_got(url: str) -> list[tuple[str, str, int, str | None, date]]:
    """(file number, weekdays, meals, outcome, day) of every stop, in a stable order."""
    with session_scope(url) as session:
        rows = session.exec(
            select(Client.file_number, MealPlan.weekdays, DeliveryStop.meals,
                   DeliveryStop.outcome, DeliveryRun.run_date)
            .join(MealPlan, col(MealPlan.id) == DeliveryStop.plan_id)
            .join(Client, col(Client.id) == DeliveryStop.client_id)
            .join(DeliveryRun, col(DeliveryRun.id) == DeliveryStop.run_id)
        ).all()  # fmt: skip
    return sorted((str(f), str(w), int(m), o, d) for f, w, m, o, d in rows)


@pytest.mark.slow
def test_the_same_seed_gives_the_same_plans_and_outcomes(db_url: str, tmp_path: Path) -> None:
    other = f"sqlite:///{tmp_path / 'other.db'}"
    upgrade(other)
    seed(db_url)
    seed(other)

    first = _what_each_client_got(db_url)
    assert first and first == _what_each_client_got(other)
    dispose_engines()
