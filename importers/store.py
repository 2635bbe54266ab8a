"""Database writes of the importers: one transaction per batch, duplicates skipped by hash."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func, select, tuple_, update
from sqlalchemy.engine import Connection, Engine

from core.errors import InvalidInput
from core.models import (
    BasketItem,
    BasketVersion,
    DataImport,
    ObservationSource,
    PriceObservation,
    ProductMatch,
    ReferenceSeries,
    ReferenceValue,
    RefusedRow,
    Region,
    Store,
    StoreProduct,
)
from core.models.base import utc_now
from importers.batches import (
    HASH_AT,
    OBSERVATION_COLUMNS,
    PRODUCT_COLUMNS,
    Batch,
    PreparedPrices,
)
from importers.inserts import insert_or_skip, insert_tuples
from importers.records import ReferenceRow, Refusal, StoreRef

OBSERVATIONS: Table = PriceObservation.__table__  # type: ignore[attr-defined]
SOURCES: Table = ObservationSource.__table__  # type: ignore[attr-defined]
PRODUCTS: Table = StoreProduct.__table__  # type: ignore[attr-defined]
STORES: Table = Store.__table__  # type: ignore[attr-defined]
MATCHES: Table = ProductMatch.__table__  # type: ignore[attr-defined]
REFUSED: Table = RefusedRow.__table__  # type: ignore[attr-defined]
SERIES: Table = ReferenceSeries.__table__  # type: ignore[attr-defined]
VALUES: Table = ReferenceValue.__table__  # type: ignore[attr-defined]
IMPORTS: Table = DataImport.__table__  # type: ignore[attr-defined]
REGIONS: Table = Region.__table__  # type: ignore[attr-defined]

# Stores no region of ours contains (an Open Prices shop in Grenoble) are filed here.
ELSEWHERE = ("elsewhere", "Hors des régions suivies / Outside the regions followed")
# Caches are cleared past this size so memory stays bounded on files of millions of rows.
CACHE_LIMIT = 200_000


@dataclass
class BatchCounts:
    """What one batch did."""

    imported: int = 0
    duplicates: int = 0
    refused: int = 0


class ImportStore:
    """Write an import's batches; each call to write_batch is one transaction."""

    def __init__(self, engine: Engine, import_id: int, source_file: str, kind: str) -> None:
        self.engine = engine
        self.kind = kind
        self.import_id = import_id
        self.source_file = source_file
        self._stores: dict[str, int] = {}
        self._products: dict[tuple[str, str], int] = {}
        self._regions: dict[str, int] = {}
        self._series: dict[tuple[str, str, str, str], int] = {}
        self._items: dict[str, int] | None = None

    def write_batch(self, batch: Batch) -> BatchCounts:
        """Write one batch and the import's running counts, all in one transaction."""
        counts = BatchCounts(refused=len(batch.refusals))
        with self.engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                # With WAL, NORMAL still leaves every committed batch whole if the process
                # is killed; only a power cut may lose the last batches, never half of one.
                connection.exec_driver_sql("PRAGMA synchronous=NORMAL")
                connection.exec_driver_sql("PRAGMA wal_autocheckpoint=20000")
            if batch.prices.rows:
                imported, duplicates = self._write_prices(connection, batch.prices)
                counts.imported += imported
                counts.duplicates += duplicates
            if batch.references:
                imported, duplicates = self._write_references(connection, batch.references)
                counts.imported += imported
                counts.duplicates += duplicates
            self._write_refusals(connection, batch.refusals)
            connection.execute(
                update(IMPORTS)
                .where(IMPORTS.c.id == self.import_id)
                .values(
                    rows_read=batch.rows_read,
                    rows_imported=IMPORTS.c.rows_imported + counts.imported,
                    duplicates=IMPORTS.c.duplicates + counts.duplicates,
                    rows_refused=IMPORTS.c.rows_refused + counts.refused,
                )
            )
        return counts

    def _write_prices(self, connection: Connection, prices: PreparedPrices) -> tuple[int, int]:
        store_ids = self._store_ids(connection, prices.stores)
        product_ids = self._product_ids(connection, prices.products)
        new_sources = prices.sources
        if new_sources:
            # Provenance goes with new observations only: a price a crawl or another file
            # already stored is not this file's. Plain CSV rows have none and skip this read.
            existing = self._existing_hashes(connection, [row[HASH_AT] for row in prices.rows])
            new_sources = [row for row in new_sources if row["content_hash"] not in existing]
        observations = [(store_ids[row[0]], product_ids[row[1]], *row[2:]) for row in prices.rows]
        imported = insert_tuples(
            connection, OBSERVATIONS, OBSERVATION_COLUMNS, observations, ("content_hash",)
        )
        insert_or_skip(connection, SOURCES, new_sources, ["content_hash"])
        self._write_survey_matches(connection, prices.matches, product_ids)
        return imported, len(observations) - imported

    @staticmethod
    def _existing_hashes(connection: Connection, hashes: list[str]) -> set[str]:
        return set(
            connection.execute(
                select(OBSERVATIONS.c.content_hash).where(OBSERVATIONS.c.content_hash.in_(hashes))
            ).scalars()
        )

    def _write_survey_matches(
        self,
        connection: Connection,
        matches: set[tuple[str, str, str]],
        product_ids: dict[tuple[str, str], int],
    ) -> None:
        # A surveyor priced this product for this item: the match is a decision, not a guess.
        if not matches:
            return
        items = self.item_ids(connection)
        rows = [
            {
                "store_product_id": product_ids[(chain, sku)],
                "item_id": items[code],
                "method": "survey",
                "status": "approved",
                "score": None,
                "decided_at": utc_now(),
            }
            for chain, sku, code in sorted(matches)
            if code in items
        ]
        insert_or_skip(connection, MATCHES, rows, ["store_product_id", "item_id"])

    def item_ids(self, connection: Connection) -> dict[str, int]:
        """Return the newest basket version's item ids by code."""
        if self._items is None:
            version_id = connection.execute(
                select(func.max(BasketVersion.id))  # type: ignore[arg-type]
            ).scalar()
            rows = connection.execute(
                select(BasketItem.code, BasketItem.id).where(  # type: ignore[call-overload]
                    BasketItem.version_id == version_id
                )
            ).all()
            self._items = {code: item_id for code, item_id in rows}
        return self._items

    def _region_id(self, connection: Connection, code: str) -> int:
        if code not in self._regions:
            region_id = connection.execute(
                select(REGIONS.c.id).where(REGIONS.c.code == code)
            ).scalar()
            if region_id is None and code == ELSEWHERE[0]:
                insert_or_skip(
                    connection,
                    REGIONS,
                    [{"code": code, "name": ELSEWHERE[1], "level": "province", "parent_id": None}],
                    ["code"],
                )
                region_id = connection.execute(
                    select(REGIONS.c.id).where(REGIONS.c.code == code)
                ).scalar()
            if region_id is None:
                raise InvalidInput(f"unknown region {code!r} (run `ppne db upgrade` first?)")
            self._regions[code] = int(region_id)
        return self._regions[code]

    def _store_ids(self, connection: Connection, stores: dict[str, StoreRef]) -> dict[str, int]:
        missing = {code: store for code, store in stores.items() if code not in self._stores}
        if missing:
            insert_or_skip(
                connection,
                STORES,
                [
                    {
                        "code": store.code[:64],
                        "chain": store.chain[:64],
                        "banner": (store.banner or store.chain)[:64],
                        "name": store.name[:200],
                        "region_id": self._region_id(connection, store.region_code),
                        "address": store.address,
                        "postal_code": store.postal_code,
                        "kind": store.kind,
                    }
                    for store in missing.values()
                ],
                ["code"],
            )
            found = connection.execute(
                select(STORES.c.code, STORES.c.id).where(STORES.c.code.in_(list(missing)))
            ).all()
            self._remember(self._stores, {code: int(store_id) for code, store_id in found})
        return self._stores

    def _product_ids(
        self, connection: Connection, products: dict[tuple[str, str], tuple[Any, ...]]
    ) -> dict[tuple[str, str], int]:
        missing = {key: row for key, row in products.items() if key not in self._products}
        if missing:
            # The (chain, sku) as stored, cut to the column widths, to find each product again.
            stored = {row[:2]: key for key, row in missing.items()}
            before = connection.execute(select(func.max(PRODUCTS.c.id))).scalar() or 0
            insert_tuples(
                connection, PRODUCTS, PRODUCT_COLUMNS, list(missing.values()), ("chain", "sku")
            )
            found = self._new_ids(connection, PRODUCTS, ("chain", "sku"), stored, before)
            self._remember(self._products, found)
        return self._products

    @staticmethod
    def _new_ids(
        connection: Connection,
        table: Table,
        columns: tuple[str, ...],
        wanted: dict[Any, Any],
        before: int,
    ) -> dict[Any, int]:
        """Return the ids of rows just inserted or already there, by their key as given.

        ``wanted`` maps each row's key columns (as stored) to the key the caller uses. Rows
        this transaction inserted have ids above ``before``: one range read, no parameters per
        row. Those that were already there are read by key, in chunks.
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

    @staticmethod
    def _remember(cache: dict[Any, int], found: dict[Any, int]) -> None:
        if len(cache) + len(found) > CACHE_LIMIT:
            cache.clear()
        cache.update(found)

    def _write_references(
        self, connection: Connection, rows: Sequence[ReferenceRow]
    ) -> tuple[int, int]:
        series_ids = self._series_ids(connection, rows)
        by_key: dict[tuple[int, str], ReferenceRow] = {}
        for row in rows:
            by_key.setdefault((series_ids[row.series_key()], row.period), row)
        existing = set(
            connection.execute(
                select(VALUES.c.series_id, VALUES.c.period).where(
                    VALUES.c.series_id.in_(sorted({key[0] for key in by_key})),
                    VALUES.c.period.in_(sorted({key[1] for key in by_key})),
                )
            ).all()
        )
        fresh = [
            {
                "series_id": series_id,
                "period": period,
                "value": row.value,
                "status": row.status,
                "symbol": row.symbol,
                "import_id": self.import_id,
            }
            for (series_id, period), row in by_key.items()
            if (series_id, period) not in existing
        ]
        insert_or_skip(connection, VALUES, fresh, ["series_id", "period"])
        return len(fresh), len(rows) - len(fresh)

    def _series_ids(
        self, connection: Connection, rows: Sequence[ReferenceRow]
    ) -> dict[tuple[str, str, str, str], int]:
        missing = {row.series_key(): row for row in rows if row.series_key() not in self._series}
        if missing:
            insert_or_skip(
                connection,
                SERIES,
                [
                    {
                        "source": "statcan",
                        "table_id": row.table_id,
                        "kind": row.kind,
                        "method": "statcan",
                        "region": row.region,
                        "product": row.product,
                        "uom": row.uom,
                        "vector": row.vector,
                        "coordinate": row.coordinate,
                        "size": row.size,
                        "size_unit": row.size_unit,
                        "price_per": row.price_per,
                        "item_code": row.item_code,
                    }
                    for row in missing.values()
                ],
                ["table_id", "region", "product", "uom"],
            )
            tables = sorted({key[0] for key in missing})
            found = connection.execute(
                select(
                    SERIES.c.table_id, SERIES.c.region, SERIES.c.product, SERIES.c.uom, SERIES.c.id
                ).where(SERIES.c.table_id.in_(tables))
            ).all()
            self._remember(
                self._series,
                {(t, r, p, u): int(i) for t, r, p, u, i in found if (t, r, p, u) in missing},
            )
        return self._series

    def _write_refusals(self, connection: Connection, refusals: Sequence[Refusal]) -> None:
        if not refusals:
            return
        connection.execute(
            REFUSED.insert(),
            [
                {
                    "import_id": self.import_id,
                    "sheet": refusal.sheet,
                    "row_number": refusal.row_number,
                    "column": refusal.column,
                    "reason": refusal.reason[:64],
                    "detail": refusal.detail[:1000],
                    "raw": json.dumps(refusal.raw, ensure_ascii=False, default=str),
                }
                for refusal in refusals
            ],
        )
