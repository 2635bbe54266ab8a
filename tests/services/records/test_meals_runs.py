"""The day's runs: every due plan's meals exactly once, capacity and windows, hand order kept."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import meals_world
import pytest
from meals_world import MONDAY

from core.db import session_scope
from core.errors import InvalidInput, NotFound
from core.models import Client
from services.records.meals.kitchen import kitchen_count
from services.records.meals.plans import PlanChange, PlanInput, create_plan, update_plan
from services.records.meals.runs import DayPlan, list_runs, plan_day, reorder_run


def _plans_on(day: DayPlan) -> Counter[int]:
    return Counter(stop.plan_id for run in day.runs for stop in run.stops)


def test_the_days_runs_cover_each_due_plan_once_and_respect_pauses(db_url: str) -> None:
    with session_scope(db_url) as session:
        w = meals_world.world(session, clients=14)
        c = w.coordinator
        ended, paused, closed, future, tuesday_only = w.plan_ids[:5]
        update_plan(
            session, c, ended, PlanChange(ends_on=MONDAY - timedelta(1), end_reason="déménagé")
        )
        meals_world.pause(session, w.client_ids[1], MONDAY - timedelta(2), MONDAY + timedelta(5))
        # A pause that ended before Monday does not stop the delivery.
        meals_world.pause(session, w.client_ids[5], MONDAY - timedelta(20), MONDAY - timedelta(3))
        session.get(Client, w.client_ids[2]).status = "closed"  # type: ignore[union-attr]
        session.commit()
        create_plan(
            session, c, w.client_ids[3], PlanInput(weekdays=[1], starts_on=MONDAY + timedelta(7))
        )
        update_plan(session, c, future, PlanChange(ends_on=MONDAY - timedelta(1)))
        update_plan(session, c, tuesday_only, PlanChange(weekdays=[2]))
        day = plan_day(session, c, MONDAY)
        again = plan_day(session, c, MONDAY)  # already planned: the same runs
        meals = {p: session.get(meals_world.MealPlan, p).meals_per_day for p in w.plan_ids}  # type: ignore[union-attr]

    due = set(w.plan_ids) - {ended, paused, closed, future, tuesday_only}
    on_runs = _plans_on(day)
    assert set(on_runs) == due and set(on_runs.values()) == {1}
    assert day.unassigned_plan_ids == []
    assert {s.plan_id: s.meals for r in day.runs for s in r.stops} == {p: meals[p] for p in due}
    assert [r.id for r in again.runs] == [r.id for r in day.runs]


def test_every_run_respects_capacity_and_time_windows(db_url: str) -> None:
    with session_scope(db_url) as session:
        w = meals_world.world(session, clients=24, routes=3, capacity=14)
        day = plan_day(session, w.coordinator, MONDAY)

    assert len(_plans_on(day)) == 24 and len(day.runs) >= 3 - 1
    for run in day.runs:
        assert run.meals <= 14
        for stop in run.stops:
            assert stop.arrival_minute is not None
            assert stop.window_start <= stop.arrival_minute <= stop.window_end
            assert not stop.late
        assert [s.position for s in run.stops] == list(range(1, len(run.stops) + 1))


def test_a_hand_reorder_survives_replanning(db_url: str) -> None:
    with session_scope(db_url) as session:
        w = meals_world.world(session, clients=12, routes=2)
        c = w.coordinator
        day = plan_day(session, c, MONDAY)
        run = max(day.runs, key=lambda r: len(r.stops))
        reversed_ids = [s.id for s in reversed(run.stops)]
        reordered = reorder_run(session, c, run.id, reversed_ids, save_as_default=True)
        newcomer = meals_world.add_client(session, 40)
        session.commit()
        create_plan(session, c, newcomer.id, PlanInput(weekdays=[1], starts_on=MONDAY))  # type: ignore[arg-type]
        replanned = plan_day(session, c, MONDAY, replan=True)
        kept = next(r for r in replanned.runs if r.id == run.id)
        resolved = plan_day(session, c, MONDAY, replan=True, resolve_hand_ordered=True)
        with pytest.raises(InvalidInput):
            reorder_run(session, c, resolved.runs[0].id, [s.id for s in resolved.runs[0].stops][1:])
        plan = session.get(meals_world.MealPlan, reordered.stops[0].plan_id)

    assert reordered.hand_ordered and [s.id for s in reordered.stops] == reversed_ids
    assert kept.hand_ordered
    assert [s.plan_id for s in kept.stops] == [s.plan_id for s in reordered.stops]
    assert set(_plans_on(replanned).values()) == {1} and len(_plans_on(replanned)) == 13
    assert not any(r.hand_ordered for r in resolved.runs) and len(_plans_on(resolved)) == 13
    assert plan is not None and plan.route_position == 1 and plan.route_id == run.route_id


def test_default_order_follows_the_routes_paper_order(db_url: str) -> None:
    with session_scope(db_url) as session:
        w = meals_world.world(session, clients=5, routes=1)
        c = w.coordinator
        for position, plan_id in enumerate(reversed(w.plan_ids), 1):
            update_plan(
                session, c, plan_id, PlanChange(route_id=w.route_ids[0], route_position=position)
            )
        day = plan_day(session, c, MONDAY, method="default")

    assert [s.plan_id for s in day.runs[0].stops] == list(reversed(w.plan_ids))


def test_drivers_see_only_their_runs_and_the_kitchen_counts_by_diet(db_url: str) -> None:
    with session_scope(db_url) as session:
        w = meals_world.world(session, clients=10, routes=2, capacity=9)
        day = plan_day(session, w.coordinator, MONDAY)
        mine = list_runs(session, w.drivers[0], MONDAY)
        all_runs = list_runs(session, w.coordinator, MONDAY)
        count = kitchen_count(session, w.coordinator, MONDAY)
        other = next((r for r in day.runs if r.driver_id != w.drivers[0].user_id), None)
        if other is not None:
            from services.records.meals.sheets import route_sheet

            with pytest.raises(NotFound):
                route_sheet(session, w.drivers[0], other.id)

    assert all(r.driver_id == w.drivers[0].user_id for r in mine)
    assert len(all_runs) == len(day.runs) and other is not None
    assert count.source == "runs" and count.total_meals == sum(1 + n % 2 for n in range(10))
    puree = sum(1 + n % 2 for n in range(10) if n % 5 == 0)
    assert count.by_texture["puree"] == puree
    diabetic = sum(r.meals for r in count.rows if r.diet == "diabétique")
    assert diabetic == sum(1 + n % 2 for n in range(10) if n % 3 == 0)


def test_a_plan_needs_coordinates_it_can_find(db_url: str) -> None:
    with session_scope(db_url) as session:
        w = meals_world.world(session, clients=1, routes=1)
        far = meals_world.add_client(session, 3, postal_code="G1R 4P5")
        session.commit()
        with pytest.raises(InvalidInput, match="postal code"):
            create_plan(
                session,
                w.coordinator,
                int(far.id or 0),
                PlanInput(weekdays=[1], starts_on=date(2026, 1, 1)),
            )
        placed = create_plan(
            session,
            w.coordinator,
            far.id,  # type: ignore[arg-type]
            PlanInput(weekdays=[1], starts_on=date(2026, 1, 1), latitude=46.81, longitude=-71.2),
        )
    assert (placed.latitude, placed.longitude) == (46.81, -71.2)


def test_a_day_with_nothing_due_plans_no_run_but_due_meals_need_a_route(db_url: str) -> None:
    with session_scope(db_url) as session:
        coordinator = meals_world.actor_for(session, "coordinator")
        session.commit()
        empty = plan_day(session, coordinator, MONDAY)
        client = meals_world.add_client(session, 1)
        session.commit()
        create_plan(
            session, coordinator, int(client.id or 0), PlanInput(weekdays=[1], starts_on=MONDAY)
        )
        with pytest.raises(InvalidInput, match="route"):
            plan_day(session, coordinator, MONDAY)
    assert empty.runs == [] and empty.unassigned_plan_ids == []
