"""Choose, per store, item and month, the product whose price stands for the basket item."""

from __future__ import annotations

import numpy as np
import pandas as pd

from basket.units import purchase_size_prices


def choose_products(observations: pd.DataFrame) -> pd.DataFrame:
    """Return, per store, item and period, the product with the lowest purchase-size price.

    Args:
        observations: store_id, item_id, period, store_product_id, price, product_size,
            purchase_size (sizes in the item's purchase unit), optional price_per and
            purchase_unit: a price per kg or L competes once converted (basket/units.py);
            one that cannot be converted is left out.

    Returns:
        store_id, item_id, period, store_product_id, price, item_price, candidates
        (the number of distinct qualifying products). Ties go to the lower product id.
    """
    converted = purchase_size_prices(observations)
    normalised = converted[np.isfinite(converted["item_price"].to_numpy())]
    keys = ["store_id", "item_id", "period"]
    candidates = normalised.groupby(keys)["store_product_id"].nunique().rename("candidates")
    best = (
        normalised.sort_values([*keys, "item_price", "store_product_id"])
        .drop_duplicates(keys)
        .merge(candidates.reset_index(), on=keys)
    )
    columns = [*keys, "store_product_id", "price", "item_price", "candidates"]
    return best[columns].sort_values(keys, ignore_index=True)
