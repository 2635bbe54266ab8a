"""The day's runs: built from the plans due that day, ordered by the solver or by hand.

Planning a day makes one run per route used and one stop per due plan, so every due plan's
meals are on exactly one run. Planning again (`replan`) re-solves the runs staff have not
reordered by hand; a hand-ordered run is kept as it is, its stops in its order (a locked
sequence), unless `resolve_hand_ordered` is asked. A run with an outcome already recorded is
never re-solved either: its driver is on the road.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel
from sqlmodel import Session, col, select

from core.errors import N_, InvalidInput
from core.models import DeliveryRoute, DeliveryRun, DeliveryStop, MealPlan
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.meals.plans import due_plans
from services.records.meals.routing import Driver, Matrix, Stop, evaluate, solve
from services.records.meals.travel import StraightLine, TravelProvider
from services.records.meals.visibility import sees_all
from services.records.scope import organisation_for, organisation_record_for


class StopView(BaseModel):
    """A stop of a run, as the coordinator's planning screen shows it."""

    id: int
    plan_id: int
    client_id: int
    position: int
    meals: int
    arrival_minute: int | None
    window_start: int
    window_end: int
    late: bool
    outcome: str | None


class RunView(BaseModel):
    """A run and its stops in order."""

    id: int
    route_id: int | None
    route_name: str | None
    driver_id: int | None
    run_date: date
    hand_ordered: bool
    total_minutes: int
    meals: int
    stops: list[StopView]


class DayPlan(BaseModel):
    """The day's runs, the due plans no run could take, and the solver's time."""

    run_date: date
    runs: list[RunView]
    unassigned_plan_ids: list[int]
    solver_seconds: float


def _stop(plan: MealPlan) -> Stop:
    assert plan.id is not None and plan.latitude is not None and plan.longitude is not None
    return Stop(
        plan.id,
        (plan.latitude, plan.longitude),
        plan.meals_per_day,
        (plan.window_start * 60, plan.window_end * 60),
        plan.service_minutes * 60,
    )


def _driver(route: DeliveryRoute) -> Driver:
    assert route.id is not None
    return Driver(
        route.id,
        (route.depot_latitude, route.depot_longitude),
        route.capacity_meals,
        (route.shift_start * 60, route.shift_end * 60),
    )


def run_view(session: Session, run: DeliveryRun) -> RunView:
    """A run with its stops in order."""
    assert run.id is not None
    rows = session.exec(
        select(DeliveryStop, MealPlan)
        .join(MealPlan, col(MealPlan.id) == col(DeliveryStop.plan_id))
        .where(DeliveryStop.run_id == run.id)
        .order_by(col(DeliveryStop.position))
    ).all()
    route = session.get(DeliveryRoute, run.route_id) if run.route_id else None
    stops = [
        StopView(
            id=stop.id or 0,
            plan_id=stop.plan_id,
            client_id=stop.client_id,
            position=stop.position,
            meals=stop.meals,
            arrival_minute=stop.arrival_minute,
            window_start=plan.window_start,
            window_end=plan.window_end,
            late=stop.arrival_minute is not None and stop.arrival_minute > plan.window_end,
            outcome=stop.outcome,
        )
        for stop, plan in rows
    ]
    return RunView(
        id=run.id,
        route_id=run.route_id,
        route_name=route.name if route else None,
        driver_id=run.driver_id,
        run_date=run.run_date,
        hand_ordered=run.hand_ordered,
        total_minutes=run.total_minutes,
        meals=sum(stop.meals for stop in stops),
        stops=stops,
    )


def _runs_of(session: Session, organisation_id: int, day: date) -> list[DeliveryRun]:
    return list(
        session.exec(
            select(DeliveryRun)
            .where(DeliveryRun.organisation_id == organisation_id)
            .where(DeliveryRun.run_date == day)
            .order_by(col(DeliveryRun.id))
        ).all()
    )


def _stops_of(session: Session, run: DeliveryRun) -> list[DeliveryStop]:
    return list(
        session.exec(
            select(DeliveryStop)
            .where(DeliveryStop.run_id == run.id)
            .order_by(col(DeliveryStop.position))
        ).all()
    )


def _write_run(
    session: Session,
    run: DeliveryRun,
    order: list[int],
    plans: dict[int, MealPlan],
    existing: dict[int, DeliveryStop],
    matrix: Matrix,
    driver: Driver,
) -> None:
    """Store the stops of a run in `order` (plan ids) with their times."""
    tour = evaluate(order, driver, {key: _stop(plans[key]) for key in order}, matrix)
    for position, (plan_id, arrival) in enumerate(zip(order, tour.arrivals, strict=True), 1):
        stop = existing.get(plan_id) or DeliveryStop(
            run_id=run.id or 0,
            plan_id=plan_id,
            client_id=plans[plan_id].client_id,
            position=position,
            meals=plans[plan_id].meals_per_day,
        )
        stop.position, stop.arrival_minute = position, arrival // 60
        session.add(stop)
    run.total_minutes = round(tour.work / 60)
    session.add(run)


def plan_day(
    session: Session,
    actor: Actor,
    day: date,
    organisation: str | None = None,
    *,
    replan: bool = False,
    resolve_hand_ordered: bool = False,
    method: Literal["solve", "default"] = "solve",
    provider: TravelProvider | None = None,
) -> DayPlan:
    """Build (or rebuild) the day's runs from the plans due that day.

    Raises:
        InvalidInput: meals are due but the organisation has no active route.
    """
    org = organisation_for(session, actor, Permission.SERVICES_WRITE, organisation)
    assert org.id is not None
    existing = _runs_of(session, org.id, day)
    if existing and not replan:
        return DayPlan(
            run_date=day,
            runs=[run_view(session, run) for run in existing],
            unassigned_plan_ids=[],
            solver_seconds=0.0,
        )
    routes = session.exec(
        select(DeliveryRoute)
        .where(DeliveryRoute.organisation_id == org.id)
        .where(col(DeliveryRoute.active).is_(True))
        .order_by(col(DeliveryRoute.id))
    ).all()
    due = {plan.id: plan for plan, _client in due_plans(session, org.id, day)}
    if not routes and (due or existing):
        raise InvalidInput(N_("no active delivery route: add one first"))
    plans: dict[int, MealPlan] = {key: plan for key, plan in due.items() if key is not None}
    kept: list[DeliveryRun] = []
    dropped: list[DeliveryRun] = []
    for run in existing:
        stops = _stops_of(session, run)
        started = any(stop.outcome for stop in stops)
        if started or (run.hand_ordered and not resolve_hand_ordered):
            kept.append(run)
            for stop in stops:  # a plan no longer due leaves a kept run unless served
                if stop.plan_id not in plans and not stop.outcome:
                    session.delete(stop)
        else:
            dropped.append(run)
            for stop in stops:
                session.delete(stop)
    # Stops first, then their runs: the tables have no ORM relationship to order the deletes.
    session.flush()
    for run in dropped:
        session.delete(run)
    session.flush()
    placed = {stop.plan_id for run in kept for stop in _stops_of(session, run)}
    for plan_id in placed:  # served stops of plans since paused still count as placed
        plan = plans.get(plan_id) or session.get(MealPlan, plan_id)
        assert plan is not None
        plans[plan_id] = plan
    free_routes = [route for route in routes if route.id not in {run.route_id for run in kept}]
    to_place = [plans[key] for key in due if key is not None and key not in placed]
    drivers = {route.id: _driver(route) for route in routes}
    matrix = Matrix(
        [_stop(plan) for plan in plans.values()], list(drivers.values()), provider or StraightLine()
    )
    orders, unassigned, seconds = _orders(to_place, free_routes, drivers, matrix, method)
    for run in kept:  # re-time the locked sequences (a plan may have left)
        stops = _stops_of(session, run)
        for position, stop in enumerate(stops, 1):
            stop.position = position
        driver = drivers.get(run.route_id) or next(iter(drivers.values()))
        _write_run(
            session,
            run,
            [s.plan_id for s in stops],
            plans,
            {s.plan_id: s for s in stops},
            matrix,
            driver,
        )
    runs = list(kept)
    for route in free_routes:
        order = orders.get(route.id or 0)
        if not order:
            continue
        run = DeliveryRun(
            organisation_id=org.id, route_id=route.id, run_date=day, driver_id=route.driver_id
        )
        session.add(run)
        session.flush()
        _write_run(session, run, order, plans, {}, matrix, drivers[route.id])
        runs.append(run)
    audit(
        session,
        actor,
        "create",
        "delivery_run_list",
        organisation_id=org.id,
        detail=f"{day.isoformat()}: {len(runs)} runs, {len(unassigned)} unassigned",
    )
    session.commit()
    return DayPlan(
        run_date=day,
        runs=[run_view(session, run) for run in sorted(runs, key=lambda r: r.id or 0)],
        unassigned_plan_ids=sorted(unassigned),
        solver_seconds=round(seconds, 3),
    )


def _orders(
    plans: list[MealPlan],
    routes: list[DeliveryRoute],
    drivers: dict[int | None, Driver],
    matrix: Matrix,
    method: str,
) -> tuple[dict[int, list[int]], list[int], float]:
    """Plan ids in order per route id: by the solver, or the routes' default order."""
    if not plans:
        return {}, [], 0.0
    if not routes:
        return {}, [plan.id or 0 for plan in plans], 0.0
    if method == "default":
        first = routes[0].id or 0
        ids = {route.id for route in routes}
        orders: dict[int, list[int]] = {}
        ranked = sorted(plans, key=lambda p: (p.route_position is None, p.route_position, p.id))
        for plan in ranked:
            target = plan.route_id if plan.route_id in ids else first
            orders.setdefault(target or 0, []).append(plan.id or 0)
        return orders, [], 0.0
    result = solve(
        [_stop(plan) for plan in plans], [drivers[route.id] for route in routes], matrix=matrix
    )
    return {tour.driver: tour.stops for tour in result.tours}, result.unassigned, result.seconds


def reorder_run(
    session: Session,
    actor: Actor,
    run_id: int,
    stop_ids: list[int],
    *,
    save_as_default: bool = False,
    provider: TravelProvider | None = None,
) -> RunView:
    """Put a run's stops in the order staff give; the run keeps it through re-planning.

    `save_as_default` also makes it the route's default (paper) order for these plans.

    Raises:
        InvalidInput: the ids are not exactly the run's stops.
    """
    run = organisation_record_for(
        session, actor, DeliveryRun, run_id, Permission.SERVICES_WRITE, "run"
    )
    stops = {stop.id or 0: stop for stop in _stops_of(session, run)}
    if sorted(stop_ids) != sorted(stops) or len(set(stop_ids)) != len(stop_ids):
        raise InvalidInput(N_("give every stop of the run exactly once"))
    plans = {stop.plan_id: session.get(MealPlan, stop.plan_id) for stop in stops.values()}
    plans_found = {key: plan for key, plan in plans.items() if plan is not None}
    route = session.get(DeliveryRoute, run.route_id) if run.route_id else None
    if route is None:
        raise InvalidInput(N_("this run has no route to time it from"))
    driver = _driver(route)
    matrix = Matrix([_stop(p) for p in plans_found.values()], [driver], provider or StraightLine())
    order = [stops[stop_id].plan_id for stop_id in stop_ids]
    _write_run(
        session, run, order, plans_found, {s.plan_id: s for s in stops.values()}, matrix, driver
    )
    run.hand_ordered = True
    if save_as_default:
        for position, plan_id in enumerate(order, 1):
            plan = plans_found[plan_id]
            plan.route_id, plan.route_position = route.id, position
            session.add(plan)
    audit(
        session,
        actor,
        "update",
        "delivery_run",
        record_id=run.id,
        organisation_id=run.organisation_id,
        detail="hand order",
    )
    session.commit()
    return run_view(session, run)


def list_runs(
    session: Session, actor: Actor, day: date, organisation: str | None = None
) -> list[RunView]:
    """The day's runs the actor may see: all of them for a coordinator, a driver's own."""
    org = organisation_for(session, actor, Permission.DELIVERIES_READ, organisation)
    assert org.id is not None
    runs = _runs_of(session, org.id, day)
    if not sees_all(actor, org.id):
        runs = [run for run in runs if run.driver_id == actor.user_id]
    audit(
        session, actor, "read", "delivery_run_list", organisation_id=org.id, detail=day.isoformat()
    )
    session.commit()
    return [run_view(session, run) for run in runs]
