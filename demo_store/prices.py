"""Demo shelf prices: a pure function of store, product, month and seed."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from core.errors import InvalidInput, NotFound
from demo_store.catalog import CENT, products_by_sku, stable_digest
from demo_store.stores import store_by_code

FIRST_PERIOD = "2024-01"
# Discount banners sell about 7 % below regular supermarkets.
KIND_PRICE_FACTOR = {"discount": 0.93, "regular": 1.0}
ANNUAL_INFLATION = 0.03
MONTHLY_DRIFT = 0.03
SALE_SHARE = 0.10
OUT_OF_STOCK_SHARE = 0.04


@dataclass(frozen=True)
class DemoOffer:
    """What one store asks for one product in one month."""

    regular_price: Decimal
    sale_price: Decimal | None
    available: bool


def parse_period(period: str) -> date:
    """Return the first day of a YYYY-MM period.

    Raises:
        InvalidInput: the text is not a YYYY-MM month.
    """
    try:
        return datetime.strptime(period, "%Y-%m").date()
    except ValueError:
        raise InvalidInput(f"period {period!r} is not a YYYY-MM month") from None


def periods_until(today: date | None = None) -> list[str]:
    """Return every period the demo site serves, from 2024-01 to the current month."""
    today = today or datetime.now(UTC).date()
    first = parse_period(FIRST_PERIOD)
    months = (today.year - first.year) * 12 + today.month - first.month
    return [f"{first.year + (first.month - 1 + i) // 12}-{(first.month - 1 + i) % 12 + 1:02d}"
            for i in range(months + 1)]  # fmt: skip


def _shelf_price(value: float) -> Decimal:
    # Grocers price at .x9: round to the dime, then take a cent off.
    return max(Decimal(str(round(value, 1))) - CENT, Decimal("0.49")).quantize(CENT)


def offer_for(store_code: str, sku: str, period: str, seed: int) -> DemoOffer:
    """Return the offer of a store for a product in a month, the same on every call.

    Raises:
        NotFound: the store or the SKU is not in the demo site.
        InvalidInput: the period is not a YYYY-MM month.
    """
    store = store_by_code(store_code)
    product = products_by_sku(seed).get(sku)
    if product is None:
        raise NotFound(f"unknown demo product {sku!r}")
    month = parse_period(period)
    start = parse_period(FIRST_PERIOD)
    months_since_start = (month.year - start.year) * 12 + month.month - start.month
    store_factor = random.Random(stable_digest("store", seed, store_code)).uniform(0.97, 1.03)
    rng = random.Random(stable_digest("offer", seed, store_code, sku, period))
    value = (
        float(product.base_price)
        * KIND_PRICE_FACTOR[store.kind]
        * store_factor
        * (1 + ANNUAL_INFLATION) ** (months_since_start / 12)
        * (1 + rng.uniform(-MONTHLY_DRIFT, MONTHLY_DRIFT))
    )
    regular = _shelf_price(value)
    available = rng.random() >= OUT_OF_STOCK_SHARE
    on_sale = rng.random() < SALE_SHARE
    discount = rng.uniform(0.15, 0.35)
    sale = _shelf_price(value * (1 - discount)) if available and on_sale else None
    if sale is not None and sale >= regular:
        sale = None
    return DemoOffer(regular_price=regular, sale_price=sale, available=available)
