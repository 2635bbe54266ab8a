"""Explain a regional figure down to the stores, observations and imputations it used."""

from __future__ import annotations

import pandas as pd

from basket.units import conversion_text

LINEAGE_COLUMNS = [
    "item_id",
    "region_price",
    "imputation",
    "source_region_id",
    "source_period",
    "store_id",
    "store_price",
    "observation_id",
]


def explain_region(
    region_prices: pd.DataFrame, store_prices: pd.DataFrame, store_regions: pd.DataFrame
) -> pd.DataFrame:
    """Return, per item of a region and period, the store prices its price rests on.

    An imputed price points at the region and period it was observed in; the store prices
    listed are those of that source, so every figure leads back to observations.

    Args:
        region_prices: item_id, item_price, imputation, source_region_id, source_period
            (one region and period).
        store_prices: store_id, item_id, period, item_price, observation_id (eligible
            stores, every period needed).
        store_regions: store_id, region_id.

    Returns:
        LINEAGE_COLUMNS; one row per item and contributing store (no store when missing).
    """
    sources = region_prices.rename(columns={"item_price": "region_price"})
    in_regions = store_prices.merge(store_regions, on="store_id").rename(
        columns={
            "region_id": "source_region_id",
            "period": "source_period",
            "item_price": "store_price",
        }
    )
    merged = sources.merge(
        in_regions, on=["item_id", "source_region_id", "source_period"], how="left"
    )
    return (
        merged[LINEAGE_COLUMNS]
        .sort_values(["item_id", "store_id"], ignore_index=True)
        .astype({"store_id": "Int64", "observation_id": "Int64"})
    )


def with_conversions(lineage: pd.DataFrame) -> pd.DataFrame:
    """Return the lineage with `conversion`: how a price per kg or L became the store price.

    Args:
        lineage: rows with price (as observed), price_per, purchase_size and purchase_unit
            (the item's); rows without an observation get "".

    Returns:
        the same rows plus conversion ("" for a package price).
    """
    notes = [
        ""
        if pd.isna(price) or pd.isna(per)
        else conversion_text(float(price), str(per), float(size), str(unit))
        for price, per, size, unit in zip(
            lineage["price"].tolist(),
            lineage["price_per"].tolist(),
            lineage["purchase_size"].tolist(),
            lineage["purchase_unit"].tolist(),
            strict=True,
        )
    ]
    return lineage.assign(conversion=notes)
