"""An item's price in a region: mean (or median) over the region's eligible stores."""

from __future__ import annotations

import numpy as np
import pandas as pd

from basket.protocol import NFB, CostingProtocol

REGION_PRICE_KEYS = ["region_id", "item_id", "period"]


def eligible_store_prices(
    store_prices: pd.DataFrame, stores: pd.DataFrame, protocol: CostingProtocol = NFB
) -> pd.DataFrame:
    """Return the store prices of stores whose kind the protocol does not exclude.

    Args:
        store_prices: store_id, item_id, period, item_price (from lowest_price_per_store).
        stores: store_id, kind (regular, discount, online, convenience, warehouse).

    Returns:
        the eligible rows, columns unchanged.
    """
    excluded = stores.loc[stores["kind"].isin(protocol.excluded_store_kinds), "store_id"]
    return store_prices[~store_prices["store_id"].isin(excluded.to_numpy())]


def _layers(store_regions: pd.DataFrame) -> list[pd.Series]:
    # Each store sits in one region per level; splitting the long store-region table into
    # layers where each store appears once turns the hierarchy into plain lookups.
    layer = store_regions.groupby("store_id", sort=False).cumcount().to_numpy()
    return [
        store_regions[layer == rank].set_index("store_id")["region_id"]
        for rank in range(int(layer.max()) + 1 if len(layer) else 0)
    ]


def _in_regions(store_prices: pd.DataFrame, store_regions: pd.DataFrame) -> pd.DataFrame:
    frames = []
    store_ids = store_prices["store_id"].to_numpy()
    for lookup in _layers(store_regions):
        region = lookup.reindex(store_ids).to_numpy()
        present = ~np.isnan(region.astype("float64"))
        frames.append(store_prices[present].assign(region_id=region[present].astype("int64")))
    if not frames:
        return store_prices.assign(region_id=pd.Series(dtype="int64"))
    return pd.concat(frames, ignore_index=True)


def regional_item_prices(
    store_prices: pd.DataFrame, store_regions: pd.DataFrame, protocol: CostingProtocol = NFB
) -> pd.DataFrame:
    """Return each item's price in every region holding stores that priced it.

    Args:
        store_prices: eligible store_id, item_id, period, item_price.
        store_regions: store_id, region_id; a store appears for its own region and for each
            region above it, so a parent's price is over all of its stores.

    Returns:
        region_id, item_id, period, item_price (mean or median), stores (count), sorted.
    """
    in_regions = _in_regions(store_prices, store_regions)
    statistic = "median" if protocol.regional_statistic == "median" else "mean"
    result = in_regions.groupby(REGION_PRICE_KEYS, observed=True, sort=True).agg(
        item_price=("item_price", statistic), stores=("store_id", "size")
    )
    return result.reset_index().astype({"stores": "int64"})


def region_store_counts(
    store_prices: pd.DataFrame, store_regions: pd.DataFrame, protocol: CostingProtocol = NFB
) -> pd.DataFrame:
    """Return how many eligible stores priced anything, per region and period, with a status.

    Below `minimum_stores` the status is "warning" or "withheld" (the protocol says which).

    Returns:
        region_id, period, stores_priced, status (ok, warning, withheld), warning (text or "").
    """
    pairs = store_prices[["store_id", "period"]].drop_duplicates()
    counts = (
        _in_regions(pairs, store_regions)
        .groupby(["region_id", "period"], observed=True, sort=True)
        .size()
        .rename("stores_priced")
        .reset_index()
    )
    few = counts["stores_priced"].to_numpy() < protocol.minimum_stores
    label = "warning" if protocol.below_minimum == "warn" else "withheld"
    text = np.where(
        few,
        "priced in "
        + counts["stores_priced"].astype(str)
        + f" stores, fewer than the minimum of {protocol.minimum_stores}",
        "",
    )
    return counts.assign(
        stores_priced=counts["stores_priced"].astype("int64"),
        status=np.where(few, label, "ok"),
        warning=text,
    )


def region_depths(regions: pd.DataFrame) -> dict[int, int]:
    """Return each region's depth in the hierarchy (0 at the top)."""
    parents = {
        int(region): (None if pd.isna(parent) else int(parent))
        for region, parent in zip(regions["region_id"], regions["parent_id"], strict=True)
    }
    depths: dict[int, int] = {}
    for region in parents:
        depth, current = 0, parents[region]
        while current is not None and current in parents:
            depth, current = depth + 1, parents[current]
        depths[region] = depth
    return depths


def region_sources(
    store_regions: pd.DataFrame,
    stores: pd.DataFrame,
    regions: pd.DataFrame,
    protocol: CostingProtocol = NFB,
) -> pd.DataFrame:
    """Return, for every region, where its prices come from and how far its stores reach.

    A region holding no eligible store takes its prices from its nearest ancestor that holds
    one; a region whose stores all lie in one of its descendants is named with the deepest
    such descendant, so a reader knows a "province" figure rests on one city's stores.

    Returns:
        region_id, stores_held (eligible stores in the region or below), source_region_id
        (the region itself, the ancestor lent from, or -1 when none holds a store),
        stores_within (the deepest region holding all its stores, when not itself; else -1).
    """
    depths = region_depths(regions)
    parents = {
        int(r): (None if pd.isna(p) else int(p))
        for r, p in zip(regions["region_id"], regions["parent_id"], strict=True)
    }
    eligible = stores.loc[~stores["kind"].isin(protocol.excluded_store_kinds), "store_id"]
    held = store_regions[store_regions["store_id"].isin(eligible)]
    held = held[held["region_id"].isin(parents)]
    gathered: dict[int, set[int]] = {}
    for region_id, store_id in zip(
        held["region_id"].tolist(), held["store_id"].tolist(), strict=True
    ):
        gathered.setdefault(int(region_id), set()).add(int(store_id))
    stores_of = {region: frozenset(found) for region, found in gathered.items()}
    rows = []
    for region in parents:
        own = stores_of.get(region, frozenset())
        source = region if own else -1
        current = parents[region]
        while source == -1 and current is not None:
            if stores_of.get(current):
                source = current
            current = parents.get(current)
        # The deepest region below this one holding exactly the same stores.
        within = -1
        if own:
            same = [r for r, s in stores_of.items() if s == own and depths[r] > depths[region]]
            if same:
                within = max(same, key=lambda r: depths[r])
        rows.append((region, len(own), source, within))
    return pd.DataFrame(
        rows, columns=["region_id", "stores_held", "source_region_id", "stores_within"]
    ).astype("int64")
