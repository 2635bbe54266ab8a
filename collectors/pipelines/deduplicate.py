"""The deduplicate pipeline: drop an observation already seen in this run (same content hash)."""

from __future__ import annotations

from datetime import datetime

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from collectors.items import PriceItem
from collectors.pipelines.quarantine import CrawlerPipeline
from collectors.pipelines.stats import STAT_DUPLICATES
from core.observations import content_hash


def item_content_hash(item: PriceItem) -> str:
    """Return a validated item's content hash, by core's recipe (the one imports use too)."""
    return content_hash(
        str(item.store_code),
        str(item.chain),
        str(item.sku),
        datetime.fromisoformat(str(item.observed_at)),
        item.price_kind,
        str(item.price),
        str(item.currency),
        item.price_per,
        item.available,
    )


class DeduplicatePipeline(CrawlerPipeline):
    """Drop an observation already seen in this run (same content hash)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.seen: set[str] = set()

    def process_item(self, item: PriceItem) -> PriceItem:
        key = item_content_hash(item)
        if key in self.seen:
            self.stats.inc_value(STAT_DUPLICATES)
            raise DropItem(f"duplicate: {item.source_url}", log_level="DEBUG")
        self.seen.add(key)
        return item
