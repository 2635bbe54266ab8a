"""The jobs the command line runs: set up the database, compute costs, publish the bulletin."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
from sqlmodel import Session

from basket.choice import choose_products
from basket.engine import EngineInputs, compute_basket
from basket.matching import match_products
from basket.protocol import CostingProtocol
from basket.suggestions import suggest_items
from core.basket_definitions import ensure_reference_basket
from core.basket_versions import month_span, versions_in_effect
from core.db import session_scope
from core.errors import NoData, RegionNotFound
from core.migrate import current_revision, upgrade
from core.queries.basket import (
    basket_item_names_frame,
    basket_items_frame,
    latest_version,
    weekly_quantities_frame,
)
from core.queries.costs import family_costs_frame
from core.queries.cpi import cpi_geos, food_cpi_frame
from core.queries.engine_inputs import engine_observations_frame, priced_products_frame
from core.queries.geo import region_tree_frame, store_regions_frame, stores_frame
from core.queries.matching import review_queue_frame, unmatched_products_frame
from core.regions import ensure_regions
from core.settings import get_settings
from core.writers.costs import replace_costs
from core.writers.lineage import replace_chosen_products, replace_lineage
from core.writers.matches import decide_match, save_rule_matches, save_suggestions
from publications.bulletin import BulletinFiles, write_bulletin
from services.protocol import costing_protocol as protocol_from_settings


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


def costing_protocol() -> CostingProtocol:
    """Return the protocol the deployment uses: NFB defaults, the configured family."""
    return protocol_from_settings(get_settings())


def compute_costs(
    period_from: str | None = None,
    period_to: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> ComputeSummary:
    """Match new products, then recompute and store costs and lineage for the periods priced.

    Each basket version in effect is costed over its own months; a change of version is a
    recorded break (core/basket_versions.py).
    """
    say = progress or (lambda _message: None)
    protocol = costing_protocol()
    with session_scope() as session:
        versions = versions_in_effect(session)
        if not versions:
            latest_version(session)  # raises NoData with the advice to run db upgrade
        stores = stores_frame(session)
        inputs_common = (
            stores[["store_id", "kind"]],
            store_regions_frame(session),
            region_tree_frame(session)[["region_id", "parent_id"]],
        )
        new_matches_total, used, written, periods = 0, 0, 0, set()
        suggestions, products_chosen = 0, 0
        for version in versions:
            assert version.id is not None
            items = basket_items_frame(session, version.id)
            new_matches = match_products(unmatched_products_frame(session, version.id), items)
            save_rule_matches(session, new_matches)
            new_matches_total += len(new_matches)
            suggestions += _save_suggestions(session, version.id)
            say(f"basket {version.code}: {len(new_matches)} new product matches")
            observations = engine_observations_frame(session, version.id)
            first, last = month_span(version)
            bounds = [b for b in (period_from, first) if b]
            ends = [b for b in (period_to, last) if b]
            if bounds:
                observations = observations[observations["period"] >= max(bounds)]
            if ends:
                observations = observations[observations["period"] <= min(ends)]
            if observations.empty:
                continue
            products_chosen += _record_chosen_products(
                session, version.id, max(bounds) if bounds else None, min(ends) if ends else None
            )
            say(f"basket {version.code}: costing {len(observations)} observations")
            result = compute_basket(
                EngineInputs(
                    observations,
                    *inputs_common,
                    quantities=weekly_quantities_frame(session, version.id),
                    items_total=len(items),
                ),
                protocol,
            )
            say(
                f"basket {version.code}: {result.outliers} outliers left out, "
                f"{len(result.costs)} costs; storing costs and lineage"
            )
            written += replace_costs(session, version.id, result.costs, protocol.reference_family)
            replace_lineage(session, version.id, result.store_prices, result.region_prices)
            used += len(observations)
            periods.update(result.costs["period"].astype(str))
        if not periods:
            raise NoData("no usable price observations: collect prices first (ppne collect run)")
        session.commit()
    return ComputeSummary(
        basket_version=versions[-1].code,
        new_matches=new_matches_total,
        observations_used=used,
        periods=sorted(periods),
        rows_written=written,
        suggestions=suggestions,
        products_chosen=products_chosen,
    )


def _record_chosen_products(
    session: Session, version_id: int, period_from: str | None, period_to: str | None
) -> int:
    """Record, per store, item and month, the product with the lowest purchase-size price."""
    frame = priced_products_frame(session, version_id)
    if period_from:
        frame = frame[frame["period"] >= period_from]
    if period_to:
        frame = frame[frame["period"] <= period_to]
    if frame.empty:
        return 0
    return replace_chosen_products(session, version_id, choose_products(frame))


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


def food_cpi(region: str) -> pd.DataFrame:
    """Return the imported food CPI of the GEO closest to a region (empty if none, or unknown)."""
    with session_scope() as session:
        try:
            return food_cpi_frame(session, cpi_geos(session, region))
        except RegionNotFound:  # the bulletin then picks its headline region itself
            return food_cpi_frame(session, [])


def publish_bulletin(out_dir: Path | None = None, region: str = "montreal") -> BulletinFiles:
    """Write the French bulletin (HTML, PDF, chart) from the stored costs, CPI beside them."""
    return write_bulletin(
        family_costs(),
        out_dir or get_settings().out_dir,
        headline_region=region,
        generated_at=datetime.now(UTC),
        cpi=food_cpi(region),
    )


def recent_periods(months: int, today: date | None = None) -> list[str]:
    """Return the last `months` months up to the current one, oldest first, as YYYY-MM."""
    today = today or datetime.now(UTC).date()
    stamps = pd.period_range(end=pd.Period(today, freq="M"), periods=months, freq="M")
    return [str(stamp) for stamp in stamps]
