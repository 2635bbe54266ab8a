"""An item's price in a store and period: the lowest usable price, per purchase size."""

from __future__ import annotations

import numpy as np
import pandas as pd

from basket.protocol import NFB, CostingProtocol

STORE_PRICE_KEYS = ["store_id", "item_id", "period"]


def usable_observations(flagged: pd.DataFrame, protocol: CostingProtocol = NFB) -> pd.DataFrame:
    """Return the observations costing may use: converted, not outliers, of the protocol's kinds.

    Args:
        flagged: item_price, outlier and, optionally, price_kind (regular when absent) and
            refusal (basket/units.py: a price that could not be converted to the purchase size).

    Returns:
        the usable rows, columns unchanged.
    """
    keep = ~flagged["outlier"].to_numpy() & np.isfinite(flagged["item_price"].to_numpy())
    if "refusal" in flagged.columns:
        keep &= (flagged["refusal"].fillna("") == "").to_numpy()
    if "price_kind" in flagged.columns:
        keep &= flagged["price_kind"].isin(protocol.price_kinds).to_numpy()
    elif "regular" not in protocol.price_kinds:
        keep &= False
    return flagged[keep]


def lowest_price_per_store(usable: pd.DataFrame) -> pd.DataFrame:
    """Return the lowest purchase-size price of each item in each store and period.

    Args:
        usable: store_id, item_id, period, item_price and, optionally, observation_id
            (kept for lineage: the observation that gave the lowest price).

    Returns:
        store_id, item_id, period, item_price [, observation_id], sorted by the keys.
    """
    if "observation_id" in usable.columns:
        # Sorting by price keeps, per key, the observation behind the lowest price.
        ordered = usable.sort_values([*STORE_PRICE_KEYS, "item_price", "observation_id"])
        lowest = ordered.drop_duplicates(STORE_PRICE_KEYS)
        columns = [*STORE_PRICE_KEYS, "item_price", "observation_id"]
        return lowest[columns].reset_index(drop=True)
    return (
        usable.groupby(STORE_PRICE_KEYS, observed=True, sort=True, as_index=False)
        .agg(item_price=("item_price", "min"))
        .reset_index(drop=True)
    )
