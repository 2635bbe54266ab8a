"""What collectors bring in: runs, store products, price observations and product matches."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.models.base import money_field, quantity_field, timestamp_field, utc_now

PRICE_KINDS = ("regular", "sale", "member")
PRICE_PER = ("unit", "kg", "L")


class CollectionRun(SQLModel, table=True):
    """One crawl or import: when it ran, what it counted and how it ended."""

    id: int | None = Field(default=None, primary_key=True)
    spider: str = Field(max_length=64, index=True)
    started_at: datetime = timestamp_field(default_factory=utc_now)
    finished_at: datetime | None = timestamp_field(default=None)
    items_seen: int = 0
    items_stored: int = 0
    duplicates: int = 0
    quarantined: int = 0
    outcome: str = Field(default="running", max_length=16)  # running, succeeded, failed
    message: str | None = Field(default=None, max_length=2000)


class StoreProduct(SQLModel, table=True):
    """A product as a chain sells it, identified by the chain's SKU or the GTIN."""

    __table_args__ = (UniqueConstraint("chain", "sku"),)

    id: int | None = Field(default=None, primary_key=True)
    chain: str = Field(max_length=64)
    sku: str = Field(max_length=64)
    gtin: str | None = Field(default=None, max_length=14, index=True)
    name: str = Field(max_length=300)
    brand: str | None = Field(default=None, max_length=120)
    size: Decimal | None = quantity_field(default=None)
    size_unit: str | None = Field(default=None, max_length=8)  # g, mL or unit


class PriceObservation(SQLModel, table=True):
    """One price seen for one product in one store, with where it came from."""

    # The researchers' API filters on products (an item) and stores (a region) over a time
    # range: one index answers that query without reading other rows (migration 0014).
    __table_args__ = (
        Index(
            "ix_priceobservation_product_store_observed",
            "store_product_id",
            "store_id",
            "observed_at",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True)
    store_product_id: int = Field(foreign_key="storeproduct.id", index=True)
    # The crawl or the file import that brought the price in (the other one is empty).
    run_id: int | None = Field(default=None, foreign_key="collectionrun.id")
    import_id: int | None = Field(default=None, foreign_key="dataimport.id")
    price: Decimal = money_field()
    currency: str = Field(default="CAD", max_length=3)
    price_per: str = Field(default="unit", max_length=4)
    price_kind: str = Field(default="regular", max_length=8)
    multibuy_quantity: int = 1
    available: bool = True
    observed_at: datetime = timestamp_field(index=True)
    collected_at: datetime = timestamp_field(default_factory=utc_now)
    source_url: str = Field(max_length=1000)
    collector: str = Field(max_length=64)
    method: str = Field(max_length=16)  # json-ld, api, html, survey, import
    raw_price_text: str = Field(max_length=500)
    # Same store, product, day, kind and price gives the same hash: one observation.
    content_hash: str = Field(max_length=64, unique=True)
    # Not indexed, nor are run_id and import_id: nearly every row is "ok", nothing looks rows
    # up by run, and each index slows the bulk inserts of importers and crawls.
    status: str = Field(default="ok", max_length=16)  # ok, quarantined, duplicate, outlier
    # A duplicate repeats this observation (same store, product, price, day; another source).
    duplicate_of: int | None = Field(default=None, foreign_key="priceobservation.id")
    # An outlier's comparable median, per purchase size, at the last costing that judged it.
    judged_median: Decimal | None = money_field(default=None)


class ProductMatch(SQLModel, table=True):
    """A link from a store product to the basket item it can stand for."""

    __table_args__ = (UniqueConstraint("store_product_id", "item_id"),)

    id: int | None = Field(default=None, primary_key=True)
    store_product_id: int = Field(foreign_key="storeproduct.id", index=True)
    item_id: int = Field(foreign_key="basketitem.id", index=True)
    method: str = Field(max_length=16)  # rule, fuzzy, manual
    status: str = Field(default="approved", max_length=16)  # approved, suggested, rejected
    score: float | None = None
    decided_at: datetime = timestamp_field(default_factory=utc_now)
