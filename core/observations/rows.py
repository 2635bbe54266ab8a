"""Observation rows as the database driver stores them, with the stores and products they name."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from core.observations.gate import value_refusal
from core.observations.identity import content_hash

# The columns of the observation tuples, in order. Prepared rows hold the store code and the
# (chain, sku) of the product in the first two places; the writer swaps in their ids.
OBSERVATION_COLUMNS = (
    "store_id",
    "store_product_id",
    "run_id",
    "import_id",
    "price",
    "currency",
    "price_per",
    "price_kind",
    "multibuy_quantity",
    "available",
    "observed_at",
    "collected_at",
    "source_url",
    "collector",
    "method",
    "raw_price_text",
    "content_hash",
    "status",
)
HASH_AT = OBSERVATION_COLUMNS.index("content_hash")
# The columns of the product tuples, cut to the columns' widths.
PRODUCT_COLUMNS = ("chain", "sku", "gtin", "name", "brand", "size", "size_unit")


@dataclass(frozen=True)
class StoreFacts:
    """A store as a source names it; created on first sight under its code.

    ``kind`` None (a crawl that does not say) keeps what the store already has.
    """

    code: str
    chain: str
    name: str
    region_code: str
    banner: str = ""
    address: str | None = None
    postal_code: str | None = None
    kind: str | None = "regular"


@dataclass(frozen=True)
class ProductFacts:
    """A product as a chain sells it; the SKU is the chain's or one derived from the name."""

    chain: str
    sku: str
    name: str
    brand: str | None = None
    size: Decimal | None = None
    size_unit: str | None = None
    gtin: str | None = None


@dataclass
class ObservationRows:
    """A batch of observations as driver-ready tuples in OBSERVATION_COLUMNS order.

    Everything here is pure work on values (hashing, converting to what the driver stores), so
    an importer can prepare rows in a second process while the first one writes.
    """

    dialect: str
    run_id: int | None = None
    import_id: int | None = None
    collected_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    stores: dict[str, StoreFacts] = field(default_factory=dict)
    # By (chain, sku): the product as a tuple in PRODUCT_COLUMNS order.
    products: dict[tuple[str, str], tuple[Any, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._sqlite = self.dialect == "sqlite"
        self._collected = self.moment(self.collected_at)

    def moment(self, value: datetime) -> Any:
        """Return a time as this driver stores it."""
        return sqlite_time(value) if self._sqlite else value

    def money(self, value: Decimal) -> Any:
        """Return a number as this driver stores it (SQLite: text its NUMERIC affinity reads)."""
        return str(value) if self._sqlite else value

    def add(
        self,
        store: StoreFacts,
        product: ProductFacts,
        *,
        price: Decimal,
        observed_at: datetime,
        raw_price_text: str,
        source_url: str,
        collector: str,
        method: str,
        currency: str = "CAD",
        price_per: str = "unit",
        price_kind: str = "regular",
        multibuy_quantity: int = 1,
        available: bool = True,
    ) -> str:
        """Add one observation; return its content hash.

        Callers pass prices through the gate first (gate.price_refusal, a refused row with its
        reason); what the column cannot hold is still stopped here, never stored as Inf.
        """
        refused = value_refusal(price, positive=available)
        if refused is not None:
            raise ValueError(f"refused by the price gate: {refused}")
        product_key = (product.chain, product.sku)
        if store.code not in self.stores:
            self.stores[store.code] = store
        if product_key not in self.products:
            self.products[product_key] = self._product_values(product)
        key = content_hash(
            store.code,
            product.chain,
            product.sku,
            observed_at,
            price_kind,
            price,
            currency,
            price_per,
            available,
        )
        self.rows.append(
            (
                store.code,
                product_key,
                self.run_id,
                self.import_id,
                self.money(price),
                currency,
                price_per,
                price_kind,
                multibuy_quantity,
                available,
                self.moment(observed_at),
                self._collected,
                source_url[:1000],
                collector[:64],
                method,
                raw_price_text[:500],
                key,
                "ok",
            )
        )
        return key

    def _product_values(self, product: ProductFacts) -> tuple[Any, ...]:
        return (
            product.chain[:64],
            product.sku[:64],
            product.gtin,
            product.name[:300],
            product.brand[:120] if product.brand else None,
            None if product.size is None else self.money(product.size),
            product.size_unit,
        )

    def __len__(self) -> int:
        return len(self.rows)


@lru_cache(maxsize=4096)
def sqlite_time(value: datetime) -> str:
    """Return a time as SQLAlchemy's SQLite type stores it: UTC "YYYY-MM-DD HH:MM:SS.ffffff"."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: times must carry a time zone")
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
