"""The jobs the command line runs: set up the database, compute costs, publish the bulletin."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from basket.engine import EngineInputs, compute_basket
from basket.matching import match_products
from basket.protocol import CostingProtocol
from core.basket_definitions import ensure_reference_basket
from core.basket_versions import month_span, versions_in_effect
from core.db import session_scope
from core.errors import NoData
from core.migrate import current_revision, upgrade
from core.queries import (
    basket_items_frame,
    engine_observations_frame,
    family_costs_frame,
    latest_version,
    region_tree_frame,
    replace_costs,
    replace_lineage,
    save_rule_matches,
    store_regions_frame,
    stores_frame,
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


def costing_protocol() -> CostingProtocol:
    """Return the protocol the deployment uses: NFB defaults, the configured family."""
    settings = get_settings()
    return CostingProtocol(
        reference_family=tuple(settings.reference_family.split(",")),
        preset=settings.costing_preset,
        minimum_stores=settings.minimum_stores,
    )


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
        for version in versions:
            assert version.id is not None
            items = basket_items_frame(session, version.id)
            new_matches = match_products(unmatched_products_frame(session, version.id), items)
            save_rule_matches(session, new_matches)
            new_matches_total += len(new_matches)
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
            written += replace_costs(session, version.id, result.costs)
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
