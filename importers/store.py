"""Database writes of the importers: one transaction per batch, duplicates skipped by hash.

Prices go through core's observation writer, as crawled prices do; this module adds what only
imports keep: provenance, survey matches, reference series, refused rows and the counts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func, select, update
from sqlalchemy.engine import Connection, Engine

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
)
from core.models.base import utc_now
from core.observations import ObservationWriter
from core.observations.rows import HASH_AT
from core.observations.writer import CACHE_LIMIT
from importers.batches import Batch, PreparedPrices
from importers.inserts import insert_or_skip
from importers.records import ReferenceRow, Refusal

OBSERVATIONS: Table = PriceObservation.__table__  # type: ignore[attr-defined]
SOURCES: Table = ObservationSource.__table__  # type: ignore[attr-defined]
MATCHES: Table = ProductMatch.__table__  # type: ignore[attr-defined]
REFUSED: Table = RefusedRow.__table__  # type: ignore[attr-defined]
SERIES: Table = ReferenceSeries.__table__  # type: ignore[attr-defined]
VALUES: Table = ReferenceValue.__table__  # type: ignore[attr-defined]
IMPORTS: Table = DataImport.__table__  # type: ignore[attr-defined]
IMPORT_CACHE_KIB = 65_536


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
        # Imports never overwrite a store or product already there (a crawl refreshes them).
        self.observations = ObservationWriter(cache_limit=CACHE_LIMIT)
        self._series: dict[tuple[str, str, str, str], int] = {}
        self._items: dict[str, int] | None = None
        self._connection: Connection | None = None
        self._default_cache: Any = None

    def write_batch(self, batch: Batch) -> BatchCounts:
        """Write one batch and the import's running counts, all in one transaction."""
        counts = BatchCounts(refused=len(batch.refusals))
        connection = self._connect()
        with connection.begin():
            if batch.prices.observations.rows:
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

    def close(self) -> None:
        """Give the import's connection back to the pool, its page cache back to the default."""
        if self._connection is None:
            return
        if self._default_cache is not None:
            self._connection.exec_driver_sql(f"PRAGMA cache_size={int(self._default_cache)}")
            self._connection.commit()
        self._connection.close()
        self._connection = None

    def _connect(self) -> Connection:
        # One connection for the whole import: SQLite keeps its page cache between the
        # transactions of one connection (WAL), so each batch finds the indexes the batches
        # before it read, whichever connection the pool would have handed out.
        if self._connection is not None:
            return self._connection
        connection = self.engine.connect()
        if connection.dialect.name == "sqlite":
            # With WAL, NORMAL still leaves every committed batch whole if the process is
            # killed; only a power cut may lose the last batches, never half of one.
            connection.exec_driver_sql("PRAGMA synchronous=NORMAL")
            connection.exec_driver_sql("PRAGMA wal_autocheckpoint=20000")
            # The content-hash index takes each batch's rows at random places: with SQLite's
            # 2 MiB default cache, every batch read its pages again and rewrote them at commit.
            # 64 MiB holds the indexes of a few million rows; close() gives it back.
            self._default_cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
            connection.exec_driver_sql(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
            connection.commit()
        self._connection = connection
        return connection

    def _write_prices(self, connection: Connection, prices: PreparedPrices) -> tuple[int, int]:
        new_sources = prices.sources
        if new_sources:
            # Provenance goes with new observations only: a price a crawl or another file
            # already stored is not this file's. Plain CSV rows have none and skip this read.
            hashes = [row[HASH_AT] for row in prices.observations.rows]
            existing = self._existing_hashes(connection, hashes)
            new_sources = [row for row in new_sources if row["content_hash"] not in existing]
        counts = self.observations.write(connection, prices.observations)
        insert_or_skip(connection, SOURCES, new_sources, ["content_hash"])
        self._write_survey_matches(connection, prices.matches)
        return counts.stored, counts.duplicates

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
    ) -> None:
        # A surveyor priced this product for this item: the match is a decision, not a guess.
        if not matches:
            return
        items = self.item_ids(connection)
        rows = [
            {
                "store_product_id": self.observations.product_id((chain, sku)),
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
            if len(self._series) + len(found) > CACHE_LIMIT:
                self._series.clear()
            self._series.update(
                {(t, r, p, u): int(i) for t, r, p, u, i in found if (t, r, p, u) in missing}
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
