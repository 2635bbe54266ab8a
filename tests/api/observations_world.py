"""A small world of public observations for the /v1/observations tests, with each row also
kept as a plain dict so that a test computes what a filter should return without SQL."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from factories import make_match, make_observation, make_product, make_store, shipped_region
from sqlmodel import select

from core.basket_definitions import ensure_reference_basket
from core.db import session_scope
from core.models import BasketItem

STATUSES = ("ok", "ok", "ok", "outlier", "duplicate")
METHODS = ("survey", "api", "html")


def build_world(url: str, rows: int = 48, seed: int = 7) -> list[dict[str, Any]]:
    """Add 4 stores (two in Lachine, one in Mercier-Est, one in Montréal-Est), three products
    (two matched to basket items, one unmatched) and `rows` varied observations; return the
    observations as dicts with the region, chain, item, category of each."""
    draw = random.Random(seed)
    with session_scope(url) as session:
        version = ensure_reference_basket(session)
        items = list(
            session.exec(
                select(BasketItem)
                .where(BasketItem.version_id == version.id)
                .order_by(BasketItem.id)
            ).all()
        )
        first, second = items[0], next(i for i in items if i.category != items[0].category)
        stores = []
        for code, region, chain in (
            ("la-1", "lachine", "iga"),
            ("la-2", "lachine", "metro"),
            ("me-1", "mercier-est", "iga"),
            ("mx-1", "montreal-est", "maxi"),
        ):
            stores.append(
                (
                    make_store(
                        session,
                        code=code,
                        chain=chain,
                        region_id=shipped_region(session, region).id,
                    ),
                    region,
                )
            )
        products = []
        for item in (first, second, None):
            product = make_product(session, name=item.name_fr if item else "Gomme")
            if item is not None:
                assert item.id is not None
                make_match(session, product, item.id)
            products.append((product, item))
        expected = []
        start = datetime(2025, 1, 3, 12, tzinfo=UTC)
        for n in range(rows):
            (store, region), (product, item) = draw.choice(stores), draw.choice(products)
            price = Decimal(draw.randint(50, 1500)) / 100
            observed = start + timedelta(days=draw.randint(0, 500))
            row = make_observation(
                session,
                store,
                product,
                price=price,
                observed_at=observed,
                status=STATUSES[n % len(STATUSES)],
                method=METHODS[n % len(METHODS)],
                price_per="kg" if n % 4 == 0 else "unit",
            )
            expected.append(
                {
                    "id": row.id,
                    "store": store.code,
                    "chain": store.chain,
                    "region": region,
                    "product_id": product.id,
                    "item": item.code if item else None,
                    "category": item.category if item else None,
                    "price": price,
                    "observed_at": observed,
                    "status": row.status,
                    "method": row.method,
                    "price_per": row.price_per,
                }
            )
        session.commit()
    return expected
