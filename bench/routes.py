"""`ppne bench routes`: meals-on-wheels route planning on synthetic stops in Le Sésame's
territories (Mercier-Est, Montréal-Est, Pointe-aux-Trembles, Rivière-des-Prairies).

Stops are placed around the FSA centres of core/data/records/fsa_centroids.csv (within about
1.2 km), one or two meals each, with lunch delivery windows; drivers start and end at one
depot in Mercier-Est. Travel is the default straight-line provider (x1.3 at 25 km/h). Each
case compares VROOM's tours with the paper sheet (stops in address order, cut into one piece
per driver) and a nearest-neighbour tour, on driving plus service time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from services.records.meals.geocode import fsa_centroids
from services.records.meals.routing import (
    Driver,
    Matrix,
    Routing,
    Stop,
    address_order,
    nearest_neighbour,
    solve,
)
from services.records.meals.travel import StraightLine

CASES = ((40, 3), (150, 8), (400, 15))
# Le Sésame's FSAs, weighted towards its home (Mercier-Est) and the expansion territories.
TERRITORY_FSAS = ("H1L", "H1L", "H1N", "H1N", "H1M", "H1B", "H1A", "H1C", "H1E", "H1K")
DEPOT = (45.5935, -73.5390)
STREETS = (
    "Hochelaga",
    "Sherbrooke Est",
    "Notre-Dame Est",
    "Mousseau",
    "Lacordaire",
    "Langelier",
    "Des Ormeaux",
    "Honoré-Beaugrand",
    "Souligny",
    "Curatteau",
)
# Lunch windows: most people any time over lunch, some early or late (a medical appointment).
WINDOWS = ((630, 780), (630, 780), (630, 780), (600, 690), (690, 810))


@dataclass
class Case:
    """One case's figures."""

    stops: int
    drivers: int
    solve_seconds: float
    unassigned: int
    late: int
    solved_minutes: float
    address_minutes: float
    address_late: int
    neighbour_minutes: float
    neighbour_late: int

    @property
    def versus_address(self) -> float:
        """Solved time over address-order time."""
        return self.solved_minutes / self.address_minutes

    @property
    def versus_neighbour(self) -> float:
        """Solved time over nearest-neighbour time."""
        return self.solved_minutes / self.neighbour_minutes


def synthetic(count: int, drivers: int, seed: int) -> tuple[list[Stop], list[Driver]]:
    """Stops around the territories' FSA centres, and drivers with room for 25 % more meals."""
    rng = random.Random(seed * 1000 + count)
    centres = fsa_centroids()
    stops = []
    for key in range(count):
        fsa = rng.choice(TERRITORY_FSAS)
        lat, lon = centres[fsa]
        window = rng.choice(WINDOWS)
        street = rng.choice(STREETS)
        stops.append(
            Stop(
                key,
                (lat + rng.uniform(-0.011, 0.011), lon + rng.uniform(-0.015, 0.015)),
                rng.choice((1, 1, 1, 2)),
                (window[0] * 60, window[1] * 60),
                240,
                f"{fsa} {street} {rng.randint(1, 9999):05d}",
            )
        )
    meals = sum(stop.meals for stop in stops)
    capacity = -(-meals * 5 // (4 * drivers))
    fleet = [
        Driver(10_000 + i, DEPOT, capacity, (9 * 3600 + 1800, 14 * 3600)) for i in range(drivers)
    ]
    return stops, fleet


def _late(routing: Routing) -> int:
    return sum(len(tour.late) for tour in routing.tours)


def measure(seed: int = 2026, cases: tuple[tuple[int, int], ...] = CASES) -> list[Case]:
    """Solve each case and time it; the matrix is built before the clock starts."""
    results = []
    for count, drivers in cases:
        stops, fleet = synthetic(count, drivers, seed)
        matrix = Matrix(stops, fleet, StraightLine())
        solved = solve(stops, fleet, matrix=matrix)
        paper = address_order(stops, fleet, matrix)
        greedy = nearest_neighbour(stops, fleet, matrix)
        results.append(
            Case(
                count,
                drivers,
                solved.seconds,
                len(solved.unassigned),
                _late(solved),
                solved.work / 60,
                paper.work / 60,
                _late(paper),
                greedy.work / 60,
                _late(greedy),
            )
        )
    return results


def describe(cases: list[Case]) -> str:
    """The figures as a plain table."""
    lines = [
        "stops drivers  solve s  unplaced late  route min  address min (late)  "
        "vs address  NN min (late)  vs NN"
    ]
    for c in cases:
        lines.append(
            f"{c.stops:5d} {c.drivers:7d} {c.solve_seconds:8.2f} {c.unassigned:9d} {c.late:4d} "
            f"{c.solved_minutes:10.0f} {c.address_minutes:12.0f} ({c.address_late:3d}) "
            f"{c.versus_address:11.2f} {c.neighbour_minutes:8.0f} ({c.neighbour_late:3d}) "
            f"{c.versus_neighbour:6.2f}"
        )
    lines.append(
        "route min: driving + service over all drivers (straight line x1.3 at 25 km/h, "
        "4 min a stop); late: stops reached after their window closed"
    )
    return "\n".join(lines)
