"""Write observation rows: resolve their regions, stores and products (cached), then insert."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func, select, tuple_
from sqlalchemy.engine import Connection

from core.errors import RegionNotFound
from core.models import PriceObservation, Region, Store, StoreProduct
from core.observations.bulk import insert_tuples
from core.observations.duplicates import keep_repeats
from core.observations.rows import OBSERVATION_COLUMNS, PRODUCT_COLUMNS, ObservationRows
from core.regions import ELSEWHERE, unknown_region_message

OBSERVATIONS: Table = PriceObservation.__table__  # type: ignore[attr-defined]
PRODUCTS: Table = StoreProduct.__table__  # type: ignore[attr-defined]
STORES: Table = Store.__table__  # type: ignore[attr-defined]
REGIONS: Table = Region.__table__  # type: ignore[attr-defined]
STORE_COLUMNS = ("code", "chain", "banner", "name", "region_id", "address", "postal_code", "kind")
# Caches are cleared past this size so memory stays bounded on files of millions of rows.
CACHE_LIMIT = 200_000


@dataclass
class WriteCounts:
    """What one write did: observations stored, and those repeating one already there.

    ``duplicates`` counts every repeat (same hash); of them, ``marked`` are repeats from
    another source, kept with status duplicate and a link (core/observations/duplicates.py).
    """

    stored: int = 0
    duplicates: int = 0
    marked: int = 0


class ObservationWriter:
    """The one writer of price observations, for crawls and imports alike.

    It keeps the ids of the stores and products it has seen. The caller owns the transaction;
    after rolling one back it calls forget(), since ids learnt inside it may not exist.
    With ``refresh_details`` (a crawl reads the live site), the first sight of a store or a
    product also updates its name, address, size...; otherwise existing rows are kept as are.
    """

    def __init__(self, *, refresh_details: bool = False, cache_limit: int = CACHE_LIMIT) -> None:
        self.refresh_details = refresh_details
        self.cache_limit = cache_limit
        self._regions: dict[str, int] = {}
        self._stores: dict[str, int] = {}
        self._products: dict[tuple[str, str], int] = {}

    def write(self, connection: Connection, batch: ObservationRows) -> WriteCounts:
        """Insert the batch's observations, skipping those whose content hash is stored."""
        if not batch.rows:
            return WriteCounts()
        store_ids = self.store_ids(connection, batch)
        product_ids = self.product_ids(connection, batch)
        rows = [(store_ids[row[0]], product_ids[row[1]], *row[2:]) for row in batch.rows]
        stored = insert_tuples(
            connection, OBSERVATIONS, OBSERVATION_COLUMNS, rows, ("content_hash",)
        )
        marked = keep_repeats(connection, rows) if stored < len(rows) else 0
        return WriteCounts(stored, len(rows) - stored, marked)

    def forget(self) -> None:
        """Drop every cached id (after a rolled-back transaction)."""
        self._regions.clear()
        self._stores.clear()
        self._products.clear()

    def region_id(self, connection: Connection, code: str) -> int:
        """Return the id of a region by code; the `elsewhere` bucket is created on first need.

        Raises:
            RegionNotFound: the code is not in the region table (the message names it).
        """
        if not self._regions:
            self._regions = {
                c: int(i) for c, i in connection.execute(select(REGIONS.c.code, REGIONS.c.id))
            }
        if code not in self._regions and code == ELSEWHERE[0]:
            row = (code, ELSEWHERE[1], "province", None)
            insert_tuples(
                connection, REGIONS, ("code", "name", "level", "parent_id"), [row], ("code",)
            )
            found = connection.execute(select(REGIONS.c.id).where(REGIONS.c.code == code)).scalar()
            self._regions[code] = int(found)  # type: ignore[arg-type]
        if code not in self._regions:
            raise RegionNotFound(unknown_region_message(code))
        return self._regions[code]

    def store_ids(self, connection: Connection, batch: ObservationRows) -> dict[str, int]:
        """Return the ids of the batch's stores by code, creating those never seen."""
        known = {code: self._stores[code] for code in batch.stores if code in self._stores}
        missing = [store for code, store in batch.stores.items() if code not in known]
        if not missing:
            return known
        rows = [
            (
                store.code[:64],
                store.chain[:64],
                (store.banner or store.chain)[:64],
                store.name[:200],
                self.region_id(connection, store.region_code),
                store.address,
                store.postal_code,
                store.kind or "regular",
            )
            for store in missing
        ]
        insert_tuples(connection, STORES, STORE_COLUMNS, rows, ("code",))
        if self.refresh_details:
            marker = _marker(connection)
            connection.exec_driver_sql(
                f"UPDATE store SET chain = {marker}, banner = {marker}, name = {marker},"
                f" region_id = {marker}, address = COALESCE({marker}, address),"
                f" postal_code = COALESCE({marker}, postal_code), kind = COALESCE({marker}, kind)"
                f" WHERE code = {marker}",
                [(*row[1:7], store.kind, row[0]) for row, store in zip(rows, missing, strict=True)],
            )
        codes = [store.code[:64] for store in missing]
        found = {
            code: int(store_id)
            for code, store_id in connection.execute(
                select(STORES.c.code, STORES.c.id).where(STORES.c.code.in_(codes))
            )
        }
        ids = {**known, **{store.code: found[store.code[:64]] for store in missing}}
        self._remember(self._stores, ids)
        return ids

    def product_ids(
        self, connection: Connection, batch: ObservationRows
    ) -> dict[tuple[str, str], int]:
        """Return the ids of the batch's products by (chain, sku), creating those never seen."""
        cache = self._products
        known = {key: cache[key] for key in batch.products if key in cache}
        missing = {key: row for key, row in batch.products.items() if key not in known}
        if not missing:
            return known
        # The (chain, sku) as stored, cut to the column widths, to find each product again.
        stored = {row[:2]: key for key, row in missing.items()}
        before = connection.execute(select(func.max(PRODUCTS.c.id))).scalar() or 0
        insert_tuples(
            connection, PRODUCTS, PRODUCT_COLUMNS, list(missing.values()), ("chain", "sku")
        )
        if self.refresh_details:
            marker = _marker(connection)
            connection.exec_driver_sql(
                f"UPDATE storeproduct SET name = {marker}, gtin = COALESCE({marker}, gtin),"
                f" brand = COALESCE({marker}, brand), size = COALESCE({marker}, size),"
                f" size_unit = COALESCE({marker}, size_unit)"
                f" WHERE chain = {marker} AND sku = {marker}",
                [
                    (row[3], row[2], row[4], row[5], row[6], row[0], row[1])
                    for row in missing.values()
                ],
            )
        ids = {**known, **_new_ids(connection, PRODUCTS, ("chain", "sku"), stored, before)}
        self._remember(cache, ids)
        return ids

    def product_id(self, key: tuple[str, str]) -> int:
        """Return the id of a product this writer has resolved."""
        return self._products[key]

    def _remember(self, cache: dict[Any, int], batch_ids: dict[Any, int]) -> None:
        # Cleared past its limit, the cache keeps at least the current batch's ids.
        if len(cache) + len(batch_ids) > self.cache_limit:
            cache.clear()
        cache.update(batch_ids)


def _marker(connection: Connection) -> str:
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


def _new_ids(
    connection: Connection,
    table: Table,
    columns: tuple[str, ...],
    wanted: dict[Any, Any],
    before: int,
) -> dict[Any, int]:
    """Return the ids of rows just inserted or already there, by their key as given.

    ``wanted`` maps each row's key columns (as stored) to the key the caller uses. Rows this
    transaction inserted have ids above ``before``: one range read, no parameters per row.
    Those that were already there are read by key, in chunks.
    """
    key_columns = [table.c[name] for name in columns]
    found: dict[Any, int] = {}
    for *key, row_id in connection.execute(
        select(*key_columns, table.c.id).where(table.c.id > before)
    ):
        caller_key = wanted.get(tuple(key))
        if caller_key is not None:
            found[caller_key] = int(row_id)
    rest = [key for key, caller_key in wanted.items() if caller_key not in found]
    chunk = 900 // len(columns)
    for start in range(0, len(rest), chunk):
        for *key, row_id in connection.execute(
            select(*key_columns, table.c.id).where(
                tuple_(*key_columns).in_(rest[start : start + chunk])
            )
        ):
            found[wanted[tuple(key)]] = int(row_id)
    return found
