"""The store pipeline: write observations in batches through core's writer, record the run."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from decimal import Decimal

from scrapy.crawler import Crawler
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import select

from collectors.items import PriceItem
from collectors.pipelines.outcome import DEFAULT_MAX_MISSING_SHARE, RunCounts, judge_run
from collectors.pipelines.quarantine import CrawlerPipeline, quarantine_of
from collectors.pipelines.stats import (
    STAT_DROPPED,
    STAT_DUPLICATES,
    STAT_MESSAGE,
    STAT_OUTCOME,
    STAT_RUN_ID,
    STAT_STORED,
    batch_stored,
)
from core.db import get_engine, session_scope
from core.errors import RegionNotFound
from core.models import CollectionRun, QuarantinedItem
from core.observations import ObservationRows, ObservationWriter, ProductFacts, StoreFacts
from core.regions import UNKNOWN_REGION, accepted_region_codes, ensure_regions, region_refusal

logger = logging.getLogger(__name__)


def observation_rows(items: list[PriceItem], dialect: str, run_id: int | None) -> ObservationRows:
    """Return validated items as core's observation rows, with their stores and products."""
    rows = ObservationRows(dialect, run_id=run_id)
    for item in items:
        sized = bool(item.size and item.size_unit)
        rows.add(
            StoreFacts(
                code=str(item.store_code),
                chain=str(item.chain),
                name=str(item.store_name),
                region_code=str(item.region_code),
                banner=str(item.banner),
                address=item.address,
                postal_code=item.postal_code,
                kind=item.store_kind,  # None keeps the store's kind
            ),
            ProductFacts(
                chain=str(item.chain),
                sku=str(item.sku),
                name=str(item.product_name),
                brand=item.brand,
                size=Decimal(str(item.size)) if sized else None,
                size_unit=item.size_unit if sized else None,
                gtin=item.gtin,
            ),
            price=Decimal(str(item.price)),
            observed_at=datetime.fromisoformat(str(item.observed_at)),
            raw_price_text=str(item.raw_price_text),
            source_url=str(item.source_url),
            collector=str(item.collector),
            method=item.method,
            currency=item.currency or "CAD",
            price_per=item.price_per,
            price_kind=item.price_kind,
            multibuy_quantity=item.multibuy_quantity,
            available=item.available,
        )
    return rows


class StorePipeline(CrawlerPipeline):
    """Write observations in batches, one transaction each, and record the collection run."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.database_url = crawler.settings.get("PPNE_DATABASE_URL") or None
        self.batch_size = crawler.settings.getint("PPNE_STORE_BATCH_SIZE", 500)
        self.pending: list[PriceItem] = []
        self.regions: frozenset[str] = frozenset()
        # A crawl reads the live site: the first sight of a store or product refreshes it.
        self.writer = ObservationWriter(refresh_details=True)
        self.run_id: int | None = None
        self.error: str | None = None

    def open_spider(self) -> None:
        try:
            self._open_run()
        except IntegrityError:
            # Another worker of a shared crawl loaded the regions at the same moment (the
            # unique region code refused the second copy): they are there now.
            self._open_run()
        self.stats.set_value(STAT_RUN_ID, self.run_id)

    def _open_run(self) -> None:
        with session_scope(self.database_url) as session:
            ensure_regions(session)
            run = CollectionRun(spider=self._spider_name())
            session.add(run)
            session.commit()
            self.run_id = run.id
            self.regions = accepted_region_codes(session)

    def process_item(self, item: PriceItem) -> PriceItem:
        refusal = region_refusal(item.region_code, self.regions)
        if refusal:
            raise self.drop(item, UNKNOWN_REGION, refusal)
        self.pending.append(item)
        if len(self.pending) >= self.batch_size:
            self.flush()
        return item

    def close_spider(self) -> None:
        self.flush()
        self._finish_run()

    def flush(self) -> None:
        """Write the pending items in one transaction; a failed batch is counted, not fatal."""
        self._flush_quarantine()
        batch, self.pending = self.pending, []
        if not batch:
            self.crawler.signals.send_catch_log(batch_stored)
            return
        try:
            with get_engine(self.database_url).begin() as connection:
                rows = observation_rows(batch, connection.dialect.name, self.run_id)
                counts = self.writer.write(connection, rows)
        except (SQLAlchemyError, RegionNotFound) as error:
            # Ids learnt in the rolled-back transaction may not exist: read them again.
            self.writer.forget()
            # Keep crawling: the run ends "failed" and names the first error.
            first_line = str(error).splitlines()[0]
            self.error = self.error or f"storing a batch failed: {first_line}"
            self.stats.inc_value(STAT_DROPPED + "storage_error", len(batch))
            logger.error("storing %d items failed: %s", len(batch), first_line)
            return
        self.stats.inc_value(STAT_STORED, counts.stored)
        self.stats.inc_value(STAT_DUPLICATES, counts.duplicates)
        self.crawler.signals.send_catch_log(batch_stored)

    def _flush_quarantine(self) -> None:
        """Write the quarantined items in one transaction, skipping those already kept."""
        pending = quarantine_of(self.crawler)
        records = {record["content_hash"]: record for record in pending}
        pending.clear()
        if not records:
            return
        try:
            with session_scope(self.database_url) as session:
                kept = set(
                    session.exec(
                        select(QuarantinedItem.content_hash).where(
                            QuarantinedItem.content_hash.in_(list(records))  # type: ignore[attr-defined]
                        )
                    )
                )
                session.add_all(
                    QuarantinedItem(run_id=self.run_id, spider=self._spider_name(), **record)
                    for key, record in records.items()
                    if key not in kept
                )
                session.commit()
        except SQLAlchemyError as error:
            first_line = str(error).splitlines()[0]
            self.error = self.error or f"storing the quarantine failed: {first_line}"

    def _spider_name(self) -> str:
        spider = self.crawler.spider
        return spider.name if spider is not None else "unknown"

    def _entry_url(self) -> str:
        spider = self.crawler.spider
        return str(
            getattr(spider, "entry_url", "") or next(iter(getattr(spider, "start_urls", [])), "")
        )

    def _finish_run(self) -> None:
        stats = self.stats.get_stats()
        counts = RunCounts.from_stats(stats)
        outcome, message = judge_run(
            self._spider_name(),
            counts,
            stats,
            error=self.error,
            entry_url=self._entry_url(),
            max_missing_share=self.crawler.settings.getfloat(
                "PPNE_MAX_MISSING_SHARE", DEFAULT_MAX_MISSING_SHARE
            ),
        )
        self.stats.set_value(STAT_OUTCOME, outcome)
        self.stats.set_value(STAT_MESSAGE, message)
        if self.run_id is None:
            return
        with session_scope(self.database_url) as session:
            run = session.get(CollectionRun, self.run_id)
            assert run is not None
            run.finished_at = datetime.now(UTC)
            run.items_seen = counts.seen
            run.items_stored = counts.stored
            run.duplicates = counts.duplicates
            run.quarantined = sum(counts.dropped.values())
            run.outcome = outcome
            run.message = message[:2000]
            session.add(run)
            session.commit()
