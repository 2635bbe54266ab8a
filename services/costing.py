"""Compute basket costs: match and choose products, run the engine, store costs and lineage."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

import pandas as pd
from sqlmodel import Session, select

from basket.choice import choose_products
from basket.engine import EngineInputs, compute_basket
from basket.matching import match_products
from basket.periods import is_quarter, normalise_period, quarter_months
from basket.protocol import CostingProtocol
from basket.units import refusal_counts
from core.basket_versions import first_month, month_span, versions_in_effect
from core.errors import NoData
from core.models import Store
from core.observations.flags import mark_outliers
from core.queries.alerts import alert_months
from core.queries.basket import (
    basket_items_frame,
    latest_version,
    weekly_quantities_frame,
)
from core.queries.costs import family_costs_frame
from core.queries.engine_inputs import engine_observations_frame, priced_products_frame
from core.queries.geo import region_tree_frame, stores_frame
from core.queries.matching import unmatched_products_frame
from core.writers.costs import replace_costs
from core.writers.lineage import replace_chosen_products, replace_lineage
from core.writers.matches import save_rule_matches
from services.alerts import store_alerts
from services.costs import published_status
from services.matches import queue_suggestions


@dataclass(frozen=True)
class ComputeSummary:
    """What one costing run matched, used and stored."""

    basket_version: str
    new_matches: int
    observations_used: int
    periods: list[str]
    rows_written: int
    suggestions: int = 0
    products_chosen: int = 0


@dataclass(frozen=True)
class RegionFamilyCost:
    """The reference family's stored cost in one region for one period."""

    region_code: str
    region_name: str
    weekly_cost: float  # NaN when withheld (only latest_family_figures lists those)
    monthly_cost: float
    stores_priced: int
    items_priced: int
    items_total: int
    status: str = "published"  # published, warning, imputed or withheld
    reason: str = ""


@dataclass(frozen=True)
class LatestFamilyCosts:
    """The reference family's cost in every region for the latest month costed."""

    period: str
    regions: list[RegionFamilyCost]


def compute_costs(
    session: Session,
    protocol: CostingProtocol,
    period_from: str | None = None,
    period_to: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> ComputeSummary:
    """Match new products, then recompute and store costs and lineage for the periods priced.

    Each basket version in effect is costed over its own months; a change of version is a
    recorded break (core/basket_versions.py). Everything is committed at the end, or nothing.

    Raises:
        NoData: no basket was loaded, or no usable price observation is in the periods.
    """
    say = progress or (lambda _message: None)
    # A round (YYYY-Qn or its survey name) bounds the run by its first and last months.
    if period_from:
        period_from = _months_of(period_from)[0]
    if period_to:
        period_to = _months_of(period_to)[-1]
    versions = versions_in_effect(session)
    if not versions:
        latest_version(session)  # raises NoData with the advice to run db upgrade
    stores = stores_frame(session)
    inputs_common = (
        stores[["store_id", "kind"]],
        located_store_regions(session),
        region_tree_frame(session)[["region_id", "parent_id", "code"]],
    )
    new_matches_total, used, written = 0, 0, 0
    periods: set[str] = set()
    suggestions, products_chosen = 0, 0
    for version in versions:
        assert version.id is not None
        items = basket_items_frame(session, version.id)
        new_matches = match_products(unmatched_products_frame(session, version.id), items)
        save_rule_matches(session, new_matches)
        new_matches_total += len(new_matches)
        suggestions += queue_suggestions(session, version.id)
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
        marked, cleared = mark_outliers(session, result.judged)
        refused = refusal_counts(result.judged)
        say(
            f"basket {version.code}: {result.outliers} outliers left out ({marked} marked, "
            f"{cleared} cleared), {sum(refused.values())} prices not convertible to the "
            f"purchase size, {len(result.costs)} costs; storing costs and lineage"
        )
        for reason, count in refused.items():
            say(f"basket {version.code}: {count} prices left out: {reason}")
        written += replace_costs(session, version.id, result.costs, protocol.reference_family)
        replace_lineage(session, version.id, result.store_prices, result.region_prices)
        used += len(observations)
        periods.update(result.costs["period"].astype(str))
    if not periods:
        raise NoData("no usable price observations: collect prices first (ppne collect run)")
    # The months' price-spike alerts, stored with their costs: /v1/alerts reads, never fits.
    store_alerts(session, months_to_alert(session, periods))
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


def months_to_alert(session: Session, periods: set[str]) -> list[str]:
    """Return the months whose alerts a computation of `periods` changes: those months, and
    every later month with stored alerts, whose series ran through the prices recomputed."""
    months = {period for period in periods if not is_quarter(period)}
    if not months:
        return []
    earliest = min(months)
    return sorted(months | {month for month in alert_months(session) if month > earliest})


def latest_family_costs(session: Session) -> LatestFamilyCosts:
    """Return the stored reference-family cost of every region for the latest period.

    Withheld figures are left out: this is what pages headline.

    Raises:
        NoData: no published cost is stored yet.
    """
    return _latest(family_costs_frame(session))


def latest_family_figures(session: Session, frequency: str | None = None) -> LatestFamilyCosts:
    """Return every region's reference-family figure of the latest period, withheld included.

    Args:
        frequency: "month" or "quarter" to read only months or only PPNE rounds.

    Raises:
        NoData: no cost is stored yet (at that frequency).
    """
    return _latest(family_costs_frame(session, include_withheld=True, frequency=frequency))


def _latest(costs: pd.DataFrame) -> LatestFamilyCosts:
    if costs.empty:
        raise NoData("no basket costs stored yet: run `ppne compute`")
    # The latest period by its first month; a quarter after the months it holds.
    order = costs["period"].map(lambda p: (first_month(str(p)), "Q" in str(p)))
    period = str(costs.loc[order.idxmax(), "period"])
    latest = costs[costs["period"] == period]
    regions = [
        RegionFamilyCost(
            region_code=str(row["region_code"]),
            region_name=str(row["region_name"]),
            weekly_cost=float(row["weekly_cost"]),
            monthly_cost=float(row["monthly_cost"]),
            stores_priced=int(row["stores_priced"]),
            items_priced=int(row["items_priced"]),
            items_total=int(row["items_total"]),
            status=published_status(row["status"]),
            reason="" if pd.isna(row["warning"]) else str(row["warning"]),
        )
        for row in latest.to_dict("records")
    ]
    return LatestFamilyCosts(period, regions)


def located_store_regions(session: Session) -> pd.DataFrame:
    """Return store_id, region_id for each store's region and every region above it.

    A store's region is its own, or finer when its postal code's FSA is filed under a
    territory below it (core/data/records/postal_territories.csv): a store recorded in
    "montreal" at H1B 2A3 is costed in Montréal-Est. The FSA table is compiled (Canada Post's
    FSA list, Statistics Canada's 2021 boundary file) and approximate near boundaries.
    """
    tree = region_tree_frame(session)
    parents = {
        int(r): (None if pd.isna(p) else int(p))
        for r, p in zip(tree["region_id"], tree["parent_id"], strict=True)
    }
    by_code = {str(c): int(r) for r, c in zip(tree["region_id"], tree["code"], strict=True)}
    territories = _fsa_territories()

    def ancestors(region: int | None) -> list[int]:
        chain = []
        while region is not None:
            chain.append(region)
            region = parents.get(region)
        return chain

    rows = []
    statement = select(Store.id, Store.region_id, Store.postal_code)
    for store_id, region_id, postal_code in session.execute(statement).all():
        fsa = (postal_code or "").replace(" ", "").upper()[:3]
        finer = by_code.get(territories.get(fsa, ""))
        # Only ever finer: a postal code never moves a store out of the region recorded.
        if finer is not None and finer != region_id and region_id in ancestors(finer):
            region_id = finer
        rows.extend((store_id, region) for region in ancestors(region_id))
    return pd.DataFrame(rows, columns=["store_id", "region_id"])


def _fsa_territories() -> dict[str, str]:
    path = resources.files("core") / "data" / "records" / "postal_territories.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["fsa"]: row["region_code"] for row in csv.DictReader(handle)}


def _months_of(period: str) -> list[str]:
    normalised = normalise_period(period)
    return quarter_months(normalised) if is_quarter(normalised) else [normalised]


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
