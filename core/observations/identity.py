"""What makes two price observations one: the content-hash recipe every writer uses."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

CENT = Decimal("0.01")
# priceobservation.price keeps three decimals: a price is its value at that precision.
MILL = Decimal("0.001")


@lru_cache(maxsize=65536)
def canonical_price(value: Decimal | str) -> str:
    """Return a price as one text: "3.49", "3.490" and Decimal("3.49") all give "3.49".

    Three decimals at most, as stored; two unless the third carries information (3.495 per kg).
    """
    amount = Decimal(value).quantize(MILL, rounding=ROUND_HALF_UP)
    cents = amount.quantize(CENT)
    return f"{cents if cents == amount else amount:f}"


@lru_cache(maxsize=4096)
def utc_day(moment: datetime) -> str:
    """Return the UTC day of an aware time as YYYY-MM-DD."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: times must carry a time zone")
    return moment.astimezone(UTC).date().isoformat()


def content_hash(
    store_code: str,
    chain: str,
    sku: str,
    observed_at: datetime,
    price_kind: str,
    price: Decimal | str,
    currency: str,
    price_per: str,
    available: bool,
) -> str:
    """Return the hash that makes the same store, product, UTC day, kind and price one row.

    A crawl and an import of the same price give the same hash, so the second is a duplicate.
    """
    key = "|".join(
        (
            store_code,
            chain,
            sku,
            utc_day(observed_at),
            price_kind,
            canonical_price(price),
            currency,
            price_per,
            "1" if available else "0",
        )
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
