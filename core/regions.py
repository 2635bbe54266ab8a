"""The shipped Montreal region hierarchy, lookups over it, and the policy for unknown codes."""

from __future__ import annotations

import csv
from importlib import resources

from sqlalchemy.engine import Connection
from sqlmodel import Session, select

from core.errors import RegionNotFound
from core.models import Region

REGIONS_FILE = resources.files("core") / "data" / "regions.csv"
# The one policy for a region code not in the region table, for crawls and imports alike: the
# price is refused (quarantined or a refused row) under this reason, with a message naming the
# code; the rest of the run goes on.
UNKNOWN_REGION = "unknown_region"
# Stores no region of ours contains (an Open Prices shop in Grenoble) are filed here; the
# bucket is created on first need, so it is never an unknown region.
ELSEWHERE = ("elsewhere", "Hors des régions suivies / Outside the regions followed")


def unknown_region_message(code: str | None) -> str:
    """Return the message that refuses a region code not in the region table."""
    return f"unknown region {code!r}: not in the region table (core/data/regions.csv)"


def region_name_in(name_fr: str, name_en: str | None, lang: str) -> str:
    """Return a region's English name for "en" when it has one, else its French name."""
    return name_en if lang == "en" and name_en else name_fr


def accepted_region_codes(connection: Session | Connection) -> frozenset[str]:
    """Return the region codes a price may name: those in the table, and the `elsewhere` bucket."""
    codes = connection.execute(select(Region.code)).scalars()
    return frozenset(codes) | {ELSEWHERE[0]}


def region_refusal(code: str | None, accepted: frozenset[str]) -> str | None:
    """Return why a price's region code is refused, or None when it is accepted."""
    return None if code in accepted else unknown_region_message(code)


def ensure_regions(session: Session) -> int:
    """Insert the shipped regions that are missing (parents first); return how many were added.

    `name` is the French name, `name_en` the English one where English usage differs (left
    empty in the file when the official spelling serves both languages).
    """
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
            name_en=row["name_en"] or None,
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
