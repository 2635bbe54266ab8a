"""The plain item every spider yields: one price seen for one product in one store."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class PriceItem:
    """A price as read from a page, with the store, the product and where it came from.

    Values stay as read (strings); the pipelines normalise, validate and store them.
    """

    store_code: str | None = None
    chain: str | None = None
    banner: str | None = None
    store_name: str | None = None
    region_code: str | None = None
    address: str | None = None
    postal_code: str | None = None
    store_kind: str | None = None
    sku: str | None = None
    gtin: str | None = None
    product_name: str | None = None
    brand: str | None = None
    size: str | None = None
    size_unit: str | None = None
    price: str | None = None
    currency: str | None = None
    price_per: str = "unit"  # unit, kg or L
    price_kind: str = "regular"  # regular, sale or member
    multibuy_quantity: int = 1
    available: bool = True
    observed_at: str | None = None  # ISO-8601, UTC
    source_url: str | None = None
    collector: str | None = None
    method: str = "json-ld"
    raw_price_text: str | None = None
    # Machine numbers (JSON-LD, API fields) are read strictly; display text by the normaliser.
    price_is_decimal: bool = False
    # The source's own numeric price, checked against what the normaliser read from the text.
    stated_amount: str | None = None
    # Package text as shown: a size ("4 l", "0.605 KG"), or a size and unit price
    # ("4 l, $0.17/100ml") whose unit price is cross-checked when check_unit_price is set.
    package_text: str | None = None
    check_unit_price: bool = False
    # The source record as received, kept with the item if it is quarantined.
    raw_payload: str | None = None
