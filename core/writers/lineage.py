"""Write the lineage of computed costs: store prices, region prices, chosen products."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from sqlalchemy import delete
from sqlmodel import Session

from core.models import (
    ChosenProduct,
    ItemRegionPrice,
    ItemStorePrice,
)
from core.models.base import utc_now
from core.money import to_money, to_money_or_none
from core.writers.columns import insert_columns, integers_or_none


def replace_lineage(
    session: Session, version_id: int, store_prices: pd.DataFrame, region_prices: pd.DataFrame
) -> None:
    """Replace the stored store and region prices of the periods in the frames.

    Args:
        store_prices: store_id, item_id, period, item_price, observation_id.
        region_prices: the imputed grid (region_id, item_id, period, item_price, stores,
            imputation, source_region_id, source_period).
    """
    for model, frame in ((ItemStorePrice, store_prices), (ItemRegionPrice, region_prices)):
        periods = sorted(frame["period"].astype(str).unique().tolist())
        session.execute(
            delete(model).where(model.version_id == version_id, model.period.in_(periods))
        )
    # Column by column, with the conversions done once per column rather than once per row.
    insert_columns(
        session,
        ItemStorePrice.__table__,
        {
            "version_id": [version_id] * len(store_prices),
            "store_id": store_prices["store_id"].astype("int64").tolist(),
            "item_id": store_prices["item_id"].astype("int64").tolist(),
            "period": store_prices["period"].astype(str).tolist(),
            "price": [to_money(price) for price in store_prices["item_price"].tolist()],
            "observation_id": integers_or_none(store_prices["observation_id"]),
        },
    )
    source_period = region_prices["source_period"].astype(object)
    insert_columns(
        session,
        ItemRegionPrice.__table__,
        {
            "version_id": [version_id] * len(region_prices),
            "region_id": region_prices["region_id"].astype("int64").tolist(),
            "item_id": region_prices["item_id"].astype("int64").tolist(),
            "period": region_prices["period"].astype(str).tolist(),
            "price": [to_money_or_none(price) for price in region_prices["item_price"].tolist()],
            "stores": region_prices["stores"].astype("int64").tolist(),
            "imputation": region_prices["imputation"].astype(str).tolist(),
            "source_region_id": integers_or_none(region_prices["source_region_id"]),
            "source_period": [
                None if pd.isna(value) or not str(value) else str(value)
                for value in source_period.tolist()
            ],
        },
    )
    session.flush()


def replace_chosen_products(session: Session, version_id: int, chosen: pd.DataFrame) -> int:
    """Replace the recorded product choices of this version for the periods in the frame.

    Args:
        chosen: store_id, item_id, period, store_product_id, price, item_price, candidates.
    """
    periods = sorted(chosen["period"].unique().tolist())
    session.execute(
        delete(ChosenProduct).where(
            ChosenProduct.version_id == version_id, ChosenProduct.period.in_(periods)
        )
    )
    thousandth = Decimal("0.001")
    insert_columns(
        session,
        ChosenProduct.__table__,
        {
            "version_id": [version_id] * len(chosen),
            "store_id": chosen["store_id"].astype("int64").tolist(),
            "item_id": chosen["item_id"].astype("int64").tolist(),
            "period": chosen["period"].astype(str).tolist(),
            "store_product_id": chosen["store_product_id"].astype("int64").tolist(),
            "price": [Decimal(repr(v)).quantize(thousandth) for v in chosen["price"].tolist()],
            "item_price": [
                Decimal(repr(v)).quantize(thousandth) for v in chosen["item_price"].tolist()
            ],
            "candidates": chosen["candidates"].astype("int64").tolist(),
            "chosen_at": [utc_now()] * len(chosen),
        },
    )
    session.flush()
    return len(chosen)
