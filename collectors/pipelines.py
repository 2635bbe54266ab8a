"""Item pipelines, in order: normalise, validate, deduplicate, then store in batches."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import asdict
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from collectors.items import PriceItem
from core.db import session_scope
from core.models import (
    CollectionRun,
    PriceObservation,
    QuarantinedItem,
    Region,
    Store,
    StoreProduct,
)
from core.models.collection import PRICE_KINDS, PRICE_PER
from core.normaliser import check_unit_price, parse_price_and_size, parse_size
from core.normaliser import parse_price as parse_price_text
from core.regions import ensure_regions

logger = logging.getLogger(__name__)

# Shelves repeat the same texts ("$5.50", "2 l, $0.28/100ml"); the readings are immutable.
read_price_text = lru_cache(maxsize=16384)(parse_price_text)
read_package_text = lru_cache(maxsize=16384)(parse_price_and_size)
read_size_text = lru_cache(maxsize=16384)(parse_size)


def clear_text_caches() -> None:
    """Forget cached readings (the benchmark measures cold parsing)."""
    for cached in (read_price_text, read_package_text, read_size_text):
        cached.cache_clear()


STAT_SEEN = "ppne/items_seen"
STAT_STORED = "ppne/stored"
STAT_DUPLICATES = "ppne/duplicates"
STAT_DROPPED = "ppne/dropped/"  # followed by the reason
STAT_RUN_ID = "ppne/run_id"
STAT_OUTCOME = "ppne/outcome"
STAT_MESSAGE = "ppne/message"
# Set by the spiders (collectors/spiders/search.py) when a page fails or changed layout.
STAT_FAILED_PAGES = "ppne/failed_pages"
STAT_FIRST_FAILURE = "ppne/first_failure"
STAT_FIRST_MISSING_URL = "ppne/first_missing_url"
STAT_FIRST_EMPTY_URL = "ppne/first_empty_url"
PAGE_FIELDS = ("sku", "product_name", "price")
# A run whose items miss required fields more often than this has met a changed layout.
DEFAULT_MAX_MISSING_SHARE = 0.2
# The normaliser's kind of a rejected text, as a quarantine reason.
REJECTED_KINDS = {"saving": "not_a_price_saving", "range": "not_a_price_range",
                  "unavailable": "not_a_price_unavailable"}  # fmt: skip
# A size at the end of a product name ("... 2 L", "..., 6 x 200 ml"), used when no size field.
SIZE_AT_END = re.compile(r"(?:\d+\s*[x×]\s*)?\d[\d.,]*\s*[^\W\d_]+\.?\s*$")

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

    def drop(self, item: Any, reason: str, detail: str | None = None) -> DropItem:
        """Count a dropped item under its reason, quarantine it, and return the exception."""
        self.stats.inc_value(STAT_DROPPED + reason)
        url = getattr(item, "source_url", None)
        if (
            reason.startswith("missing_")
            and url
            and not self.stats.get_value(STAT_FIRST_MISSING_URL)
        ):
            self.stats.set_value(STAT_FIRST_MISSING_URL, url)
        quarantine_of(self.crawler).append(quarantine_record(item, reason, detail))
        return DropItem(f"{reason}: {detail or url}", log_level="DEBUG")


def quarantine_of(crawler: Crawler) -> list[dict[str, Any]]:
    """Return the crawler's pending quarantine records, which StorePipeline writes."""
    pending = getattr(crawler, "ppne_quarantine", None)
    if pending is None:
        pending = []
        crawler.ppne_quarantine = pending  # type: ignore[attr-defined]
    return pending


def quarantine_record(item: Any, reason: str, detail: str | None) -> dict[str, Any]:
    """Describe a dropped item for the quarantine table, with its raw payload."""
    if isinstance(item, PriceItem):
        payload = item.raw_payload or json.dumps(asdict(item), ensure_ascii=False, default=str)
        url, raw, collector = item.source_url, item.raw_price_text or item.price, item.collector
        day = str(item.observed_at or datetime.now(UTC).isoformat())[:10]
    else:
        payload, url, raw, collector = repr(item), None, None, None
        day = datetime.now(UTC).date().isoformat()
    key = "|".join(str(part) for part in (collector, reason, day, url, raw, payload))
    return {
        "reason": reason[:64],
        "detail": (detail or "")[:500] or None,
        "source_url": (url or "")[:1000] or None,
        "raw_price_text": (raw or "")[:500] or None,
        "payload": payload,
        "content_hash": hashlib.sha256(key.encode("utf-8")).hexdigest(),
    }


class NormalisePipeline(CrawlerPipeline):
    """Trim text, read price and size with the shared normaliser, bring times to UTC."""

    def process_item(self, item: Any) -> PriceItem:
        self.stats.inc_value(STAT_SEEN)
        if not isinstance(item, PriceItem):
            raise self.drop(item, "not_a_price_item")
        for name in ("price", "stated_amount"):
            value = getattr(item, name)
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                setattr(item, name, str(value))  # JSON numbers: the text as published
        for name, value in vars(item).items():
            if isinstance(value, str) and name != "raw_payload":
                setattr(item, name, value.strip() or None)
        if item.price is None:
            raise self.drop(item, "missing_price")
        item.raw_price_text = item.raw_price_text or item.price
        item.currency = (item.currency or "").upper() or None
        item.price_kind = (item.price_kind or "").lower()
        if item.price_is_decimal:
            self._read_decimal(item)
        else:
            self._read_text(item)
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

    def _read_decimal(self, item: PriceItem) -> None:
        price = parse_price(str(item.price))
        if price is None:
            raise self.drop(item, "unreadable_price")
        if price <= 0:
            raise self.drop(item, "non_positive_price")
        item.price = str(price)

    def _read_text(self, item: PriceItem) -> None:
        parsed = read_price_text(str(item.price), default_currency=item.currency or "CAD")
        if parsed.status != "ok" or parsed.amount is None:
            reason = REJECTED_KINDS.get(parsed.kind, "unreadable_price")
            raise self.drop(item, reason, parsed.reason)
        if item.currency and parsed.currency != item.currency:
            raise self.drop(item, "currency_disagrees", f"{parsed.currency} in {item.price!r}")
        if item.stated_amount is not None:
            stated = parse_price(item.stated_amount)
            if stated != parsed.amount:
                detail = f"text says {parsed.amount}, the source's number {item.stated_amount}"
                raise self.drop(item, "price_disagrees_with_source", detail)
        item.currency = parsed.currency
        if parsed.kind == "member":
            item.price_kind = "member"
        elif parsed.kind == "sale":
            item.price_kind = "sale"
        item.multibuy_quantity = parsed.quantity
        if parsed.price_per == "kg" and parsed.price_per_kg is not None:
            item.price, item.price_per = str(parsed.price_per_kg.quantize(MILL)), "kg"
        elif parsed.price_per == "L" and parsed.price_per_l is not None:
            item.price, item.price_per = str(parsed.price_per_l.quantize(MILL)), "L"
        else:
            item.price = str(parsed.amount)
        if Decimal(item.price) <= 0:
            raise self.drop(item, "non_positive_price")

    def _normalise_size(self, item: PriceItem) -> None:
        if item.package_text:
            self._read_package(item)
            return
        unit = SIZE_UNITS.get((item.size_unit or "").lower())
        try:
            size = Decimal(item.size.replace(",", ".")) if item.size else None
        except InvalidOperation:
            size = None
        if size is None or unit is None:
            item.size = item.size_unit = None
            self._size_from_name(item)
            return
        item.size, item.size_unit = f"{(size * unit[1]).normalize():f}", unit[0]

    def _read_package(self, item: PriceItem) -> None:
        text = str(item.package_text)
        size, stated = read_package_text(text) if "," in text else (read_size_text(text), None)
        item.size = item.size_unit = None
        if size.status == "ok" and size.total is not None:
            item.size, item.size_unit = f"{size.total:f}", size.unit
        else:
            self._size_from_name(item)
        if item.check_unit_price and stated is not None and item.price_per == "unit":
            problem = check_unit_price(Decimal(str(item.price)), size, stated)
            if problem and not problem.startswith("cannot check"):
                # Price or unit price is wrong and nothing says which: keep neither.
                raise self.drop(item, "unit_price_mismatch", f"{text!r}: {problem}")

    def _size_from_name(self, item: PriceItem) -> None:
        match = SIZE_AT_END.search(item.product_name or "")
        if match is None or (item.product_name or "")[: match.start()].rstrip().endswith("-"):
            return  # "0.23 - 0.39 kg" is a range of weights, not a package size
        size = read_size_text(match.group(0))
        if size.status == "ok" and size.total is not None:
            item.size, item.size_unit = f"{size.total:f}", size.unit


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
        self._flush_quarantine()
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

    def _judge(
        self,
        seen: int,
        stored: int,
        duplicates: int,
        dropped: dict[str, int],
        stats: dict[str, Any],
    ) -> tuple[str, str]:
        """Return the run's outcome and message by the failure rules of docs/collectors.md."""
        name = self._spider_name()
        spider = self.crawler.spider
        # Only fields read from the page count: a store without a region is configuration.
        missing = sum(dropped.get(f"missing_{name}", 0) for name in PAGE_FIELDS)
        max_share = self.crawler.settings.getfloat(
            "PPNE_MAX_MISSING_SHARE", DEFAULT_MAX_MISSING_SHARE
        )
        drops = ", ".join(f"{reason} {count}" for reason, count in sorted(dropped.items()))
        counts = f"{seen} items, {stored} stored, {duplicates} duplicates" + (
            f", quarantined: {drops}" if drops else ""
        )
        if self.error:
            return "failed", f"{name}: {self.error}"
        if stats.get(STAT_FIRST_FAILURE):
            failed = int(stats.get(STAT_FAILED_PAGES, 0))
            return "failed", (
                f"spider {name}: {failed} page(s) failed, first {stats[STAT_FIRST_FAILURE]}; "
                + counts
            )
        if seen == 0:
            url = (
                stats.get(STAT_FIRST_EMPTY_URL)
                or getattr(spider, "entry_url", "")
                or next(iter(getattr(spider, "start_urls", [])), "")
            )
            answered = int(stats.get("response_received_count", 0))
            return "failed", f"spider {name} found no product at {url} ({answered} pages answered)"
        if missing > max_share * seen:
            url = stats.get(STAT_FIRST_MISSING_URL, "")
            return "failed", (
                f"spider {name}: {missing} of {seen} items miss required fields "
                f"(more than {max_share:.0%}), first at {url}; the layout may have changed"
            )
        return "succeeded", counts

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
        outcome, message = self._judge(seen, stored, duplicates, dropped, stats)
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
            run.quarantined = sum(dropped.values())
            run.outcome = outcome
            run.message = message[:2000]
            session.add(run)
            session.commit()
