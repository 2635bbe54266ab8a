"""The jobs the command line runs: set up the database, compute costs, publish the bulletin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
from sqlmodel import Session

from basket.choice import choose_products
from basket.costing import basket_costs, lowest_price_per_store
from basket.matching import match_products
from basket.suggestions import suggest_items
from core.basket_definitions import ensure_reference_basket
from core.db import session_scope
from core.errors import NoData
from core.migrate import current_revision, upgrade
from core.queries import (
    basket_item_names_frame,
    basket_items_frame,
    decide_match,
    family_costs_frame,
    latest_version,
    priced_observations_frame,
    priced_products_frame,
    replace_chosen_products,
    replace_costs,
    review_queue_frame,
    save_rule_matches,
    save_suggestions,
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
    suggestions: int = 0
    products_chosen: int = 0


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
        suggestions = _save_suggestions(session, version.id)
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
        chosen = choose_products(
            _within(priced_products_frame(session, version.id), period_from, period_to)
        )
        products_chosen = replace_chosen_products(session, version.id, chosen)
        session.commit()
    return ComputeSummary(
        basket_version=version.code,
        new_matches=len(new_matches),
        observations_used=len(observations),
        periods=sorted(costs["period"].unique().tolist()),
        rows_written=written,
        suggestions=suggestions,
        products_chosen=products_chosen,
    )


def _within(frame: pd.DataFrame, period_from: str | None, period_to: str | None) -> pd.DataFrame:
    if period_from:
        frame = frame[frame["period"] >= period_from]
    if period_to:
        frame = frame[frame["period"] <= period_to]
    return frame


def _save_suggestions(session: Session, version_id: int) -> int:
    """Suggest items for the products still unmatched after the rules; return the count."""
    suggestions = suggest_items(
        unmatched_products_frame(session, version_id), basket_item_names_frame(session, version_id)
    )
    return save_suggestions(session, suggestions)


def suggest_matches() -> int:
    """Match new products by the rules, queue fuzzy suggestions for the rest; return those."""
    with session_scope() as session:
        version = latest_version(session)
        assert version.id is not None
        items = basket_items_frame(session, version.id)
        save_rule_matches(
            session, match_products(unmatched_products_frame(session, version.id), items)
        )
        count = _save_suggestions(session, version.id)
        session.commit()
    return count


def review_queue(status: str = "suggested") -> pd.DataFrame:
    """Return the product matches awaiting review (or in another status)."""
    with session_scope() as session:
        return review_queue_frame(session, status)


def decide(match_id: int, status: str) -> None:
    """Approve or reject a suggested match, and keep the decision."""
    with session_scope() as session:
        decide_match(session, match_id, status)
        session.commit()


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
