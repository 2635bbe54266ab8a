"""Vehicle routing for the day's deliveries: VROOM (pyvroom) with time windows and capacity.

Pure functions over plain data, so the bench and the tests use them without a database. Times
are seconds after midnight. A tour's time is driving plus service (waiting for a window to
open is not counted, so orders compare on the work they ask of the driver).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from services.records.meals.travel import Point, StraightLine, TravelProvider


@dataclass(frozen=True)
class Stop:
    """A delivery: where, how many meals, its window and how long the driver stays."""

    key: int
    point: Point
    meals: int
    window: tuple[int, int]
    service: int = 240
    label: str = ""  # the address, for the paper (address) order


@dataclass(frozen=True)
class Driver:
    """A vehicle: where it starts and ends, its capacity in meals and its shift."""

    key: int
    depot: Point
    capacity: int
    shift: tuple[int, int]


@dataclass
class Tour:
    """One driver's stops in order, with the arrival time at each and the tour's totals."""

    driver: int
    stops: list[int] = field(default_factory=list)
    arrivals: list[int] = field(default_factory=list)
    travel: int = 0
    service: int = 0
    meals: int = 0
    late: list[int] = field(default_factory=list)  # stops reached after their window closed

    @property
    def work(self) -> int:
        """Driving plus service seconds."""
        return self.travel + self.service


@dataclass
class Routing:
    """The tours, what could not be placed, and how long the solver took."""

    tours: list[Tour]
    unassigned: list[int]
    seconds: float = 0.0

    @property
    def work(self) -> int:
        """Driving plus service over all tours, seconds."""
        return sum(tour.work for tour in self.tours)


class Matrix:
    """The travel matrix of the depots then the stops, indexed by their keys."""

    def __init__(
        self, stops: Sequence[Stop], drivers: Sequence[Driver], provider: TravelProvider
    ) -> None:
        points = [driver.depot for driver in drivers] + [stop.point for stop in stops]
        self.durations = provider.durations(points)
        self.driver_index = {driver.key: i for i, driver in enumerate(drivers)}
        self.stop_index = {stop.key: len(drivers) + i for i, stop in enumerate(stops)}


def evaluate(order: Sequence[int], driver: Driver, stops: dict[int, Stop], matrix: Matrix) -> Tour:
    """Time a given order from the depot and back: arrivals, waits for windows, late stops."""
    tour = Tour(driver.key, list(order))
    here = matrix.driver_index[driver.key]
    clock = driver.shift[0]
    for key in order:
        stop = stops[key]
        there = matrix.stop_index[key]
        leg = matrix.durations[here][there]
        clock += leg
        tour.travel += leg
        clock = max(clock, stop.window[0])
        if clock > stop.window[1]:
            tour.late.append(key)
        tour.arrivals.append(clock)
        clock += stop.service
        tour.service += stop.service
        tour.meals += stop.meals
        here = there
    tour.travel += matrix.durations[here][matrix.driver_index[driver.key]]
    return tour


def solve(
    stops: Sequence[Stop],
    drivers: Sequence[Driver],
    provider: TravelProvider | None = None,
    *,
    exploration: int | None = None,
    threads: int = 2,
    matrix: Matrix | None = None,
) -> Routing:
    """Assign and order the stops with VROOM; stops it cannot place are listed unassigned."""
    import vroom

    if not stops or not drivers:
        return Routing([], [stop.key for stop in stops])
    matrix = matrix or Matrix(stops, drivers, provider or StraightLine())
    started = time.perf_counter()
    problem = vroom.Input()
    problem.set_durations_matrix(profile="car", matrix_input=matrix.durations)
    for number, driver in enumerate(drivers):
        depot = matrix.driver_index[driver.key]
        problem.add_vehicle(
            vroom.Vehicle(
                number,
                start=depot,
                end=depot,
                capacity=[driver.capacity],
                time_window=vroom.TimeWindow(*driver.shift),
            )
        )
    for number, stop in enumerate(stops):
        problem.add_job(
            vroom.Job(
                number,
                location=matrix.stop_index[stop.key],
                default_service=stop.service,
                delivery=[stop.meals],
                time_windows=[vroom.TimeWindow(*stop.window)],
            )
        )
    if exploration is None:  # deeper search where it stays within a few seconds
        exploration = 3 if len(stops) <= 60 else 1 if len(stops) <= 200 else 0
    solution = problem.solve(exploration_level=exploration, nb_threads=threads)
    frame = solution.routes
    jobs = frame[frame["type"] == "job"]
    by_driver: dict[int, list[int]] = {}
    for vehicle, job in zip(jobs["vehicle_id"], jobs["id"], strict=True):
        by_driver.setdefault(int(vehicle), []).append(stops[int(job)].key)
    placed = {key for keys in by_driver.values() for key in keys}
    lookup = {stop.key: stop for stop in stops}
    tours = [
        evaluate(by_driver[number], driver, lookup, matrix)
        for number, driver in enumerate(drivers)
        if number in by_driver
    ]
    return Routing(
        tours,
        [stop.key for stop in stops if stop.key not in placed],
        time.perf_counter() - started,
    )


def _split_by_capacity(order: Sequence[Stop], drivers: Sequence[Driver]) -> list[list[Stop]]:
    """Cut an ordered list into consecutive pieces, one per driver, each within capacity and
    of about the same number of meals."""
    total = sum(stop.meals for stop in order)
    pieces: list[list[Stop]] = [[] for _ in drivers]
    number, load = 0, 0
    share = -(-total // len(drivers))
    for stop in order:
        limit = min(drivers[number].capacity, share)
        if pieces[number] and load + stop.meals > limit and number < len(drivers) - 1:
            number, load = number + 1, 0
        pieces[number].append(stop)
        load += stop.meals
    return pieces


def address_order(stops: Sequence[Stop], drivers: Sequence[Driver], matrix: Matrix) -> Routing:
    """The paper sheet: stops sorted by address, cut into one piece per driver."""
    lookup = {stop.key: stop for stop in stops}
    ordered = sorted(stops, key=lambda stop: (stop.label, stop.key))
    pieces = _split_by_capacity(ordered, drivers)
    return Routing(
        [
            evaluate([stop.key for stop in piece], driver, lookup, matrix)
            for piece, driver in zip(pieces, drivers, strict=True)
        ],
        [],
    )


def nearest_neighbour(stops: Sequence[Stop], drivers: Sequence[Driver], matrix: Matrix) -> Routing:
    """Each driver in turn goes to the nearest stop left until her share of meals is loaded."""
    lookup = {stop.key: stop for stop in stops}
    left = {stop.key for stop in stops}
    share = -(-sum(stop.meals for stop in stops) // len(drivers))
    tours = []
    for number, driver in enumerate(drivers):
        here, load = matrix.driver_index[driver.key], 0
        order: list[int] = []
        last = number == len(drivers) - 1
        while left:
            key = min(left, key=lambda k: (matrix.durations[here][matrix.stop_index[k]], k))
            limit = driver.capacity if last else min(driver.capacity, share)
            if order and load + lookup[key].meals > limit:
                break
            order.append(key)
            left.discard(key)
            load += lookup[key].meals
            here = matrix.stop_index[key]
        tours.append(evaluate(order, driver, lookup, matrix))
    return Routing(tours, sorted(left))
