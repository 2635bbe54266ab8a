"""Convert a price per package, kg, 100 g, lb, L or 100 mL to the price of an item's purchase size.

A price per weight or volume competes with packaged prices once it is the price of the
item's purchase size (1 000 g of bananas at 1,52 $/kg is 1,52 $). The factors are exact
(lb = 0.45359237 kg by the 1959 agreement). A price that cannot be converted, per kg for an
item bought by count or per L for an item bought by weight, is refused with a reason: a
density or an average weight per piece would be a guess.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

GRAMS_PER_POUND = 453.59237
# price_per -> (the base unit it is a quantity of, how many base units it is).
PRICE_BASES: dict[str, tuple[str, float]] = {
    "kg": ("g", 1000.0),
    "100g": ("g", 100.0),
    "lb": ("g", GRAMS_PER_POUND),
    "L": ("mL", 1000.0),
    "100mL": ("mL", 100.0),
}
PACKAGE = "unit"  # a price for the package the product is: scaled by its size
DIMENSION = {"g": "mass", "mL": "volume", "unit": "count"}


def purchase_size_prices(observations: pd.DataFrame) -> pd.DataFrame:
    """Return the observations with item_price (one purchase size) and refusal ("" if none).

    Args:
        observations: price, product_size, purchase_size and, optionally, price_per (unit
            when absent) and purchase_unit (g, mL or unit; needed for a price per weight or
            volume). Sizes are in the item's purchase unit.

    Returns:
        the same rows and columns plus item_price (float, NaN when refused) and refusal.
    """
    count = len(observations)
    price = observations["price"].to_numpy(dtype="float64")
    purchase = observations["purchase_size"].to_numpy(dtype="float64")
    per = _column(observations, "price_per", PACKAGE)
    unit = _column(observations, "purchase_unit", "")
    with np.errstate(invalid="ignore", divide="ignore"):
        packaged = price * purchase / observations["product_size"].to_numpy(dtype="float64")
    item_price = np.full(count, np.nan)
    refusal = np.full(count, "", dtype=object)
    is_package = per == PACKAGE
    item_price[is_package] = packaged[is_package]
    for price_per in np.unique(per[~is_package]):
        rows = per == price_per
        if price_per not in PRICE_BASES:
            refusal[rows] = f"price per {price_per!r} is not a unit prices are converted from"
            continue
        base, factor = PRICE_BASES[price_per]
        fits = rows & (unit == base)
        item_price[fits] = price[fits] * purchase[fits] / factor
        for other in np.unique(unit[rows & ~fits]):
            refusal[rows & (unit == other)] = _refusal(price_per, base, str(other))
    return observations.assign(item_price=item_price, refusal=refusal)


def conversion_text(price: float, price_per: str, purchase_size: float, purchase_unit: str) -> str:
    """Return how a price per weight or volume became an item price ("" for a package price).

    >>> conversion_text(1.52, "kg", 1000, "g")
    '1.520 $/kg x 1000 g = 1.5200 $'
    """
    if price_per not in PRICE_BASES:
        return ""
    base, factor = PRICE_BASES[price_per]
    if base != purchase_unit:
        return ""
    size = f"{purchase_size:g} {purchase_unit}"
    return f"{price:.3f} $/{price_per} x {size} = {price * purchase_size / factor:.4f} $"


def refusal_counts(judged: pd.DataFrame) -> dict[str, int]:
    """Return how many prices each refusal reason left out (judged: a refusal column)."""
    if "refusal" not in judged.columns:
        return {}
    refused = judged.loc[judged["refusal"] != "", "refusal"]
    return {str(reason): int(count) for reason, count in refused.value_counts().items()}


def _column(frame: pd.DataFrame, name: str, default: str) -> np.ndarray:
    """Return a text column as an array, the default where absent or empty."""
    if name not in frame.columns:
        return np.full(len(frame), default, dtype=object)
    values = frame[name].fillna(default).astype(str).to_numpy(dtype=object)
    values[values == ""] = default
    return values


def _refusal(price_per: str, base: str, purchase_unit: str) -> str:
    """Say why a price per weight or volume cannot price an item bought in another unit."""
    if not purchase_unit:
        return f"priced per {price_per} but the item's purchase unit is unknown"
    bought = DIMENSION.get(purchase_unit, purchase_unit)
    return (
        f"priced per {price_per} ({DIMENSION[base]}) but the item is bought by {bought} "
        f"({purchase_unit}): converting would need a guessed "
        + ("weight per piece" if bought == "count" else "density")
    )
