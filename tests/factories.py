"""Rows for tests: plain functions with defaults that add one object to a session and flush.

Each `make_*` takes the session, then keyword overrides of any column; unique columns get a
fresh value per call, so a test names only what it checks. The caller commits.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlmodel import Session, select

from core.basket_definitions import ensure_reference_basket
from core.db import session_scope
from core.models import (
    BasketCost,
    BasketItem,
    BasketVersion,
    PriceObservation,
    ProductMatch,
    Region,
    Store,
    StoreProduct,
)
from core.regions import ensure_regions, region_by_code

_numbers = itertools.count(1)
Row = TypeVar("Row")


def _added(session: Session, row: Row) -> Row:
    session.add(row)
    session.flush()
    return row


def shipped_region(session: Session, code: str = "lachine") -> Region:
    """Return a region of the shipped hierarchy, loading the hierarchy first if needed."""
    ensure_regions(session)
    return region_by_code(session, code)


def make_region(session: Session, **overrides: Any) -> Region:
    """Add a region outside the shipped hierarchy (a city with no parent by default)."""
    number = next(_numbers)
    values: dict[str, Any] = {"code": f"city-{number}", "name": f"City {number}", "level": "city"}
    return _added(session, Region(**{**values, **overrides}))


def make_basket_version(session: Session, **overrides: Any) -> BasketVersion:
    """Add an empty basket version."""
    values: dict[str, Any] = {"code": f"test-v{next(_numbers)}", "name": "Test basket"}
    return _added(session, BasketVersion(**{"source": "tests", **values, **overrides}))


def make_store(session: Session, **overrides: Any) -> Store:
    """Add a store, in Lachine (shipped regions loaded) unless `region_id` is given."""
    values: dict[str, Any] = {
        "code": f"store-{next(_numbers)}",
        "chain": "IGA",
        "banner": "IGA",
        "name": "IGA Lachine",
    }
    if "region_id" not in overrides:
        values["region_id"] = shipped_region(session, "lachine").id
    return _added(session, Store(**{**values, **overrides}))


def make_product(session: Session, **overrides: Any) -> StoreProduct:
    """Add a store product (no size unless given)."""
    number = next(_numbers)
    values: dict[str, Any] = {"chain": "c", "sku": f"sku-{number}", "name": f"produit {number}"}
    return _added(session, StoreProduct(**{**values, **overrides}))


def make_match(
    session: Session, product: StoreProduct, item_id: int, **overrides: Any
) -> ProductMatch:
    """Match a store product to a basket item (a manual, approved match by default)."""
    values: dict[str, Any] = {"store_product_id": product.id, "item_id": item_id}
    return _added(session, ProductMatch(**{"method": "manual", **values, **overrides}))


def make_observation(
    session: Session, store: Store, product: StoreProduct, **overrides: Any
) -> PriceObservation:
    """Add a surveyed regular price of $4.00 on 2026-01-05; the raw text follows the price."""
    price = Decimal(overrides.pop("price", Decimal("4.00")))
    values: dict[str, Any] = {
        "store_id": store.id,
        "store_product_id": product.id,
        "price": price,
        "observed_at": datetime(2026, 1, 5, tzinfo=UTC),
        "source_url": "https://example.test",
        "collector": "test",
        "method": "survey",
        "raw_price_text": str(price),
        "content_hash": f"observation-{next(_numbers)}",
    }
    return _added(session, PriceObservation(**{**values, **overrides}))


def make_basket_cost(
    session: Session, version: BasketVersion, region: Region, **overrides: Any
) -> BasketCost:
    """Add a family cost; the monthly cost is 4.33 weeks of the weekly one unless given."""
    weekly = Decimal(overrides.pop("weekly_cost", Decimal("250.00")))
    values: dict[str, Any] = {
        "version_id": version.id,
        "region_id": region.id,
        "period": "2026-01",
        "scope": "family",
        "weekly_cost": weekly,
        "monthly_cost": (weekly * Decimal("4.33")).quantize(Decimal("0.01")),
        "stores_priced": 3,
        "items_priced": 60,
        "items_total": 64,
    }
    return _added(session, BasketCost(**{**values, **overrides}))


# The shelf prices of seed_two_stores_in_lachine, before its monthly changes.
TWO_STORE_PRICES = {"s1": Decimal("4.00"), "s2": Decimal("5.00")}


def seed_two_stores_in_lachine(db_url: str) -> None:
    """Two stores in Lachine price two reference items for 2026-01 to 2026-10; October jumps.

    A price is the store's shelf price plus 0 to 2 cents by month, times 1.6 in October.
    """
    with session_scope(db_url) as session:
        lachine = shipped_region(session, "lachine")
        version = ensure_reference_basket(session)
        items = list(
            session.exec(select(BasketItem).where(BasketItem.version_id == version.id)).all()
        )[:2]
        stores = [
            make_store(session, code=code, chain="c", banner="b", name=code, region_id=lachine.id)
            for code in TWO_STORE_PRICES
        ]
        for n, item in enumerate(items):
            product = make_product(
                session,
                sku=f"sku{n}",
                name=item.name_fr,
                size=item.purchase_size,
                size_unit=item.purchase_unit,
            )
            assert item.id is not None
            make_match(session, product, item.id)
            for store in stores:
                for month in range(1, 11):
                    price = TWO_STORE_PRICES[store.code]
                    price *= Decimal("1.6") if month == 10 else Decimal(1)
                    make_observation(
                        session,
                        store,
                        product,
                        price=price + Decimal(month % 3) / 100,
                        observed_at=datetime(2026, month, 5, tzinfo=UTC),
                        content_hash=f"{store.code}{n}{month}",
                    )
        session.commit()
