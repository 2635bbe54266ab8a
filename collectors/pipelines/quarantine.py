"""The pipelines' base class, which drops an item with a counted reason, and the quarantine."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from collectors.items import PriceItem
from collectors.pipelines.stats import STAT_DROPPED, STAT_FIRST_MISSING_URL


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
