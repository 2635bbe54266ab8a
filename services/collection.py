"""Collect prices with a spider (the demo one against its embedded site) and read the quarantine."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scrapy.exceptions import NotConfigured, UsageError
from sqlmodel import Session

from collectors.pipelines.stats import STAT_DROPPED, STAT_DUPLICATES, STAT_SEEN, STAT_STORED
from collectors.runner import RunSummary, run_spider, spider_catalogue
from core.errors import InvalidInput
from core.queries.quarantine import quarantined_items
from demo_store.site import serve_demo_store

__all__ = ["QuarantineEntry", "RunSummary", "SpiderEntry", "collect_prices", "spiders"]


@dataclass(frozen=True)
class SpiderEntry:
    """A spider, its platform and chain, and its stores as (code, banner, region code)."""

    spider: str
    platform: str
    chain: str
    stores: list[tuple[str, str, str | None]]


@dataclass(frozen=True)
class QuarantineEntry:
    """An item a pipeline refused, with the reason and where it came from."""

    item_id: int
    run_id: int | None
    spider: str
    reason: str
    detail: str | None
    raw_price_text: str | None
    source_url: str | None
    payload: str
    quarantined_at: datetime


@dataclass(frozen=True)
class CrawlProgress:
    """Counts of a running crawl, read from its Scrapy stats."""

    pages: int
    items: int
    stored: int
    duplicates: int
    quarantined: int


def collect_prices(
    spider: str,
    database_url: str,
    progress: Callable[[dict[str, Any]], None] | None = None,
    **spider_args: Any,
) -> RunSummary:
    """Crawl with a spider into the database; the demo one without base_url crawls its own site.

    Runs Twisted's reactor, so once per process.

    Raises:
        NotFound: no spider has this name.
        CollectionFailed: the database is not ready, or the crawl stopped on an error.
        InvalidInput: Scrapy refused the spider's arguments or settings.
    """
    try:
        # collectors and demo_store stay apart (layers contract): the embedded site and the
        # crawl meet here, above both.
        if spider == "demo" and not spider_args.get("base_url"):
            with serve_demo_store() as site:
                return run_spider(
                    spider, database_url, progress=progress, **{**spider_args, "base_url": site.url}
                )
        return run_spider(spider, database_url, progress=progress, **spider_args)
    except (NotConfigured, UsageError) as error:
        raise InvalidInput(f"spider {spider} cannot run: {error}") from None


def crawl_progress(stats: dict[str, Any]) -> CrawlProgress:
    """Read a running crawl's counts from its Scrapy stats."""
    return CrawlProgress(
        pages=int(stats.get("response_received_count", 0)),
        items=int(stats.get(STAT_SEEN, 0)),
        stored=int(stats.get(STAT_STORED, 0)),
        duplicates=int(stats.get(STAT_DUPLICATES, 0)),
        quarantined=sum(int(v) for k, v in stats.items() if k.startswith(STAT_DROPPED)),
    )


def spiders() -> list[SpiderEntry]:
    """Return every spider the project ships, by name."""
    return [
        SpiderEntry(row["spider"], row["platform"], row["chain"], list(row["stores"]))
        for row in spider_catalogue()
    ]


def quarantine(session: Session, run_id: int | None = None) -> list[QuarantineEntry]:
    """Return the items the pipelines refused, of one collection run if given."""
    return [
        QuarantineEntry(
            item_id=item.id or 0,
            run_id=item.run_id,
            spider=item.spider,
            reason=item.reason,
            detail=item.detail,
            raw_price_text=item.raw_price_text,
            source_url=item.source_url,
            payload=item.payload,
            quarantined_at=item.quarantined_at,
        )
        for item in quarantined_items(session, run_id)
    ]
