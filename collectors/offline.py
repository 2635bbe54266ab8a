"""Parse saved responses without crawling, through the spiders' and pipelines' own code."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.spiderloader import get_spider_loader
from scrapy.statscollectors import MemoryStatsCollector

from collectors.items import PriceItem
from collectors.pipelines.normalise import NormalisePipeline, clear_text_caches
from collectors.pipelines.validate import ValidatePipeline
from collectors.runner import project_settings
from collectors.spiders.search import SearchSpider
from core.errors import InvalidInput, NotFound


def offline_spider(name: str, **arguments: Any) -> tuple[SearchSpider, Crawler]:
    """Return a spider and a crawler that is never started, for parsing saved files.

    Raises:
        NotFound: no spider has this name.
        InvalidInput: the spider cannot parse saved files.
    """
    settings = project_settings()
    loader = get_spider_loader(settings)
    if name not in loader.list():
        raise NotFound(f"unknown spider {name!r}; known spiders: {', '.join(loader.list())}")
    spider_class = loader.load(name)
    if not issubclass(spider_class, SearchSpider):
        raise InvalidInput(f"spider {name} does not parse saved files")
    crawler = Crawler(spider_class, settings)
    crawler.stats = MemoryStatsCollector(crawler)
    spider = spider_class(**arguments)
    crawler.spider = spider
    return spider, crawler


def parsed_products(name: str, path: Path, **arguments: Any) -> Iterator[dict[str, Any]]:
    """Yield one record per price read from a saved response: the values, status and reason."""
    spider, crawler = offline_spider(name, **arguments)
    normalise, validate = NormalisePipeline(crawler), ValidatePipeline(crawler)
    for item in spider.parse_file(path):
        raw = item.price
        status, reason = "ok", None
        try:
            validate.process_item(normalise.process_item(item))
        except DropItem as drop:
            status, reason = "quarantined", str(drop)
        yield product_record(item, raw, status, reason)


def product_record(item: PriceItem, raw: Any, status: str, reason: str | None) -> dict[str, Any]:
    """Return what `ppne collect parse` prints for one item."""
    return {
        "store": item.store_code,
        "sku": item.sku,
        "name": item.product_name,
        "size": item.size,
        "size_unit": item.size_unit,
        "package": item.package_text,
        "raw_price": raw,
        "amount": item.price if status == "ok" else None,
        "currency": item.currency,
        "kind": item.price_kind,
        "price_per": item.price_per,
        "multibuy_quantity": item.multibuy_quantity,
        "status": status,
        "reason": reason,
    }


@dataclass(frozen=True)
class BenchResult:
    """Products parsed per second by one spider on one saved file."""

    spider: str
    file: str
    products: int
    seconds: float

    @property
    def per_second(self) -> float:
        """Return products parsed per second."""
        return self.products / self.seconds if self.seconds else 0.0


def bench(name: str, path: Path, repeat: int = 5) -> BenchResult:
    """Time parsing and normalising a saved file (spider set-up included), best of `repeat`."""
    best, count = float("inf"), 0
    for _ in range(repeat):
        clear_text_caches()  # each run starts cold: repeats within the file still help
        started = time.perf_counter()
        count = sum(1 for _ in parsed_products(name, path))
        best = min(best, time.perf_counter() - started)
    return BenchResult(name, path.name, count, best)
