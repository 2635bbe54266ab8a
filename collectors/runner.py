"""Run one spider in-process with Scrapy and summarise the collection run it recorded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader
from sqlalchemy.exc import SQLAlchemyError
from twisted.python.failure import Failure

from collectors.pipelines.stats import (
    STAT_DROPPED,
    STAT_DUPLICATES,
    STAT_MESSAGE,
    STAT_OUTCOME,
    STAT_RUN_ID,
    STAT_SEEN,
    STAT_STORED,
)
from core.errors import NotFound, PpneError
from core.migrate import current_revision


class CollectionFailed(PpneError):
    """A crawl could not run to its end (bad arguments, unreachable database, ...)."""


@dataclass(frozen=True)
class RunSummary:
    """What one crawl did, as recorded in its CollectionRun."""

    run_id: int | None
    outcome: str
    items_seen: int
    stored: int
    duplicates: int
    dropped_by_reason: dict[str, int] = field(default_factory=dict)
    message: str = ""


def project_settings(
    database_url: str | None = None, overrides: dict[str, Any] | None = None
) -> Settings:
    """Return the Scrapy settings of the project, writing to the given database."""
    settings = Settings()
    settings.setmodule("collectors.settings", priority="project")
    if database_url:
        settings.set("PPNE_DATABASE_URL", database_url, priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def spider_catalogue() -> list[dict[str, Any]]:
    """Return each spider's name, platform, chain and stores, for `ppne collect list`."""
    loader = get_spider_loader(project_settings())
    rows = []
    for name in sorted(loader.list()):
        spider = loader.load(name)
        stores = getattr(spider, "stores", ())
        rows.append(
            {
                "spider": name,
                "platform": getattr(spider, "platform", "") or "demo site",
                "chain": getattr(spider, "chain", "") or "",
                "stores": [(store.code, store.banner, store.region_code) for store in stores],
            }
        )
    return rows


def list_spiders() -> list[str]:
    """Return the names of the spiders the project ships."""
    return sorted(get_spider_loader(project_settings()).list())


def check_database(database_url: str | None = None) -> None:
    """Fail early, in one line, when the database cannot take a crawl's rows.

    Raises:
        CollectionFailed: the database cannot be opened or was never migrated.
    """
    try:
        revision = current_revision(database_url)
    except SQLAlchemyError as error:
        first_line = str(error).splitlines()[0]
        raise CollectionFailed(f"cannot open the database: {first_line}") from None
    if revision is None:
        raise CollectionFailed("the database has no tables yet: run `ppne db upgrade` first")


def run_spider(
    name: str,
    database_url: str | None = None,
    *,
    settings: dict[str, Any] | None = None,
    progress: Callable[[dict[str, Any]], None] | None = None,
    **spider_args: Any,
) -> RunSummary:
    """Crawl with one spider and store what it finds; call once per process.

    Twisted's reactor cannot restart, so a second call in the same process fails.

    Raises:
        NotFound: no spider has this name.
        CollectionFailed: the database is not ready, or the crawl stopped on an error.
    """
    known = list_spiders()
    if name not in known:
        raise NotFound(f"unknown spider {name!r}; known spiders: {', '.join(known)}")
    check_database(database_url)
    arguments = {key: str(value) for key, value in spider_args.items() if value is not None}
    process = CrawlerProcess(project_settings(database_url, settings))
    crawler = process.create_crawler(name)
    if progress is not None:

        def report(*_: Any, **__: Any) -> None:
            assert crawler.stats is not None
            progress(crawler.stats.get_stats())

        for signal in (signals.item_scraped, signals.item_dropped, signals.response_received):
            crawler.signals.connect(report, signal=signal, weak=False)
    failures: list[BaseException] = []

    def keep_failure(failure: Failure) -> None:
        failures.append(failure.value or RuntimeError(failure.getErrorMessage()))

    process.crawl(crawler, **arguments).addErrback(keep_failure)
    process.start()
    if failures:
        error = failures[0]
        if isinstance(error, PpneError):
            raise error
        first_line = (str(error).splitlines() or [type(error).__name__])[0]
        raise CollectionFailed(f"spider {name} failed: {first_line}")
    assert crawler.stats is not None
    stats = crawler.stats.get_stats()
    return RunSummary(
        run_id=stats.get(STAT_RUN_ID),
        outcome=str(stats.get(STAT_OUTCOME, "failed")),
        items_seen=int(stats.get(STAT_SEEN, 0)),
        stored=int(stats.get(STAT_STORED, 0)),
        duplicates=int(stats.get(STAT_DUPLICATES, 0)),
        dropped_by_reason={
            key.removeprefix(STAT_DROPPED): int(value)
            for key, value in stats.items()
            if key.startswith(STAT_DROPPED)
        },
        message=str(stats.get(STAT_MESSAGE, f"spider {name} ended before storing anything")),
    )
