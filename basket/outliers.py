"""Flag outlier observations before costing, kept but not used (the Open Prices rule)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from basket.protocol import NFB, CostingProtocol
from basket.units import purchase_size_prices

# Prices of the same item in the same period, normalised to the purchase size, are comparable.
COMPARABLE = ["item_id", "period"]


def normalised_prices(observations: pd.DataFrame) -> pd.DataFrame:
    """Return the observations with item_price, the price of one purchase size, and refusal.

    Args:
        observations: store_id, item_id, period, price (of the package, or per price_per),
            product_size, purchase_size (both in the item's unit), optional price_per and
            purchase_unit (basket/units.py); other columns are kept.

    Returns:
        the same rows and columns, plus item_price (float; NaN when the price cannot be
        converted) and refusal (why not, "" when converted).
    """
    return purchase_size_prices(observations)


def flag_outliers(priced: pd.DataFrame, protocol: CostingProtocol = NFB) -> pd.DataFrame:
    """Return the rows with an `outlier` flag: over ratio x or under 1/ratio of the median.

    The median is over comparable prices (same item and period, converted to the purchase
    size, so a price per kg is judged against packaged prices); with fewer than
    `outlier_minimum_prices` of them nothing is flagged, as Open Prices does.

    Args:
        priced: item_id, period, item_price (from normalised_prices); other columns kept.

    Returns:
        the same rows and columns, plus outlier (bool) and judged_median (the median each
        row was compared with; NaN when too few comparable prices to judge).
    """
    grouped = priced.groupby(COMPARABLE, observed=True, sort=False)["item_price"]
    median = grouped.transform("median").to_numpy()
    # A price refused by the unit conversion (NaN) is not counted among the comparable ones.
    count = grouped.transform("count").to_numpy()
    price = priced["item_price"].to_numpy()
    ratio = protocol.outlier_ratio
    outlier = (count >= protocol.outlier_minimum_prices) & (
        (price > ratio * median) | (price < median / ratio)
    )
    judged = np.where(count >= protocol.outlier_minimum_prices, median, np.nan)
    return priced.assign(outlier=outlier, judged_median=judged)


def judged_observations(flagged: pd.DataFrame) -> pd.DataFrame:
    """Return what to write back: observation_id, outlier, judged_median, refusal.

    Args:
        flagged: flag_outliers' result; without observation_id nothing can be written back.
    """
    columns = ["observation_id", "outlier", "judged_median", "refusal"]
    if "observation_id" not in flagged.columns:
        return pd.DataFrame(columns=columns)
    if "refusal" not in flagged.columns:
        flagged = flagged.assign(refusal="")
    return flagged[columns].reset_index(drop=True)
