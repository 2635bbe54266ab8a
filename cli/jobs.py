"""The jobs the command line runs: set up the database, compute costs, publish the bulletin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from basket.costing import basket_costs, lowest_price_per_store
from basket.matching import match_products
from core.basket_definitions import ensure_reference_basket
from core.db import session_scope
from core.errors import NoData
from core.migrate import current_revision, upgrade
from core.queries import (
    basket_items_frame,
    family_costs_frame,
    latest_version,
    priced_observations_frame,
    replace_costs,
    save_rule_matches,
    store_regions_frame,
    unmatched_products_frame,
    weekly_quantities_frame,
)
from core.regions import ensure_regions
from core.settings import get_settings
from publications.bulletin import BulletinFiles, write_bulletin


@dataclass(frozen=True)
class SetupSummary:
    revision: str | None
    regions_added: int
    basket_version: str


@dataclass(frozen=True)
class ComputeSummary:
    basket_version: str
    new_matches: int
    observations_used: int
    periods: list[str]
    rows_written: int


def set_up_database() -> SetupSummary:
    """Migrate the database to the newest schema and load the shipped reference data."""
    upgrade()
    with session_scope() as session:
        added = ensure_regions(session)
        version = ensure_reference_basket(session)
        session.commit()
    return SetupSummary(current_revision(), added, version.code)


def compute_costs(period_from: str | None = None, period_to: str | None = None) -> ComputeSummary:
    """Match new products, then recompute and store basket costs for the periods priced."""
    settings = get_settings()
    with session_scope() as session:
        version = latest_version(session)
        assert version.id is not None
        items = basket_items_frame(session, version.id)
        new_matches = match_products(unmatched_products_frame(session, version.id), items)
        save_rule_matches(session, new_matches)
        observations = priced_observations_frame(session, version.id)
        if period_from:
            observations = observations[observations["period"] >= period_from]
        if period_to:
            observations = observations[observations["period"] <= period_to]
        if observations.empty:
            raise NoData("no usable price observations: collect prices first (ppne collect run)")
        costs = basket_costs(
            lowest_price_per_store(observations),
            store_regions_frame(session),
            weekly_quantities_frame(session, version.id),
            family_members=settings.reference_family.split(","),
            items_total=len(items),
            weeks_per_month=settings.weeks_per_month,
        )
        written = replace_costs(session, version.id, costs)
        session.commit()
    return ComputeSummary(
        basket_version=version.code,
        new_matches=len(new_matches),
        observations_used=len(observations),
        periods=sorted(costs["period"].unique().tolist()),
        rows_written=written,
    )


def family_costs() -> pd.DataFrame:
    """Return the stored family costs of every region and period."""
    with session_scope() as session:
        return family_costs_frame(session)


def publish_bulletin(out_dir: Path | None = None, region: str = "montreal") -> BulletinFiles:
    """Write the French bulletin (HTML, PDF, chart) from the stored costs."""
    return write_bulletin(
        family_costs(),
        out_dir or get_settings().out_dir,
        headline_region=region,
        generated_at=datetime.now(UTC),
    )


def recent_periods(months: int, today: date | None = None) -> list[str]:
    """Return the last `months` months up to the current one, oldest first, as YYYY-MM."""
    today = today or datetime.now(UTC).date()
    stamps = pd.period_range(end=pd.Period(today, freq="M"), periods=months, freq="M")
    return [str(stamp) for stamp in stamps]
