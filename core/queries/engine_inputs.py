"""Readers of the price observations the engine costs: usable, matched, one pass."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Float, cast, select
from sqlmodel import Session

from core.models import (
    BasketItem,
    PriceObservation,
    ProductMatch,
    StoreProduct,
)
from core.queries.frames import read_driver_frame, read_frame, utc_month


def engine_observations_frame(session: Session, version_id: int) -> pd.DataFrame:
    """Return every usable observation of any price kind, for the engine.

    Usable: status ok, in stock, CAD, priced per unit, matched (approved) to an item of
    this basket version. The engine chooses the price kinds and flags outliers itself.

    Returns:
        observation_id, store_id, item_id, period (YYYY-MM, UTC), price, product_size,
        purchase_size (floats), price_kind.
    """
    matched = read_frame(
        session,
        select(
            ProductMatch.store_product_id,
            ProductMatch.item_id,
            StoreProduct.size,
            BasketItem.purchase_size,
        )
        .join(StoreProduct, StoreProduct.id == ProductMatch.store_product_id)
        .join(BasketItem, BasketItem.id == ProductMatch.item_id)
        .where(BasketItem.version_id == version_id, ProductMatch.status == "approved"),
        ["store_product_id", "item_id", "product_size", "purchase_size"],
    )
    for column in ("product_size", "purchase_size"):
        matched[column] = pd.to_numeric(matched[column]).astype("float64")
    # One pass over the observations, joined to the few thousand matched products here: on
    # SQLite a join in SQL reads the table in index order, about three times slower; and the
    # driver's plain rows, with month and price computed in SQL, skip building a Decimal
    # and a datetime per row.
    observations = read_driver_frame(
        session,
        select(
            PriceObservation.id,
            PriceObservation.store_id,
            PriceObservation.store_product_id,
            utc_month(session, PriceObservation.observed_at),
            cast(PriceObservation.price, Float),
            PriceObservation.price_kind,
        ).where(
            PriceObservation.status == "ok",
            PriceObservation.available.is_(True),
            PriceObservation.currency == "CAD",
            PriceObservation.price_per == "unit",
        ),
        ["observation_id", "store_id", "store_product_id", "period", "price", "price_kind"],
    )
    observations = observations.astype({"price": "float64", "store_product_id": "int64"})
    matched = matched.astype({"store_product_id": "int64"})
    frame = observations.merge(matched, on="store_product_id", how="inner")
    columns = ["observation_id", "store_id", "item_id", "price", "product_size"]
    return frame[[*columns, "purchase_size", "price_kind", "period"]].reset_index(drop=True)


def priced_products_frame(
    session: Session, version_id: int, price_kinds: tuple[str, ...] = ("regular",)
) -> pd.DataFrame:
    """Return usable observations with the basket item and product each one prices.

    Usable: status ok, in stock, in CAD, priced per unit, of the given kinds, with a product
    whose approved match links it to an item of this basket version.

    Returns:
        store_id, item_id, period, store_product_id, price, product_size, purchase_size.
    """
    statement = (
        select(
            PriceObservation.store_id,
            ProductMatch.item_id,
            PriceObservation.observed_at,
            PriceObservation.store_product_id,
            PriceObservation.price,
            StoreProduct.size,
            BasketItem.purchase_size,
        )
        .join(StoreProduct, StoreProduct.id == PriceObservation.store_product_id)
        .join(ProductMatch, ProductMatch.store_product_id == StoreProduct.id)
        .join(BasketItem, BasketItem.id == ProductMatch.item_id)
        .where(
            BasketItem.version_id == version_id,
            ProductMatch.status == "approved",
            PriceObservation.status == "ok",
            PriceObservation.available.is_(True),
            PriceObservation.currency == "CAD",
            PriceObservation.price_per == "unit",
            PriceObservation.price_kind.in_(price_kinds),
        )
    )
    columns = ["store_id", "item_id", "observed_at", "store_product_id", "price",
               "product_size", "purchase_size"]  # fmt: skip
    frame = read_frame(session, statement, columns)
    frame["period"] = pd.to_datetime(frame["observed_at"], utc=True).dt.strftime("%Y-%m")
    for column in ("price", "product_size", "purchase_size"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame[["store_id", "item_id", "period", "store_product_id", "price", "product_size",
                  "purchase_size"]]  # fmt: skip
