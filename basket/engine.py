"""The whole costing protocol, from price observations to stored-ready costs and lineage."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from basket.group_costs import group_weekly_costs
from basket.households import household_weekly_costs
from basket.imputation import OBSERVED, impute_region_prices
from basket.outliers import flag_outliers, judged_observations, normalised_prices
from basket.periods import period_range, to_periods
from basket.presets import preset
from basket.protocol import NFB, CostingProtocol
from basket.regional import eligible_store_prices, region_store_counts, regional_item_prices
from basket.store_prices import lowest_price_per_store, usable_observations

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
]
FAMILY = "family"


@dataclass(frozen=True)
class EngineInputs:
    """The frames the engine reads (core/queries.py builds them from the database).

    observations: store_id, item_id, period (YYYY-MM), price, product_size, purchase_size,
        optional price_kind and observation_id.
    stores: store_id, kind.
    store_regions: store_id, region_id (a store under its region and every one above).
    regions: region_id, parent_id.
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
    observations = inputs.observations
    if protocol.frequency == "quarter":
        observations = observations.assign(
            period=to_periods(observations["period"].astype(str), "quarter")
        )
    flagged = flag_outliers(normalised_prices(observations), protocol)
    store_prices = lowest_price_per_store(usable_observations(flagged, protocol))
    eligible = eligible_store_prices(store_prices, inputs.stores, protocol)
    observed = regional_item_prices(eligible, inputs.store_regions, protocol)
    new_periods = period_range(observed["period"].astype(str))
    if history is not None and not history.empty:
        earlier = history[~history["period"].isin(new_periods)]
        observed = pd.concat([earlier[observed.columns], observed], ignore_index=True)
    regions = costed_regions(inputs.store_regions, inputs.stores, inputs.regions, protocol)
    region_prices = impute_region_prices(observed, regions, protocol)
    region_prices = region_prices[region_prices["period"].isin(new_periods)]
    costs = publishable_costs(
        region_prices,
        inputs.quantities,
        region_store_counts(eligible, inputs.store_regions, protocol),
        protocol,
        inputs.items_total,
    )
    return EngineResult(
        store_prices=store_prices,
        region_prices=region_prices.reset_index(drop=True),
        costs=costs,
        outliers=int(flagged["outlier"].sum()),
        judged=judged_observations(flagged),
    )


def publishable_costs(
    region_prices: pd.DataFrame,
    quantities: pd.DataFrame,
    store_counts: pd.DataFrame,
    protocol: CostingProtocol,
    items_total: int,
) -> pd.DataFrame:
    """Return group and reference-family costs with coverage, status and warnings.

    Args:
        region_prices: the imputed grid.
        store_counts: region_id, period, stores_priced, status, warning.

    Returns:
        COST_COLUMNS; withheld figures have NaN costs.
    """
    groups = group_weekly_costs(region_prices, quantities)
    family_codes = [code for code in protocol.reference_family if code]
    family = household_weekly_costs(groups, family_codes, protocol.size_factors)
    items = groups[["region_id", "period", "items_priced"]].drop_duplicates()
    family = family.merge(items, on=["region_id", "period"]).assign(group_code=FAMILY)
    costs = pd.concat([groups, family.drop(columns="size_factor")], ignore_index=True).rename(
        columns={"group_code": "scope"}
    )
    costs = costs.merge(store_counts, on=["region_id", "period"], how="left")
    costs = costs.fillna({"stores_priced": 0, "status": "", "warning": ""})
    # A region priced only through imputation has no store of its own: below any minimum.
    none = costs["status"] == ""
    label = "warning" if protocol.below_minimum == "warn" else "withheld"
    costs.loc[none, "status"] = label
    costs.loc[none, "warning"] = "no store priced in this region: every price is imputed"
    weekly = costs["weekly_cost"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(weekly > 0, costs["imputed_cost"].to_numpy() / weekly, 0.0)
    withheld = (costs["status"] == "withheld").to_numpy()
    weekly = np.where(withheld, np.nan, weekly)
    costs = costs.assign(
        weekly_cost=weekly,
        monthly_cost=weekly * preset(protocol.preset).monthly_per_week,
        imputed_share=share,
        stores_priced=costs["stores_priced"].astype("int64"),
        items_total=items_total,
        preset=protocol.preset,
    )
    return costs[COST_COLUMNS].sort_values(["region_id", "period", "scope"], ignore_index=True)


def observed_history(region_prices: pd.DataFrame) -> pd.DataFrame:
    """Return the observed regional prices of a run, to pass as history to the next one."""
    kept = region_prices[region_prices["imputation"] == OBSERVED]
    return kept[["region_id", "item_id", "period", "item_price", "stores"]]
