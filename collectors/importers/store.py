"""Database writes of the importers: one transaction per batch, duplicates skipped by hash."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from collectors.importers.records import PriceRow, ReferenceRow, Refusal, StoreRef
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


def insert_or_skip(
    connection: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: list[str]
) -> None:
    """Insert rows, skipping those whose keys already exist (SQLite and PostgreSQL)."""
    if not rows:
        return
    columns = list(rows[0])
    sql = _insert_sql(connection.dialect.name, table, tuple(columns), tuple(keys))
    # The statement comes from SQLAlchemy's dialect insert; the rows go straight to the
    # driver's executemany, which is where the time goes on files of millions of rows.
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(
            sql, [tuple(_sqlite_value(row[name]) for name in columns) for row in rows]
        )
    else:
        connection.exec_driver_sql(sql, list(rows))


@lru_cache(maxsize=64)
def _insert_sql(
    dialect_name: str, table: Table, columns: tuple[str, ...], keys: tuple[str, ...]
) -> str:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    statement = (
        dialect.insert(table)
        .values({name: bindparam(name) for name in columns})
        .on_conflict_do_nothing(index_elements=list(keys))
    )
    return str(statement.compile(dialect=dialect.dialect()))


def _sqlite_value(value: Any) -> Any:
    # What SQLAlchemy's SQLite types store: numbers as text the NUMERIC affinity converts,
    # times in UTC as "YYYY-MM-DD HH:MM:SS.ffffff".
    if value is None or isinstance(value, str | int):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return _sqlite_time(value)
    return value


@lru_cache(maxsize=4096)
def _sqlite_time(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: times must carry a time zone")
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


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

    def write_batch(
        self,
        prices: Sequence[PriceRow],
        references: Sequence[ReferenceRow],
        refusals: Sequence[Refusal],
        rows_read: int,
    ) -> BatchCounts:
        """Write one batch and the import's running counts, all in one transaction."""
        counts = BatchCounts(refused=len(refusals))
        with self.engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                # With WAL, NORMAL still leaves every committed batch whole if the process
                # is killed; only a power cut may lose the last batches, never half of one.
                connection.exec_driver_sql("PRAGMA synchronous=NORMAL")
            if prices:
                imported, duplicates = self._write_prices(connection, prices)
                counts.imported += imported
                counts.duplicates += duplicates
            if references:
                imported, duplicates = self._write_references(connection, references)
                counts.imported += imported
                counts.duplicates += duplicates
            self._write_refusals(connection, refusals)
            connection.execute(
                update(IMPORTS)
                .where(IMPORTS.c.id == self.import_id)
                .values(
                    rows_read=rows_read,
                    rows_imported=IMPORTS.c.rows_imported + counts.imported,
                    duplicates=IMPORTS.c.duplicates + counts.duplicates,
                    rows_refused=IMPORTS.c.rows_refused + counts.refused,
                )
            )
        return counts

    def _write_prices(self, connection: Connection, rows: Sequence[PriceRow]) -> tuple[int, int]:
        by_hash: dict[str, PriceRow] = {}
        for row in rows:
            by_hash.setdefault(row.content_hash(), row)
        existing = set(
            connection.execute(
                select(OBSERVATIONS.c.content_hash).where(
                    OBSERVATIONS.c.content_hash.in_(list(by_hash))
                )
            ).scalars()
        )
        fresh = {key: row for key, row in by_hash.items() if key not in existing}
        if not fresh:
            return 0, len(rows)
        store_ids = self._store_ids(connection, [row.store for row in fresh.values()])
        product_ids = self._product_ids(connection, fresh.values())
        collected_at = utc_now()
        observations = []
        sources = []
        for key, row in fresh.items():
            observations.append(
                {
                    "store_id": store_ids[row.store.code],
                    "store_product_id": product_ids[(row.product.chain, row.product.sku)],
                    "price": row.price,
                    "currency": row.currency,
                    "price_per": row.price_per,
                    "price_kind": row.price_kind,
                    "multibuy_quantity": row.multibuy_quantity,
                    "available": row.available,
                    "observed_at": row.observed_at,
                    "collected_at": collected_at,
                    "source_url": row.source_url[:1000],
                    "collector": f"import:{self.kind}",
                    "method": "survey" if row.surveyor is not None else "import",
                    "raw_price_text": row.raw_price_text[:500],
                    "content_hash": key,
                    "status": "ok",
                }
            )
            # source_url already says file and line; a provenance row is kept when there is
            # more to say (sheet, surveyor, a regular price), which halves the writes of a
            # plain CSV of millions of rows.
            if row.sheet or row.surveyor or row.regular_price is not None:
                sources.append(
                    {
                        "content_hash": key,
                        "import_id": self.import_id,
                        "source_file": self.source_file[:1000],
                        "sheet": row.sheet,
                        "row_number": row.row_number,
                        "surveyor": row.surveyor,
                        "brand": row.product.brand,
                        "regular_price": row.regular_price,
                    }
                )
        insert_or_skip(connection, OBSERVATIONS, observations, ["content_hash"])
        insert_or_skip(connection, SOURCES, sources, ["content_hash"])
        self._write_survey_matches(connection, fresh.values(), product_ids)
        return len(fresh), len(rows) - len(fresh)

    def _write_survey_matches(
        self,
        connection: Connection,
        rows: Iterable[PriceRow],
        product_ids: dict[tuple[str, str], int],
    ) -> None:
        # A surveyor priced this product for this item: the match is a decision, not a guess.
        pairs = {
            (product_ids[(row.product.chain, row.product.sku)], row.item_code)
            for row in rows
            if row.item_code
        }
        if not pairs:
            return
        items = self.item_ids(connection)
        matches = [
            {
                "store_product_id": product_id,
                "item_id": items[code],
                "method": "survey",
                "status": "approved",
                "score": None,
                "decided_at": utc_now(),
            }
            for product_id, code in sorted(pairs)
            if code in items
        ]
        insert_or_skip(connection, MATCHES, matches, ["store_product_id", "item_id"])

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

    def _store_ids(self, connection: Connection, stores: Iterable[StoreRef]) -> dict[str, int]:
        missing = {store.code: store for store in stores if store.code not in self._stores}
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
        self, connection: Connection, rows: Iterable[PriceRow]
    ) -> dict[tuple[str, str], int]:
        missing = {}
        for row in rows:
            key = (row.product.chain, row.product.sku)
            if key not in self._products:
                missing[key] = row.product
        if missing:
            insert_or_skip(
                connection,
                PRODUCTS,
                [
                    {
                        "chain": product.chain[:64],
                        "sku": product.sku[:64],
                        "gtin": product.gtin,
                        "name": product.name[:300],
                        "brand": (product.brand or None) and product.brand[:120],
                        "size": product.size,
                        "size_unit": product.size_unit,
                    }
                    for product in missing.values()
                ],
                ["chain", "sku"],
            )
            found = connection.execute(
                select(PRODUCTS.c.chain, PRODUCTS.c.sku, PRODUCTS.c.id).where(
                    PRODUCTS.c.sku.in_(sorted({sku for _, sku in missing}))
                )
            ).all()
            self._remember(
                self._products,
                {(chain, sku): int(pid) for chain, sku, pid in found if (chain, sku) in missing},
            )
        return self._products

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


def start_import(engine: Engine, kind: str, source_file: str) -> int:
    """Record the start of an import and return its id."""
    with engine.begin() as connection:
        result = connection.execute(
            IMPORTS.insert().values(
                kind=kind,
                source_file=source_file[:1000],
                started_at=utc_now(),
                status="running",
                rows_read=0,
                rows_imported=0,
                duplicates=0,
                rows_refused=0,
            )
        )
        return int(result.inserted_primary_key[0])


def finish_import(engine: Engine, import_id: int, status: str, message: str | None = None) -> None:
    """Record how an import ended."""
    with engine.begin() as connection:
        connection.execute(
            update(IMPORTS)
            .where(IMPORTS.c.id == import_id)
            .values(status=status, finished_at=utc_now(), message=message and message[:2000])
        )
