"""Choose, per store, item and month, the product whose price stands for the basket item."""

from __future__ import annotations

import pandas as pd


def choose_products(observations: pd.DataFrame) -> pd.DataFrame:
    """Return, per store, item and period, the product with the lowest purchase-size price.

    Args:
        observations: store_id, item_id, period, store_product_id, price, product_size,
            purchase_size (sizes in the item's purchase unit).

    Returns:
        store_id, item_id, period, store_product_id, price, item_price, candidates
        (the number of distinct qualifying products). Ties go to the lower product id.
    """
    normalised = observations.assign(
        item_price=observations["price"]
        * observations["purchase_size"]
        / observations["product_size"]
    )
    keys = ["store_id", "item_id", "period"]
    candidates = normalised.groupby(keys)["store_product_id"].nunique().rename("candidates")
    best = (
        normalised.sort_values([*keys, "item_price", "store_product_id"])
        .drop_duplicates(keys)
        .merge(candidates.reset_index(), on=keys)
    )
    columns = [*keys, "store_product_id", "price", "item_price", "candidates"]
    return best[columns].sort_values(keys, ignore_index=True)
