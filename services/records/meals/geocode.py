"""Offline coordinates for a stop: its FSA's approximate centre plus a per-address offset.

The centres are data (core/data/records/fsa_centroids.csv, source in its README). The offset,
up to about 600 m, comes from a hash of the address, so the same address always lands on the
same point and two addresses of one FSA do not share one.
"""

from __future__ import annotations

import csv
import hashlib
from functools import cache
from pathlib import Path

from core.errors import N_, InvalidInput

CENTROIDS = Path(__file__).resolve().parents[3] / "core/data/records/fsa_centroids.csv"
JITTER_DEGREES = 0.006


@cache
def fsa_centroids() -> dict[str, tuple[float, float]]:
    """FSA -> (latitude, longitude), from the shipped file."""
    with CENTROIDS.open(encoding="utf-8") as handle:
        return {
            row["fsa"]: (float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
        }


def locate(postal_code: str | None, address: str | None) -> tuple[float, float]:
    """Approximate coordinates of an address from its postal code.

    Raises:
        InvalidInput: no postal code, or one outside the FSAs the file knows.
    """
    code = (postal_code or "").replace(" ", "").upper()
    fsa = code[:3]
    centre = fsa_centroids().get(fsa)
    if centre is None:
        raise InvalidInput(
            N_("no coordinates for postal code %(postal_code)r: give latitude and longitude"),
            postal_code=postal_code,
        )
    digest = hashlib.sha256(f"{(address or '').strip().lower()}|{code}".encode()).digest()
    dx = (digest[0] / 255 - 0.5) * 2 * JITTER_DEGREES
    dy = (digest[1] / 255 - 0.5) * 2 * JITTER_DEGREES
    return round(centre[0] + dy, 6), round(centre[1] + dx, 6)
