"""Fill missing regional prices: carry forward up to K periods, then the parent's, flagged."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from basket.periods import labels_at, period_positions, period_range
from basket.protocol import NFB, CostingProtocol
from basket.regional import region_depths

# How each regional price was obtained, as stored and shown in lineage.
OBSERVED, CARRIED_FORWARD, PARENT, MISSING = "observed", "carried_forward", "parent", "missing"
IMPUTATION_KINDS = (OBSERVED, CARRIED_FORWARD, PARENT, MISSING)


def impute_region_prices(
    region_prices: pd.DataFrame,
    regions: pd.DataFrame,
    protocol: CostingProtocol = NFB,
    periods: list[str] | None = None,
    categorical_periods: bool = False,
) -> pd.DataFrame:
    """Return a price for every region, item and period, saying how each was obtained.

    A missing price is carried forward from the same region for up to
    `carry_forward_periods` periods, then taken from the parent region (itself possibly
    imputed) when `parent_fallback` is set; what remains is missing.

    Args:
        region_prices: region_id, item_id, period, item_price, stores (observed prices).
        regions: region_id, parent_id (None at the top) of every region to cost.
        periods: the periods to cover, in order; by default every period from the first to
            the last one priced, gaps included.
        categorical_periods: the period column as a categorical of `periods` rather than
            text: several times faster to join and sort on.

    Returns:
        region_id, item_id, period, item_price (NaN when missing), stores, imputation
        (observed, carried_forward, parent, missing), imputed (bool), source_region_id,
        source_period (where the price was observed; -1 and "" when missing).
    """
    periods = periods if periods is not None else period_range(region_prices["period"])
    region_ids = regions["region_id"].astype("int64").to_numpy()
    item_ids = np.sort(region_prices["item_id"].unique().astype("int64"))
    shape = (len(region_ids), len(item_ids), len(periods))
    price = np.full(shape, np.nan)
    stores = np.zeros(shape, dtype="int64")
    known = region_prices[
        region_prices["region_id"].isin(region_ids) & region_prices["period"].isin(periods)
    ]
    r = pd.Index(region_ids).get_indexer(pd.Index(known["region_id"]))
    i = pd.Index(item_ids).get_indexer(pd.Index(known["item_id"]))
    t = period_positions(known["period"], periods)
    price[r, i, t] = known["item_price"].to_numpy()
    stores[r, i, t] = known["stores"].to_numpy()
    kind = np.where(np.isnan(price), 3, 0).astype("int8")  # codes into IMPUTATION_KINDS
    source_region = np.where(kind == 0, np.arange(len(region_ids))[:, None, None], -1)
    source_period = np.where(kind == 0, np.arange(len(periods))[None, None, :], -1)

    # Carry forward: walk the periods, remembering each series' last observed price.
    last_price = np.full(shape[:2], np.nan)
    last_period = np.full(shape[:2], -1)
    for step in range(len(periods)):
        seen = kind[:, :, step] == 0
        last_price = np.where(seen, price[:, :, step], last_price)
        last_period = np.where(seen, step, last_period)
        fill = ~seen & (last_period >= 0) & (step - last_period <= protocol.carry_forward_periods)
        price[:, :, step][fill] = last_price[fill]
        kind[:, :, step][fill] = 1
        source_region[:, :, step][fill] = np.broadcast_to(
            np.arange(len(region_ids))[:, None], shape[:2]
        )[fill]
        source_period[:, :, step][fill] = last_period[fill]

    if protocol.parent_fallback:
        # Parents first, so a child can inherit a price its parent itself imputed.
        depths = region_depths(regions)
        position = {int(region): n for n, region in enumerate(region_ids)}
        for depth in sorted(set(depths.values()) - {0}):
            for n, region in enumerate(region_ids):
                parent = regions["parent_id"].iloc[n]
                if depths[int(region)] != depth or pd.isna(parent):
                    continue
                p = position[int(parent)]
                fill = (kind[n] == 3) & (kind[p] != 3)
                price[n][fill] = price[p][fill]
                kind[n][fill] = 2
                source_region[n][fill] = source_region[p][fill]
                source_period[n][fill] = source_period[p][fill]

    src_region = source_region.ravel()
    src_period = source_period.ravel()
    # Text columns taken from their few labels by position: converting hundreds of
    # thousands of Python strings one by one was the slow part of the grid.
    each_period = np.tile(np.arange(len(periods)), len(region_ids) * len(item_ids))
    # The grid in region, item, period order: the C order of the arrays above.
    return pd.DataFrame(
        {
            "region_id": np.repeat(region_ids, len(item_ids) * len(periods)),
            "item_id": np.tile(np.repeat(item_ids, len(periods)), len(region_ids)),
            "period": (
                pd.Categorical.from_codes(each_period, pd.Index(periods, dtype="str"))
                if categorical_periods
                else _labels(periods, each_period)
            ),
            "item_price": price.ravel(),
            "stores": stores.ravel(),
            "imputation": _labels(IMPUTATION_KINDS, kind.ravel()),
            "imputed": np.isin(kind.ravel(), (1, 2)),
            "source_region_id": np.where(src_region >= 0, region_ids[src_region], -1),
            "source_period": _labels([*periods, ""], src_period),
        }
    )


def _labels(labels: Sequence[str], positions: np.ndarray) -> pd.Series:
    """Return the text column of labels[position] (position -1: the last label)."""
    positions = np.where(positions < 0, len(labels) - 1, positions)
    return labels_at(labels, positions)
