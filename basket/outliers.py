"""Flag outlier observations before costing, kept but not used (the Open Prices rule)."""

from __future__ import annotations

import pandas as pd

from basket.protocol import NFB, CostingProtocol

# Prices of the same item in the same period, normalised to the purchase size, are comparable.
COMPARABLE = ["item_id", "period"]


def normalised_prices(observations: pd.DataFrame) -> pd.DataFrame:
    """Return the observations with item_price, the price of one purchase size.

    Args:
        observations: store_id, item_id, period, price (of the package), product_size,
            purchase_size (both in the item's unit); other columns are kept.

    Returns:
        the same rows and columns, plus item_price (float).
    """
    return observations.assign(
        item_price=observations["price"].to_numpy()
        * observations["purchase_size"].to_numpy()
        / observations["product_size"].to_numpy()
    )


def flag_outliers(priced: pd.DataFrame, protocol: CostingProtocol = NFB) -> pd.DataFrame:
    """Return the rows with an `outlier` flag: over ratio x or under 1/ratio of the median.

    The median is over comparable prices (same item and period); with fewer than
    `outlier_minimum_prices` of them nothing is flagged, as Open Prices does.

    Args:
        priced: item_id, period, item_price (from normalised_prices); other columns kept.

    Returns:
        the same rows and columns, plus outlier (bool).
    """
    grouped = priced.groupby(COMPARABLE, observed=True, sort=False)["item_price"]
    median = grouped.transform("median").to_numpy()
    count = grouped.transform("size").to_numpy()
    price = priced["item_price"].to_numpy()
    ratio = protocol.outlier_ratio
    outlier = (count >= protocol.outlier_minimum_prices) & (
        (price > ratio * median) | (price < median / ratio)
    )
    return priced.assign(outlier=outlier)
