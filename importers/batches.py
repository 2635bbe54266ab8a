"""Read an importer's rows into batches ready for the database driver, without touching it.

Everything here is pure work on the rows (hashing, converting values to what the driver
stores), so it can run in a second process while the first one writes (see worker.py).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from importers.records import PriceRow, ProductRef, ReferenceRow, Refusal, StoreRef

if TYPE_CHECKING:
    from importers.base import Importer

# The columns of the observation tuples the store inserts, in order. Prepared rows hold the
# store code and the (chain, sku) of the product in the first two places; the store swaps in
# their ids.
OBSERVATION_COLUMNS = (
    "store_id",
    "store_product_id",
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


@dataclass
class PreparedPrices:
    """Store prices as driver-ready tuples, with the stores and products they name."""

    rows: list[tuple[Any, ...]] = field(default_factory=list)
    stores: dict[str, StoreRef] = field(default_factory=dict)
    # By (chain, sku): the product as a tuple in PRODUCT_COLUMNS order.
    products: dict[tuple[str, str], tuple[Any, ...]] = field(default_factory=dict)
    # Provenance kept when a row says more than file and line (sheet, surveyor, regular price).
    sources: list[dict[str, Any]] = field(default_factory=list)
    # (chain, sku, item code): a surveyor priced this product for this basket item.
    matches: set[tuple[str, str, str]] = field(default_factory=set)


@dataclass
class Batch:
    """One transaction's worth of rows, and how many rows of the file were read so far."""

    prices: PreparedPrices
    references: list[ReferenceRow]
    refusals: list[Refusal]
    rows_read: int


@dataclass(frozen=True)
class Target:
    """What the prepared values are for: the driver's dialect, the import and its kind."""

    dialect: str
    import_id: int
    kind: str
    source_file: str


def read_batches(
    importer: Importer, target: Target, batch_size: int, *, refusals_only: bool = False
) -> Generator[Batch, None, None]:
    """Yield the importer's rows in prepared batches of at most ``batch_size`` rows."""
    prices: list[PriceRow] = []
    references: list[ReferenceRow] = []
    refusals: list[Refusal] = []
    rows_read = 0

    def batch() -> Batch:
        done = Batch(prepare_prices(prices, target), list(references), list(refusals), rows_read)
        prices.clear()
        references.clear()
        refusals.clear()
        return done

    for row in importer.rows():
        rows_read += 1
        if isinstance(row, Refusal):
            refusals.append(row)
        elif refusals_only:
            pass
        elif isinstance(row, PriceRow):
            prices.append(row)
        else:
            references.append(row)
        if len(prices) + len(references) + len(refusals) >= batch_size:
            yield batch()
    yield batch()


def prepare_prices(rows: Sequence[PriceRow], target: Target) -> PreparedPrices:
    """Return the rows as observation tuples in OBSERVATION_COLUMNS order, ids still as keys."""
    prepared = PreparedPrices()
    if not rows:
        return prepared
    sqlite = target.dialect == "sqlite"
    money: Callable[[Decimal], Any] = str if sqlite else _same
    moment: Callable[[datetime], Any] = sqlite_time if sqlite else _same
    collected_at = moment(datetime.now(UTC))
    collector = f"import:{target.kind}"[:64]
    stores, products = prepared.stores, prepared.products
    for row in rows:
        store, product = row.store, row.product
        product_key = (product.chain, product.sku)
        stores.setdefault(store.code, store)
        if product_key not in products:
            products[product_key] = _product_values(product, money)
        key = row.content_hash()
        prepared.rows.append(
            (
                store.code,
                product_key,
                target.import_id,
                money(row.price),
                row.currency,
                row.price_per,
                row.price_kind,
                row.multibuy_quantity,
                row.available,
                moment(row.observed_at),
                collected_at,
                row.source_url[:1000],
                collector,
                "survey" if row.surveyor is not None else "import",
                row.raw_price_text[:500],
                key,
                "ok",
            )
        )
        if row.sheet or row.surveyor or row.regular_price is not None:
            prepared.sources.append(
                {
                    "content_hash": key,
                    "import_id": target.import_id,
                    "source_file": target.source_file[:1000],
                    "sheet": row.sheet,
                    "row_number": row.row_number,
                    "surveyor": row.surveyor,
                    "brand": product.brand,
                    "regular_price": row.regular_price,
                }
            )
        if row.item_code:
            prepared.matches.add((product.chain, product.sku, row.item_code))
    return prepared


def _product_values(product: ProductRef, money: Callable[[Decimal], Any]) -> tuple[Any, ...]:
    return (
        product.chain[:64],
        product.sku[:64],
        product.gtin,
        product.name[:300],
        product.brand[:120] if product.brand else None,
        None if product.size is None else money(product.size),
        product.size_unit,
    )


def _same(value: Any) -> Any:
    # PostgreSQL's driver takes Decimal and aware datetime as they are.
    return value


@lru_cache(maxsize=4096)
def sqlite_time(value: datetime) -> str:
    """Return a time as SQLAlchemy's SQLite type stores it: UTC "YYYY-MM-DD HH:MM:SS.ffffff"."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: times must carry a time zone")
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
