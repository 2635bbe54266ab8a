"""Read an importer's rows into batches ready for the database driver, without touching it.

Everything here is pure work on the rows (checking regions, hashing, converting values to what
the driver stores), so it can run in a second process while the first one writes (worker.py).
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from core.observations import OBSERVATION_COLUMNS, ObservationRows, sqlite_time
from core.observations.gate import DEFAULT_BOUNDS, PriceBounds, price_refusal, value_refusal
from core.regions import UNKNOWN_REGION, region_refusal
from importers.records import ImportedRow, PriceRow, ReferenceRow, Refusal

if TYPE_CHECKING:
    from importers.base import Importer

__all__ = ["OBSERVATION_COLUMNS", "Batch", "PreparedPrices", "Target", "sqlite_time"]


@dataclass
class PreparedPrices:
    """Store prices as core's observation rows, with what only imports keep beside them."""

    observations: ObservationRows
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
    """What the prepared values are for: the driver's dialect, the import and its kind.

    ``regions`` holds the region codes a price may name (core.regions.accepted_region_codes);
    ``bounds`` the believable prices of the price gate (core.observations.gate).
    """

    dialect: str
    import_id: int
    kind: str
    source_file: str
    regions: frozenset[str] = frozenset()
    bounds: PriceBounds = DEFAULT_BOUNDS


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
        row = screened(row, target)
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


def screened(row: ImportedRow, target: Target) -> ImportedRow:
    """Return a price row as is, or refused when its region or its price may not be stored."""
    if not isinstance(row, PriceRow):
        return row
    if row.store.region_code not in target.regions:
        return refused_region(row, target.regions)
    refused = price_refusal(
        row.price, row.price_per, row.currency, available=row.available, bounds=target.bounds
    )
    if refused is not None:
        return Refusal(row.row_number, "price_refused", refused, _raw(row), sheet=row.sheet)
    if row.regular_price is not None:
        refused = value_refusal(row.regular_price)
        if refused is not None:
            detail = f"regular {refused}"
            return Refusal(row.row_number, "price_refused", detail, _raw(row), sheet=row.sheet)
    return row


def refused_region(row: PriceRow, accepted: frozenset[str]) -> Refusal:
    """Refuse a price whose store names a region not in the region table (core's policy)."""
    detail = region_refusal(row.store.region_code, accepted) or ""
    return Refusal(row.row_number, UNKNOWN_REGION, detail, _raw(row), sheet=row.sheet)


def _raw(row: PriceRow) -> dict[str, Any]:
    store, product = row.store, row.product
    return {
        "store": store.code,
        "region": store.region_code,
        "chain": product.chain,
        "sku": product.sku,
        "name": product.name,
        "price": row.raw_price_text,
        "observed_at": row.observed_at.isoformat(),
    }


def prepare_prices(rows: Sequence[PriceRow], target: Target) -> PreparedPrices:
    """Return the rows as core's observation rows, ids still as keys, and their provenance."""
    observations = ObservationRows(
        target.dialect, import_id=target.import_id, collected_at=datetime.now(UTC)
    )
    prepared = PreparedPrices(observations)
    collector = f"import:{target.kind}"
    add = observations.add
    for row in rows:
        store, product = row.store, row.product
        key = add(
            store,
            product,
            price=row.price,
            observed_at=row.observed_at,
            raw_price_text=row.raw_price_text,
            source_url=row.source_url,
            collector=collector,
            method="survey" if row.surveyor is not None else "import",
            currency=row.currency,
            price_per=row.price_per,
            price_kind=row.price_kind,
            multibuy_quantity=row.multibuy_quantity,
            available=row.available,
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
