"""Readers of what a figure rests on: store and region prices, the observations behind them."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from core.models import (
    ItemRegionPrice,
    ItemStorePrice,
    PriceObservation,
    StoreProduct,
)
from core.queries.frames import read_frame


def region_prices_frame(
    session: Session, version_id: int, region_id: int | None = None, period: str | None = None
) -> pd.DataFrame:
    """Return stored regional item prices with how each was obtained.

    Returns:
        region_id, item_id, period, item_price, stores, imputation, source_region_id,
        source_period.
    """
    columns = [
        "region_id",
        "item_id",
        "period",
        "price",
        "stores",
        "imputation",
        "source_region_id",
        "source_period",
    ]
    statement = select(*(getattr(ItemRegionPrice, c) for c in columns)).where(
        ItemRegionPrice.version_id == version_id
    )
    if region_id is not None:
        statement = statement.where(ItemRegionPrice.region_id == region_id)
    if period is not None:
        statement = statement.where(ItemRegionPrice.period == period)
    frame = read_frame(session, statement, columns).rename(columns={"price": "item_price"})
    frame["item_price"] = pd.to_numeric(frame["item_price"]).astype("float64")
    return frame


def store_prices_frame(
    session: Session, version_id: int, period: str | None = None
) -> pd.DataFrame:
    """Return stored store prices: store_id, item_id, period, item_price, observation_id."""
    columns = ["store_id", "item_id", "period", "price", "observation_id"]
    statement = select(*(getattr(ItemStorePrice, c) for c in columns)).where(
        ItemStorePrice.version_id == version_id
    )
    if period is not None:
        statement = statement.where(ItemStorePrice.period == period)
    frame = read_frame(session, statement, columns).rename(columns={"price": "item_price"})
    frame["item_price"] = pd.to_numeric(frame["item_price"]).astype("float64")
    return frame


def observation_sources_frame(session: Session, observation_ids: list[int]) -> pd.DataFrame:
    """Return observation_id, product, price, price_kind, observed_at, source_url, method,
    price_per."""
    statement = (
        select(
            PriceObservation.id,
            StoreProduct.name,
            PriceObservation.price,
            PriceObservation.price_kind,
            PriceObservation.observed_at,
            PriceObservation.source_url,
            PriceObservation.method,
            PriceObservation.price_per,
        )
        .join(StoreProduct, StoreProduct.id == PriceObservation.store_product_id)
        .where(PriceObservation.id.in_(observation_ids))
    )
    columns = ["observation_id", "product", "price", "price_kind", "observed_at", "source_url"]
    return read_frame(session, statement, [*columns, "method", "price_per"])
