"""Readers of the price observations the engine costs: usable, matched, one pass."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from sqlalchemy import Float, cast, or_, select
from sqlmodel import Session

from core.models import (
    BasketItem,
    PriceObservation,
    ProductMatch,
    StoreProduct,
)
from core.observations.gate import DEFAULT_BOUNDS, PriceBounds
from core.queries.frames import read_driver_frame, read_frame, utc_month

logger = logging.getLogger(__name__)
# How many skipped observation ids a warning names; the count says how many more.
NAMED_IDS = 20


def believable_prices(
    frame: pd.DataFrame, id_column: str, bounds: PriceBounds = DEFAULT_BOUNDS
) -> pd.DataFrame:
    """Return the rows whose per-unit price is finite and within bounds; warn of the others.

    Prices stored before the price gate (Inf from a 400-digit text, NaN, 0, 10 million) would
    crash or skew the engine: they are skipped, and the warning names their observation ids.
    """
    price = frame["price"].to_numpy(dtype="float64")
    per = (
        frame["price_per"].astype(str).to_numpy()
        if "price_per" in frame.columns
        else np.full(len(frame), "unit", dtype=object)
    )
    kept = np.zeros(len(frame), dtype=bool)
    # Each unit a price is given for has its own bounds (core/observations/gate.py).
    for unit in np.unique(per):
        low, high = bounds.of(str(unit))
        rows = per == unit
        with np.errstate(invalid="ignore"):
            kept[rows] = np.isfinite(price[rows]) & (price[rows] >= float(low))
            kept[rows] &= price[rows] <= float(high)
    if kept.all():
        return frame
    skipped = frame.loc[~kept, id_column].tolist()
    named = ", ".join(str(value) for value in skipped[:NAMED_IDS])
    more = f" and {len(skipped) - NAMED_IDS} more" if len(skipped) > NAMED_IDS else ""
    logger.warning(
        "skipped %d stored prices not finite or outside their bounds: observation ids %s%s",
        len(skipped), named, more,
    )  # fmt: skip
    return frame[kept].reset_index(drop=True)


def engine_observations_frame(
    session: Session, version_id: int, bounds: PriceBounds = DEFAULT_BOUNDS
) -> pd.DataFrame:
    """Return every usable observation of any price kind, for the engine.

    Usable: status ok (or outlier, to be judged again), in stock, CAD, matched (approved)
    to an item of this basket version, a believable price (believable_prices). Prices per
    kg or L come too: the engine converts them to the purchase size (basket/units.py),
    chooses the price kinds and flags outliers itself.

    Returns:
        observation_id, store_id, item_id, price, product_size, purchase_size (floats),
        price_kind, period (YYYY-MM, UTC), price_per, purchase_unit.
    """
    matched = read_frame(
        session,
        select(
            ProductMatch.store_product_id,
            ProductMatch.item_id,
            StoreProduct.size,
            BasketItem.purchase_size,
            BasketItem.purchase_unit,
        )
        .join(StoreProduct, StoreProduct.id == ProductMatch.store_product_id)
        .join(BasketItem, BasketItem.id == ProductMatch.item_id)
        .where(BasketItem.version_id == version_id, ProductMatch.status == "approved"),
        ["store_product_id", "item_id", "product_size", "purchase_size", "purchase_unit"],
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
            PriceObservation.price_per,
        ).where(
            # Outliers are judged anew at each costing (core/observations/flags.py).
            # An IN list would be an expanding parameter the driver-level read cannot take.
            or_(PriceObservation.status == "ok", PriceObservation.status == "outlier"),
            PriceObservation.available.is_(True),
            PriceObservation.currency == "CAD",
        ),
        ["observation_id", "store_id", "store_product_id", "period", "price", "price_kind",
         "price_per"],
    )  # fmt: skip
    observations = observations.astype({"price": "float64", "store_product_id": "int64"})
    observations = believable_prices(observations, "observation_id", bounds)
    matched = matched.astype({"store_product_id": "int64"})
    frame = observations.merge(matched, on="store_product_id", how="inner")
    columns = ["observation_id", "store_id", "item_id", "price", "product_size"]
    columns = [*columns, "purchase_size", "price_kind", "period", "price_per", "purchase_unit"]
    return frame[columns].reset_index(drop=True)


def priced_products_frame(
    session: Session,
    version_id: int,
    price_kinds: tuple[str, ...] = ("regular",),
    bounds: PriceBounds = DEFAULT_BOUNDS,
) -> pd.DataFrame:
    """Return usable observations with the basket item and product each one prices.

    Usable: status ok, in stock, in CAD, of the given kinds, with a product whose approved
    match links it to an item of this basket version, a believable price; per package, kg
    or L (basket/choice.py converts).

    Returns:
        store_id, item_id, period, store_product_id, price, product_size, purchase_size,
        price_per, purchase_unit.
    """
    statement = (
        select(
            PriceObservation.id,
            PriceObservation.store_id,
            ProductMatch.item_id,
            PriceObservation.observed_at,
            PriceObservation.store_product_id,
            # As a float in SQL: a Decimal built from a bad stored value (Inf, text) would raise.
            cast(PriceObservation.price, Float),
            StoreProduct.size,
            BasketItem.purchase_size,
            PriceObservation.price_per,
            BasketItem.purchase_unit,
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
            PriceObservation.price_kind.in_(price_kinds),
        )
    )
    columns = ["observation_id", "store_id", "item_id", "observed_at", "store_product_id",
               "price", "product_size", "purchase_size", "price_per", "purchase_unit"]  # fmt: skip
    frame = read_frame(session, statement, columns)
    frame["price"] = pd.to_numeric(frame["price"]).astype("float64")
    frame = believable_prices(frame, "observation_id", bounds)
    frame["period"] = pd.to_datetime(frame["observed_at"], utc=True).dt.strftime("%Y-%m")
    for column in ("price", "product_size", "purchase_size"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame[["store_id", "item_id", "period", "store_product_id", "price", "product_size",
                  "purchase_size", "price_per", "purchase_unit"]]  # fmt: skip
