"""Readers of product-to-item matching: products still undecided, the review queue."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from core.models import (
    BasketItem,
    ProductMatch,
    StoreProduct,
)
from core.queries.frames import read_frame


def unmatched_products_frame(session: Session, version_id: int) -> pd.DataFrame:
    """Return product_id, name, size, size_unit of products with no decision for this basket."""
    decided = (
        select(ProductMatch.store_product_id)
        .join(BasketItem, BasketItem.id == ProductMatch.item_id)
        .where(BasketItem.version_id == version_id)
    )
    statement = select(
        StoreProduct.id, StoreProduct.name, StoreProduct.size, StoreProduct.size_unit
    ).where(StoreProduct.id.not_in(decided))
    frame = read_frame(session, statement, ["product_id", "name", "size", "size_unit"])
    frame["size"] = pd.to_numeric(frame["size"], errors="coerce").astype("float64")
    return frame


def review_queue_frame(session: Session, status: str = "suggested") -> pd.DataFrame:
    """Return the matches in a status, best score first.

    Returns:
        match_id, chain, sku, product, size, size_unit, item_code, item_name, score, method.
    """
    statement = (
        select(
            ProductMatch.id,
            StoreProduct.chain,
            StoreProduct.sku,
            StoreProduct.name,
            StoreProduct.size,
            StoreProduct.size_unit,
            BasketItem.code,
            BasketItem.name_fr,
            ProductMatch.score,
            ProductMatch.method,
        )
        .join(StoreProduct, StoreProduct.id == ProductMatch.store_product_id)
        .join(BasketItem, BasketItem.id == ProductMatch.item_id)
        .where(ProductMatch.status == status)
        .order_by(ProductMatch.score.desc(), ProductMatch.id)
    )
    columns = ["match_id", "chain", "sku", "product", "size", "size_unit", "item_code",
               "item_name", "score", "method"]  # fmt: skip
    return read_frame(session, statement, columns)
