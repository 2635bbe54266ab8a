"""Travel times between stops: straight-line by default (offline), or a supplied road network.

The default provider is the great-circle (haversine) distance times a detour factor, at an
average speed. DETOUR_FACTOR 1.3 is the usual ratio of road to straight-line distance in a
city grid (Montréal's east end is a grid cut by the railway and autoroute 25, so 1.3 is a
middle value; published urban circuity factors run 1.2 to 1.4). AVERAGE_SPEED_KMH 25 is an
urban driving speed with stops and lights, not a speed limit. Both are parameters: an
organisation that times its own routes can set better ones.

The road-network provider reads a GeoJSON file of LineStrings (streets exported from
OpenStreetMap or a city's open data, by the organisation); each pair of consecutive points is a
two-way edge, its length the haversine length, its speed the feature's `speed_kmh` property or
the average. A point is joined to its nearest network node in a straight line (at the detour
speed); shortest paths are Dijkstra's, one per origin.
"""

from __future__ import annotations

import heapq
import itertools
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

DETOUR_FACTOR = 1.3
AVERAGE_SPEED_KMH = 25.0
EARTH_RADIUS_KM = 6371.0088

Point = tuple[float, float]  # (latitude, longitude)


class TravelProvider(Protocol):
    """Gives the driving time in seconds between every pair of points."""

    def durations(self, points: Sequence[Point]) -> list[list[int]]:
        """A square matrix: row i, column j = seconds from point i to point j."""
        ...


def haversine_km(a: Point, b: Point) -> float:
    """Great-circle distance between two (lat, lon) points, in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


class StraightLine:
    """Straight-line distance x detour factor at an average speed; needs nothing but points."""

    def __init__(
        self, detour_factor: float = DETOUR_FACTOR, speed_kmh: float = AVERAGE_SPEED_KMH
    ) -> None:
        self.detour_factor = detour_factor
        self.speed_kmh = speed_kmh

    def seconds(self, a: Point, b: Point) -> int:
        """Driving seconds from a to b."""
        return round(haversine_km(a, b) * self.detour_factor / self.speed_kmh * 3600)

    def durations(self, points: Sequence[Point]) -> list[list[int]]:
        """The full matrix (symmetric)."""
        size = len(points)
        matrix = [[0] * size for _ in range(size)]
        for i in range(size):
            for j in range(i + 1, size):
                matrix[i][j] = matrix[j][i] = self.seconds(points[i], points[j])
        return matrix


class RoadNetwork:
    """Shortest paths over a road network the organisation supplies (GeoJSON LineStrings)."""

    def __init__(self, path: Path, speed_kmh: float = AVERAGE_SPEED_KMH) -> None:
        self.access = StraightLine(speed_kmh=speed_kmh)
        self.nodes: list[Point] = []
        self.edges: dict[int, list[tuple[int, float]]] = {}
        index: dict[Point, int] = {}
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        for feature in data.get("features", []):
            geometry = feature.get("geometry") or {}
            if geometry.get("type") != "LineString":
                continue
            speed = float((feature.get("properties") or {}).get("speed_kmh") or speed_kmh)
            coordinates = [(round(lat, 7), round(lon, 7)) for lon, lat in geometry["coordinates"]]
            for a, b in itertools.pairwise(coordinates):
                ia, ib = (index.setdefault(p, len(index)) for p in (a, b))
                seconds = haversine_km(a, b) / speed * 3600
                self.edges.setdefault(ia, []).append((ib, seconds))
                self.edges.setdefault(ib, []).append((ia, seconds))
        self.nodes = sorted(index, key=index.__getitem__)
        if not self.nodes:
            raise ValueError(f"{path}: no LineString in the road network")

    def _nearest(self, point: Point) -> int:
        return min(range(len(self.nodes)), key=lambda i: haversine_km(point, self.nodes[i]))

    def _from(self, source: int) -> dict[int, float]:
        best = {source: 0.0}
        queue = [(0.0, source)]
        while queue:
            cost, node = heapq.heappop(queue)
            if cost > best[node]:
                continue
            for neighbour, seconds in self.edges.get(node, ()):
                candidate = cost + seconds
                if candidate < best.get(neighbour, math.inf):
                    best[neighbour] = candidate
                    heapq.heappush(queue, (candidate, neighbour))
        return best

    def durations(self, points: Sequence[Point]) -> list[list[int]]:
        """Access leg + network path + access leg; straight line where the network breaks."""
        snapped = [self._nearest(point) for point in points]
        access = [
            self.access.seconds(p, self.nodes[n]) for p, n in zip(points, snapped, strict=True)
        ]
        matrix = []
        for i, origin in enumerate(snapped):
            reach = self._from(origin)
            row = []
            for j, target in enumerate(snapped):
                if i == j:
                    row.append(0)
                elif target in reach:
                    row.append(round(access[i] + reach[target] + access[j]))
                else:  # disconnected pieces: fall back on the straight line
                    row.append(self.access.seconds(points[i], points[j]))
            matrix.append(row)
        return matrix
