"""Routing without a database: the solver's tours, travel times, offline coordinates."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from services.records.meals.geocode import locate
from services.records.meals.routing import (
    Driver,
    Matrix,
    Stop,
    address_order,
    nearest_neighbour,
    solve,
)
from services.records.meals.travel import RoadNetwork, StraightLine, haversine_km


def _problem(count: int, drivers: int, seed: int = 7) -> tuple[list[Stop], list[Driver]]:
    rng = random.Random(seed)
    stops = [
        Stop(
            i,
            (45.59 + rng.uniform(-0.02, 0.02), -73.54 + rng.uniform(-0.03, 0.03)),
            rng.choice([1, 2]),
            rng.choice([(36000, 43200), (39600, 46800), (36000, 48600)]),
            240,
            f"{rng.randint(1, 9999)} rue {rng.choice('ABCDE')}",
        )
        for i in range(count)
    ]
    fleet = [Driver(1000 + i, (45.5935, -73.539), 30, (34200, 50400)) for i in range(drivers)]
    return stops, fleet


def test_solved_tours_respect_capacity_and_windows_and_beat_address_order() -> None:
    stops, fleet = _problem(60, 3)
    routing = solve(stops, fleet)
    matrix = Matrix(stops, fleet, StraightLine())
    paper = address_order(stops, fleet, matrix)
    greedy = nearest_neighbour(stops, fleet, matrix)
    served = sorted(key for tour in routing.tours for key in tour.stops)
    lookup = {stop.key: stop for stop in stops}

    assert served == list(range(60)) and routing.unassigned == []
    for tour in routing.tours:
        assert tour.meals <= 30 and tour.late == []
        for key, arrival in zip(tour.stops, tour.arrivals, strict=True):
            assert lookup[key].window[0] <= arrival <= lookup[key].window[1]
    assert routing.work < 0.85 * paper.work
    assert routing.work <= greedy.work * 1.05
    assert sorted(k for t in paper.tours for k in t.stops) == list(range(60))
    assert sorted(k for t in greedy.tours for k in t.stops) == list(range(60))


def test_straight_line_time_is_distance_times_detour_at_average_speed() -> None:
    a, b = (45.59, -73.54), (45.60, -73.54)
    kilometres = haversine_km(a, b)
    assert kilometres == pytest.approx(1.112, abs=0.002)
    assert StraightLine().seconds(a, b) == round(kilometres * 1.3 / 25 * 3600)
    assert StraightLine(detour_factor=1.0, speed_kmh=50).durations([a, b])[0][1] == round(
        kilometres / 50 * 3600
    )


def test_a_supplied_road_network_routes_around_a_gap(tmp_path: Path) -> None:
    # An L-shaped street: from A to C the road goes through the corner B, not straight.
    corner = [[-73.54, 45.59], [-73.54, 45.60], [-73.52, 45.60]]
    path = tmp_path / "streets.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"speed_kmh": 30},
                        "geometry": {"type": "LineString", "coordinates": corner},
                    }
                ],
            }
        )
    )
    network = RoadNetwork(path)
    a, c = (45.59, -73.54), (45.60, -73.52)
    seconds = network.durations([a, c])[0][1]
    legs = haversine_km(a, (45.60, -73.54)) + haversine_km((45.60, -73.54), c)
    assert seconds == pytest.approx(legs / 30 * 3600, rel=0.01)
    assert seconds > haversine_km(a, c) / 30 * 3600


def test_coordinates_come_from_the_postal_code_and_stay_put() -> None:
    first = locate("H1L 2B3", "100 rue Hochelaga")
    assert first == locate("h1l2b3", "100 rue Hochelaga")
    assert first != locate("H1L 2B3", "102 rue Hochelaga")
    assert abs(first[0] - 45.603) < 0.01 and abs(first[1] + 73.533) < 0.01
