"""Item pipelines, in order: normalise, validate, deduplicate, then store in batches."""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from collectors.items import PriceItem
from core.db import session_scope
from core.models import CollectionRun, PriceObservation, Region, Store, StoreProduct
from core.models.collection import PRICE_KINDS, PRICE_PER
from core.regions import ensure_regions

logger = logging.getLogger(__name__)

STAT_SEEN = "ppne/items_seen"
STAT_STORED = "ppne/stored"
STAT_DUPLICATES = "ppne/duplicates"
STAT_DROPPED = "ppne/dropped/"  # followed by the reason
STAT_RUN_ID = "ppne/run_id"
STAT_OUTCOME = "ppne/outcome"
STAT_MESSAGE = "ppne/message"

PRICE_TEXT = re.compile(r"\d+(?:[.,]\d{1,3})?")
CENT = Decimal("0.01")
MILL = Decimal("0.001")
# Units as sites write them, to the units StoreProduct keeps (and the factor to get there).
SIZE_UNITS = {
    "g": ("g", 1), "gr": ("g", 1), "kg": ("g", 1000),
    "ml": ("mL", 1), "l": ("mL", 1000),
    "unit": ("unit", 1), "units": ("unit", 1), "un": ("unit", 1), "unité": ("unit", 1),
    "unités": ("unit", 1), "ea": ("unit", 1),
}  # fmt: skip
REQUIRED_FIELDS = (
    "store_code", "chain", "banner", "store_name", "region_code", "sku", "product_name",
    "price", "currency", "observed_at", "source_url", "collector", "method",
)  # fmt: skip


def parse_price(text: str) -> Decimal | None:
    """Read a price such as "3,49 $", "$3.49" or "3.490"; None when it cannot be read."""
    cleaned = re.sub(r"[\s\u00a0$]|CAD", "", text, flags=re.IGNORECASE)
    if not PRICE_TEXT.fullmatch(cleaned):
        return None
    value = Decimal(cleaned.replace(",", "."))
    # Two decimals unless the third one carries information (3.495 per kg).
    return value.quantize(CENT) if value == value.quantize(CENT) else value.quantize(MILL)


def content_hash(item: PriceItem) -> str:
    """Hash what makes an observation one: store, product, day, kind and price."""
    day = str(item.observed_at)[:10]
    key = "|".join(
        str(part) for part in (item.store_code, item.sku, day, item.price_kind, item.price)
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class CrawlerPipeline:
    """Base of the pipelines: keeps the crawler and drops items with a counted reason."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        assert crawler.stats is not None
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        return cls(crawler)

    def drop(self, item: Any, reason: str) -> DropItem:
        """Count a dropped item under its reason and return the exception to raise."""
        self.stats.inc_value(STAT_DROPPED + reason)
        url = getattr(item, "source_url", None)
        return DropItem(f"{reason}: {url}", log_level="WARNING")


class NormalisePipeline(CrawlerPipeline):
    """Trim text, read the price as a Decimal, bring units and times to one form."""

    def process_item(self, item: Any) -> PriceItem:
        self.stats.inc_value(STAT_SEEN)
        if not isinstance(item, PriceItem):
            raise self.drop(item, "not_a_price_item")
        for name, value in vars(item).items():
            if isinstance(value, str):
                setattr(item, name, value.strip() or None)
        if item.price is None:
            raise self.drop(item, "missing_price")
        item.raw_price_text = item.raw_price_text or item.price
        price = parse_price(item.price)
        if price is None:
            raise self.drop(item, "unreadable_price")
        if price <= 0:
            raise self.drop(item, "non_positive_price")
        item.price = str(price)
        item.currency = (item.currency or "").upper() or None
        item.price_kind = (item.price_kind or "").lower()
        item.gtin = item.gtin if item.gtin and item.gtin.isdigit() else None
        self._normalise_size(item)
        if item.observed_at:
            try:
                moment = datetime.fromisoformat(item.observed_at)
            except ValueError:
                raise self.drop(item, "unreadable_observed_at") from None
            moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
            item.observed_at = moment.astimezone(UTC).isoformat()
        return item

    def _normalise_size(self, item: PriceItem) -> None:
        unit = SIZE_UNITS.get((item.size_unit or "").lower())
        try:
            size = Decimal(item.size.replace(",", ".")) if item.size else None
        except InvalidOperation:
            size = None
        if size is None or unit is None:
            item.size = item.size_unit = None
            return
        item.size, item.size_unit = f"{(size * unit[1]).normalize():f}", unit[0]


class ValidatePipeline(CrawlerPipeline):
    """Drop items missing what an observation needs, or with unknown kinds."""

    def process_item(self, item: PriceItem) -> PriceItem:
        for name in REQUIRED_FIELDS:
            if not getattr(item, name):
                raise self.drop(item, f"missing_{name}")
        if item.price_kind not in PRICE_KINDS:
            raise self.drop(item, "unknown_price_kind")
        if item.price_per not in PRICE_PER:
            raise self.drop(item, "unknown_price_per")
        if len(item.currency or "") != 3:
            raise self.drop(item, "unknown_currency")
        return item


class DeduplicatePipeline(CrawlerPipeline):
    """Drop an observation already seen in this run (same content hash)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.seen: set[str] = set()

    def process_item(self, item: PriceItem) -> PriceItem:
        key = content_hash(item)
        if key in self.seen:
            self.stats.inc_value(STAT_DUPLICATES)
            raise DropItem(f"duplicate: {item.source_url}", log_level="DEBUG")
        self.seen.add(key)
        return item


class StorePipeline(CrawlerPipeline):
    """Write observations in batches, one transaction each, and record the collection run."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.database_url = crawler.settings.get("PPNE_DATABASE_URL") or None
        self.batch_size = crawler.settings.getint("PPNE_STORE_BATCH_SIZE", 500)
        self.pending: list[PriceItem] = []
        self.region_ids: dict[str, int] = {}
        self.store_ids: dict[str, int] = {}
        self.product_ids: dict[tuple[str, str], int] = {}
        self.run_id: int | None = None
        self.error: str | None = None

    def open_spider(self) -> None:
        with session_scope(self.database_url) as session:
            ensure_regions(session)
            run = CollectionRun(spider=self._spider_name())
            session.add(run)
            session.commit()
            self.run_id = run.id
            self.region_ids = {
                region.code: region.id for region in session.exec(select(Region)) if region.id
            }
        self.stats.set_value(STAT_RUN_ID, self.run_id)

    def process_item(self, item: PriceItem) -> PriceItem:
        if item.region_code not in self.region_ids:
            raise self.drop(item, "unknown_region")
        self.pending.append(item)
        if len(self.pending) >= self.batch_size:
            self.flush()
        return item

    def close_spider(self) -> None:
        self.flush()
        self._finish_run()

    def flush(self) -> None:
        """Write the pending items in one transaction; a failed batch is counted, not fatal."""
        batch, self.pending = self.pending, []
        if not batch:
            return
        new_stores: dict[str, int] = {}
        new_products: dict[tuple[str, str], int] = {}
        try:
            with session_scope(self.database_url) as session:
                stored, duplicates = self._write(session, batch, new_stores, new_products)
                session.commit()
        except SQLAlchemyError as error:
            # Keep crawling: the run ends "failed" and names the first error.
            first_line = str(error).splitlines()[0]
            self.error = self.error or f"storing a batch failed: {first_line}"
            self.stats.inc_value(STAT_DROPPED + "storage_error", len(batch))
            logger.error("storing %d items failed: %s", len(batch), first_line)
            return
        # Ids become known only once their transaction committed.
        self.store_ids.update(new_stores)
        self.product_ids.update(new_products)
        self.stats.inc_value(STAT_STORED, stored)
        self.stats.inc_value(STAT_DUPLICATES, duplicates)

    def _write(
        self,
        session: Session,
        batch: list[PriceItem],
        new_stores: dict[str, int],
        new_products: dict[tuple[str, str], int],
    ) -> tuple[int, int]:
        by_hash = {content_hash(item): item for item in batch}
        existing = set(
            session.exec(
                select(PriceObservation.content_hash).where(
                    PriceObservation.content_hash.in_(list(by_hash))  # type: ignore[attr-defined]
                )
            )
        )
        stores = {**self.store_ids, **new_stores}
        products = {**self.product_ids, **new_products}
        stored = 0
        for key, item in by_hash.items():
            if key in existing:
                continue
            assert item.store_code and item.chain and item.sku and item.price
            if item.store_code not in stores:
                stores[item.store_code] = new_stores[item.store_code] = self._upsert_store(
                    session, item
                )
            product_key = (item.chain, item.sku)
            if product_key not in products:
                product_id = self._upsert_product(session, item)
                products[product_key] = new_products[product_key] = product_id
            session.add(
                PriceObservation(
                    store_id=stores[item.store_code],
                    store_product_id=products[product_key],
                    run_id=self.run_id,
                    price=Decimal(item.price),
                    currency=item.currency or "CAD",
                    price_per=item.price_per,
                    price_kind=item.price_kind,
                    multibuy_quantity=item.multibuy_quantity,
                    available=item.available,
                    observed_at=datetime.fromisoformat(str(item.observed_at)),
                    source_url=str(item.source_url)[:1000],
                    collector=str(item.collector),
                    method=item.method,
                    raw_price_text=str(item.raw_price_text)[:500],
                    content_hash=key,
                )
            )
            stored += 1
        session.flush()
        return stored, len(by_hash) - stored

    def _upsert_store(self, session: Session, item: PriceItem) -> int:
        store = session.exec(select(Store).where(Store.code == item.store_code)).first()
        store = store or Store(code=str(item.store_code), region_id=0, chain="", banner="", name="")
        store.chain = str(item.chain)
        store.banner = str(item.banner)
        store.name = str(item.store_name)
        store.region_id = self.region_ids[str(item.region_code)]
        store.address = item.address or store.address
        store.postal_code = item.postal_code or store.postal_code
        store.kind = item.store_kind or store.kind
        session.add(store)
        session.flush()
        assert store.id is not None
        return store.id

    def _upsert_product(self, session: Session, item: PriceItem) -> int:
        product = session.exec(
            select(StoreProduct).where(
                StoreProduct.chain == item.chain, StoreProduct.sku == item.sku
            )
        ).first()
        product = product or StoreProduct(chain=str(item.chain), sku=str(item.sku), name="")
        product.name = str(item.product_name)[:300]
        product.gtin = item.gtin or product.gtin
        product.brand = item.brand or product.brand
        if item.size and item.size_unit:
            product.size, product.size_unit = Decimal(item.size), item.size_unit
        session.add(product)
        session.flush()
        assert product.id is not None
        return product.id

    def _spider_name(self) -> str:
        spider = self.crawler.spider
        return spider.name if spider is not None else "unknown"

    def _finish_run(self) -> None:
        stats = self.stats.get_stats()
        seen = int(stats.get(STAT_SEEN, 0))
        dropped = {
            key.removeprefix(STAT_DROPPED): int(value)
            for key, value in stats.items()
            if key.startswith(STAT_DROPPED)
        }
        stored = int(stats.get(STAT_STORED, 0))
        duplicates = int(stats.get(STAT_DUPLICATES, 0))
        if self.error:
            outcome, message = "failed", f"{self._spider_name()}: {self.error}"
        elif seen == 0:
            spider = self.crawler.spider
            url = getattr(spider, "entry_url", "") or next(
                iter(getattr(spider, "start_urls", [])), ""
            )
            answered = int(stats.get("response_received_count", 0))
            outcome = "failed"
            message = (
                f"spider {self._spider_name()} found no product at {url} "
                f"({answered} pages answered)"
            )
        else:
            outcome = "succeeded"
            drops = ", ".join(f"{reason} {count}" for reason, count in sorted(dropped.items()))
            message = f"{seen} items, {stored} stored, {duplicates} duplicates" + (
                f", dropped: {drops}" if drops else ""
            )
        self.stats.set_value(STAT_OUTCOME, outcome)
        self.stats.set_value(STAT_MESSAGE, message)
        if self.run_id is None:
            return
        with session_scope(self.database_url) as session:
            run = session.get(CollectionRun, self.run_id)
            assert run is not None
            run.finished_at = datetime.now(UTC)
            run.items_seen = seen
            run.items_stored = stored
            run.duplicates = duplicates
            # Dropped items wait here until the quarantine table exists.
            run.quarantined = sum(dropped.values())
            run.outcome = outcome
            run.message = message[:2000]
            session.add(run)
            session.commit()
