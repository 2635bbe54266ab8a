"""Publish the French bulletin from the stored costs, with the food CPI beside them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session

from core.queries.costs import family_costs_frame
from core.queries.cpi import cpi_geos, food_cpi_frame
from core.regions import region_by_code
from publications.bulletin import BulletinFiles, write_bulletin

__all__ = ["BulletinFiles", "publish_bulletin"]


def publish_bulletin(
    session: Session,
    out_dir: Path,
    region: str = "montreal",
    generated_at: datetime | None = None,
) -> BulletinFiles:
    """Write the bulletin (HTML, PDF, chart) into `out_dir`, headlined by `region`.

    Raises:
        RegionNotFound: no region has this code (checked before anything is written).
        NoData: no cost is stored yet.
    """
    region_by_code(session, region)
    return write_bulletin(
        # The bulletin is monthly: PPNE rounds stored beside the months are not its periods.
        family_costs_frame(session, frequency="month"),
        out_dir,
        headline_region=region,
        generated_at=generated_at or datetime.now(UTC),
        cpi=food_cpi_frame(session, cpi_geos(session, region)),
    )
