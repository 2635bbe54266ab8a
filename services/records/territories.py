"""A client's territory from her postal code, through the shipped FSA table.

The mapping lives in core/data/records/postal_territories.csv with its source; an FSA that
straddles two territories is filed under the one holding most of it, so a territory read from
a postal code is approximate near a boundary.
"""

from __future__ import annotations

import csv
import re
from importlib import resources

from sqlmodel import Session, select

from core.errors import N_, InvalidInput
from core.models import PostalTerritory, Region
from core.regions import ensure_regions

POSTAL_TERRITORIES_FILE = resources.files("core") / "data" / "records" / "postal_territories.csv"
# Canada Post never uses D, F, I, O, Q or U, and W and Z never open a code.
_POSTAL_CODE = re.compile(r"^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$")


def ensure_postal_territories(session: Session) -> int:
    """Load the shipped FSA table (and the regions it names); return how many rows changed.

    Idempotent: a missing FSA is added, one whose region or source changed in the file is
    updated, the others are left alone.
    """
    ensure_regions(session)
    regions = {region.code: region for region in session.exec(select(Region))}
    existing = {row.fsa: row for row in session.exec(select(PostalTerritory))}
    with POSTAL_TERRITORIES_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    changed = 0
    for row in rows:
        region = regions.get(row["region_code"])
        if region is None or region.id is None:
            raise InvalidInput(
                N_("postal_territories.csv: FSA %(fsa)s names unknown region %(region_code)r"),
                fsa=row["fsa"],
                region_code=row["region_code"],
            )
        current = existing.get(row["fsa"])
        if current is None:
            session.add(PostalTerritory(fsa=row["fsa"], region_id=region.id, source=row["source"]))
            changed += 1
        elif current.region_id != region.id or current.source != row["source"]:
            current.region_id, current.source = region.id, row["source"]
            session.add(current)
            changed += 1
    session.flush()
    return changed


def normalise_postal_code(code: str) -> str:
    """Return a Canadian postal code as "H1L 2A3", or raise InvalidInput.

    Spaces and case are forgiven ("h1l2a3", " h1l 2a3 "); anything else is refused.
    """
    compact = re.sub(r"\s+", "", code or "").upper()
    if not _POSTAL_CODE.match(compact):
        raise InvalidInput(
            N_("postal code %(code)r is not a Canadian postal code like 'H1L 2A3'"), code=code
        )
    return f"{compact[:3]} {compact[3:]}"


def territory_for_postal_code(session: Session, code: str) -> Region | None:
    """The region a postal code's FSA is filed under, or None outside the shipped table.

    Raises:
        InvalidInput: `code` is not a Canadian postal code.
    """
    fsa = normalise_postal_code(code)[:3]
    territory = session.exec(select(PostalTerritory).where(PostalTerritory.fsa == fsa)).first()
    if territory is None:
        return None
    return session.get(Region, territory.region_id)
