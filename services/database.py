"""Set up a database: migrate it to the newest schema and load the shipped reference data."""

from __future__ import annotations

from dataclasses import dataclass

from core.basket_definitions import ensure_reference_basket
from core.db import session_scope
from core.migrate import current_revision, upgrade
from core.regions import ensure_regions
from services.access.organisations import ensure_organisations
from services.records.coupon_kinds import ensure_coupon_kinds
from services.records.territories import ensure_postal_territories


@dataclass(frozen=True)
class SetupSummary:
    """The schema revision reached, the regions added and the reference basket in place."""

    revision: str | None
    regions_added: int
    basket_version: str


def set_up_database(url: str) -> SetupSummary:
    """Migrate the database at `url` to the newest schema and load the regions and basket."""
    upgrade(url)
    with session_scope(url) as session:
        added = ensure_regions(session)
        version = ensure_reference_basket(session)
        ensure_organisations(session)
        ensure_postal_territories(session)
        ensure_coupon_kinds(session)
        session.commit()
    return SetupSummary(current_revision(url), added, version.code)
