"""The shipped Montreal region hierarchy, and lookups over it."""

from __future__ import annotations

import csv
from importlib import resources

from sqlmodel import Session, select

from core.errors import RegionNotFound
from core.models import Region

REGIONS_FILE = resources.files("core") / "data" / "regions.csv"


def ensure_regions(session: Session) -> int:
    """Insert the shipped regions that are missing (parents first); return how many were added."""
    with REGIONS_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    existing = {region.code: region for region in session.exec(select(Region))}
    added = 0
    for row in rows:  # the file lists every parent before its children
        if row["code"] in existing:
            continue
        parent = existing.get(row["parent_code"]) if row["parent_code"] else None
        region = Region(
            code=row["code"],
            name=row["name"],
            level=row["level"],
            parent_id=parent.id if parent else None,
        )
        session.add(region)
        session.flush()
        existing[region.code] = region
        added += 1
    return added


def region_by_code(session: Session, code: str) -> Region:
    """Return the region with this code.

    Raises:
        RegionNotFound: no region has the code.
    """
    region = session.exec(select(Region).where(Region.code == code)).first()
    if region is None:
        raise RegionNotFound(f"unknown region {code!r}")
    return region
