"""The whole costing protocol, from price observations to stored-ready costs and lineage."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from basket.coverage import (
    IMPUTED,
    PUBLISHED,
    SEVERITY,
    WARNING,
    WITHHELD,
    coverage_shares,
    coverage_status,
    gravest,
    join_reasons,
)
from basket.dense_prices import dense_regional_item_prices, lowest_usable_prices
from basket.group_costs import group_weekly_costs
from basket.households import household_weekly_costs
from basket.imputation import OBSERVED, impute_region_prices
from basket.periods import labels_at, period_positions, period_range, to_periods
from basket.presets import preset
from basket.protocol import NFB, CostingProtocol
from basket.regional import (
    eligible_store_prices,
    region_sources,
    region_store_counts,
)

COST_COLUMNS = [
    "region_id",
    "period",
    "scope",
    "weekly_cost",
    "monthly_cost",
    "imputed_share",
    "stores_priced",
    "items_priced",
    "items_total",
    "status",
    "warning",
    "preset",
    "item_share",
    "cost_share",
    "source_region_id",
]
FAMILY = "family"


@dataclass(frozen=True)
class EngineInputs:
    """The frames the engine reads (core/queries.py builds them from the database).

    observations: store_id, item_id, period (YYYY-MM), price, product_size, purchase_size,
        optional price_kind and observation_id.
    stores: store_id, kind.
    store_regions: store_id, region_id (a store under its region and every one above).
    regions: region_id, parent_id and, optionally, code (named in the reasons).
    quantities: item_id, group_code, weekly_amount, purchase_size.
    """

    observations: pd.DataFrame
    stores: pd.DataFrame
    store_regions: pd.DataFrame
    regions: pd.DataFrame
    quantities: pd.DataFrame
    items_total: int


@dataclass(frozen=True)
class EngineResult:
    """What one run produces: lineage frames and the costs to publish."""

    store_prices: pd.DataFrame  # store_id, item_id, period, item_price [, observation_id]
    region_prices: pd.DataFrame  # the imputed grid (basket/imputation.py columns)
    costs: pd.DataFrame  # COST_COLUMNS
    outliers: int  # observations flagged and left out
    # observation_id, outlier, judged_median, refusal: to mark outliers in the database.
    judged: pd.DataFrame = field(default_factory=pd.DataFrame)


def costed_regions(
    store_regions: pd.DataFrame,
    stores: pd.DataFrame,
    regions: pd.DataFrame,
    protocol: CostingProtocol = NFB,
) -> pd.DataFrame:
    """Return region_id, parent_id of the regions holding at least one eligible store."""
    eligible = stores.loc[~stores["kind"].isin(protocol.excluded_store_kinds), "store_id"]
    holding = store_regions.loc[store_regions["store_id"].isin(eligible), "region_id"].unique()
    return regions[regions["region_id"].isin(holding)].reset_index(drop=True)


def compute_basket(
    inputs: EngineInputs,
    protocol: CostingProtocol = NFB,
    history: pd.DataFrame | None = None,
) -> EngineResult:
    """Run the protocol over every region, period and group; add the reference family.

    Args:
        history: observed regional prices of earlier periods (region_id, item_id, period,
            item_price, stores), so that adding one period carries prices forward
            without recomputing the past; only the new periods are returned.
    """
    priced = lowest_usable_prices(inputs.observations, protocol)
    store_prices = priced.store_prices
    if protocol.frequency == "quarter":
        store_prices = round_store_prices(store_prices)
    eligible = eligible_store_prices(store_prices, inputs.stores, protocol)
    observed = dense_regional_item_prices(eligible, inputs.store_regions, protocol)
    new_periods = period_range(observed["period"])
    if history is not None and not history.empty:
        earlier = history[~history["period"].isin(new_periods)]
        observed = pd.concat([earlier[observed.columns], observed], ignore_index=True)
    # Every region is costed: one without a store of its own borrows its parent's prices.
    region_prices = impute_region_prices(
        observed, inputs.regions, protocol, categorical_periods=True
    )
    coverage = coverage_shares(
        region_prices, inputs.quantities, inputs.items_total, _scopes(inputs.quantities, protocol)
    )
    region_prices = region_prices[region_prices["period"].isin(new_periods)]
    costs = publishable_costs(
        region_prices,
        inputs.quantities,
        region_store_counts(eligible, inputs.store_regions, protocol),
        protocol,
        inputs.items_total,
        coverage=coverage,
        sources=region_sources(inputs.store_regions, inputs.stores, inputs.regions, protocol),
        names=_region_names(inputs.regions),
    )
    if protocol.frequency == "quarter":
        costs = _flag_partial_rounds(costs, inputs.observations)
    return EngineResult(
        store_prices=store_prices,
        region_prices=_with_text_periods(region_prices.reset_index(drop=True)),
        costs=costs,
        outliers=priced.outliers,
        judged=priced.judged,
    )


def _flag_partial_rounds(costs: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    # A round priced in fewer than its three months says which, as one formed from months does.
    months = observations["period"].astype(str).drop_duplicates()
    held = months.groupby(to_periods(months, "quarter").to_numpy()).agg(lambda found: sorted(found))
    status, reasons = costs["status"].tolist(), costs["warning"].tolist()
    for n, period in enumerate(costs["period"].astype(str)):
        found = held.get(period, [])
        if 0 < len(found) < 3:
            note = f"{len(found)} of 3 months priced ({', '.join(found)})"
            status[n] = gravest(status[n], WARNING)
            reasons[n] = join_reasons(note, reasons[n])
    return costs.assign(status=status, warning=reasons)


def round_store_prices(monthly: pd.DataFrame) -> pd.DataFrame:
    """Return each store's price of a PPNE round: the mean of its months' lowest prices.

    The same rule as a round formed from monthly costs (basket/periods.py quarterly_costs),
    so the two agree when the same stores price every month; lineage keeps the observation
    behind the round's latest month.
    """
    # Months in order first, so "last" is the round's latest month.
    ordered = monthly.sort_values(["store_id", "item_id", "period"], kind="stable")
    rounds = ordered.assign(period=to_periods(ordered["period"].astype(str), "quarter"))
    aggregations: dict[str, tuple[str, str]] = {"item_price": ("item_price", "mean")}
    if "observation_id" in rounds.columns:
        aggregations["observation_id"] = ("observation_id", "last")
    return rounds.groupby(["store_id", "item_id", "period"], as_index=False, sort=True).agg(
        **aggregations
    )


def publishable_costs(
    region_prices: pd.DataFrame,
    quantities: pd.DataFrame,
    store_counts: pd.DataFrame,
    protocol: CostingProtocol,
    items_total: int,
    coverage: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
    names: dict[int, str] | None = None,
) -> pd.DataFrame:
    """Return group and reference-family costs with coverage, status and reasons.

    Args:
        region_prices: the imputed grid.
        store_counts: region_id, period, stores_priced, status, warning.
        coverage: region_id, period, scope, item_share, cost_share (basket/coverage.py);
            by default the item share alone, from items_priced.
        sources: region_id, stores_held, source_region_id, stores_within
            (basket/regional.py region_sources); by default every region holds stores.
        names: region_id -> code, to name regions in the reasons.

    Returns:
        COST_COLUMNS; withheld figures have NaN costs, status and reason say why.
    """
    # Periods as integer codes while the tables are joined: joining and sorting hundreds of
    # thousands of rows on text was most of this step's time.
    labels = pd.Index(sorted(str(p) for p in pd.unique(region_prices["period"])), dtype="str")
    groups = group_weekly_costs(_coded_periods(region_prices, labels), quantities)
    family_codes = [code for code in protocol.reference_family if code]
    family = household_weekly_costs(groups, family_codes, protocol.size_factors)
    items = groups[["region_id", "period", "items_priced"]].drop_duplicates()
    family = family.merge(items, on=["region_id", "period"]).assign(group_code=FAMILY)
    costs = pd.concat([groups, family.drop(columns="size_factor")], ignore_index=True).rename(
        columns={"group_code": "scope"}
    )
    costs = costs.merge(
        _coded_periods(store_counts, labels), on=["region_id", "period"], how="left"
    )
    costs = costs.fillna({"stores_priced": 0, "status": "", "warning": ""})
    if coverage is None:
        coverage = costs[["region_id", "period", "scope"]].assign(
            item_share=costs["items_priced"] / max(items_total, 1), cost_share=np.nan
        )
    else:
        coverage = _coded_periods(coverage, labels)
    costs = costs.merge(coverage, on=["region_id", "period", "scope"], how="left")
    if sources is None:
        sources = pd.DataFrame({"region_id": costs["region_id"].unique()}).assign(
            stores_held=1, source_region_id=lambda f: f["region_id"], stores_within=-1
        )
    costs = costs.merge(sources, on="region_id", how="left")
    cover_status, cover_reason = coverage_status(costs["item_share"], costs["cost_share"], protocol)
    statuses, reasons = _statuses_and_reasons(
        costs, cover_status, cover_reason, protocol, names or {}
    )
    costs = costs.assign(status=statuses, warning=reasons)
    weekly = costs["weekly_cost"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(weekly > 0, costs["imputed_cost"].to_numpy() / weekly, 0.0)
    withheld = (costs["status"] == WITHHELD).to_numpy()
    weekly = np.where(withheld, np.nan, weekly)
    costs = costs.assign(
        weekly_cost=weekly,
        monthly_cost=weekly * preset(protocol.preset).monthly_per_week,
        imputed_share=share,
        stores_priced=costs["stores_priced"].astype("int64"),
        items_total=items_total,
        preset=protocol.preset,
        source_region_id=costs["source_region_id"].fillna(-1).astype("int64"),
    )
    return _in_cost_order(costs[COST_COLUMNS], labels)


def _with_text_periods(frame: pd.DataFrame) -> pd.DataFrame:
    periods = frame["period"].cat
    return frame.assign(period=labels_at(periods.categories, periods.codes.to_numpy()))


def _coded_periods(frame: pd.DataFrame, labels: pd.Index) -> pd.DataFrame:
    return frame.assign(period=period_positions(frame["period"], labels))


def _in_cost_order(costs: pd.DataFrame, labels: pd.Index) -> pd.DataFrame:
    """Return the costs sorted by region, period and scope, periods as their labels again."""
    region, _ = pd.factorize(costs["region_id"], sort=True)
    scope, scopes = pd.factorize(costs["scope"], sort=True)
    period = costs["period"].to_numpy()
    key = (region.astype("int64") * len(labels) + period) * len(scopes) + scope
    ordered = costs.take(np.argsort(key, kind="stable")).reset_index(drop=True)
    return ordered.assign(period=labels_at(labels, ordered["period"].to_numpy()))


def _statuses_and_reasons(
    costs: pd.DataFrame,
    coverage_label: np.ndarray,
    coverage_reason: np.ndarray,
    protocol: CostingProtocol,
    names: dict[int, str],
) -> tuple[np.ndarray, np.ndarray]:
    """Return each figure's status and reason from its stores, territory and coverage.

    Column by column rather than figure by figure: a run holds hundreds of thousands of
    figures, and the same few rules apply to all of them.
    """
    stored = costs["status"].astype(str).to_numpy(dtype=object)
    store_reason = np.array(costs["warning"].astype(str), dtype=object)
    held = costs["stores_held"].fillna(1).astype("int64").to_numpy()
    lent = costs["source_region_id"].fillna(-1).astype("int64").to_numpy()
    within = costs["stores_within"].fillna(-1).astype("int64").to_numpy()
    level = _severity(np.where(np.isin(stored, ("ok", "")), PUBLISHED, stored))
    territory = np.full(len(costs), "", dtype=object)
    # No store of its own: the few-stores rule does not apply, imputation says more.
    borrows = held == 0
    lenders = pd.Series(lent[borrows]).map(
        lambda region: (
            f"no eligible store in this region: every price is taken from "
            f"{names.get(region, str(region))}"
            if region >= 0
            else "no eligible store in this region or above it"
        )
    )
    territory[borrows] = lenders.to_numpy(dtype=object)
    store_reason[borrows] = ""
    unpriced = ~borrows & (stored == "")
    territory[unpriced] = "no store priced in this region this period: every price is imputed"
    level[borrows | unpriced] = SEVERITY[IMPUTED]
    single = ~borrows & ~unpriced & (within >= 0)
    territory[single] = [
        f"its {count} stores all lie in {names.get(region, str(region))}"
        for count, region in zip(held[single].tolist(), within[single].tolist(), strict=True)
    ]
    rule = WITHHELD if protocol.single_child_parent == "withhold" else WARNING
    level[single] = np.maximum(level[single], SEVERITY[rule])
    level = np.maximum(level, _severity(coverage_label))
    by_level = np.array(sorted(SEVERITY, key=SEVERITY.__getitem__), dtype=object)
    reasons = territory
    for reason in (store_reason, np.asarray(coverage_reason, dtype=object)):
        reasons = _joined(reasons, reason)
    return by_level[level], reasons


def _severity(statuses: np.ndarray) -> np.ndarray:
    """Return the severity of each status (a status outside STATUSES is an error)."""
    codes, found = pd.factorize(statuses)  # a few distinct statuses: look each up once
    return np.array([SEVERITY[str(status)] for status in found], dtype="int64")[codes]


def _joined(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Return join_reasons of two columns of reasons, element by element."""
    joined = np.where(first == "", second, first)
    both = (first != "") & (second != "")
    joined[both] = first[both] + "; " + second[both]
    return joined


def _scopes(quantities: pd.DataFrame, protocol: CostingProtocol) -> pd.Series:
    # Each group is its own scope; the family sums its members (codes may repeat: the
    # weights then count twice, as the cost does).
    codes = sorted(quantities["group_code"].astype(str).unique())
    family = ",".join(code for code in protocol.reference_family if code)
    return pd.Series([*codes, family], index=[*codes, FAMILY])


def _region_names(regions: pd.DataFrame) -> dict[int, str]:
    if "code" not in regions.columns:
        return {}
    return {int(r): str(c) for r, c in zip(regions["region_id"], regions["code"], strict=True)}


def observed_history(region_prices: pd.DataFrame) -> pd.DataFrame:
    """Return the observed regional prices of a run, to pass as history to the next one."""
    kept = region_prices[region_prices["imputation"] == OBSERVED]
    return kept[["region_id", "item_id", "period", "item_price", "stores"]]
