"""Crawls shared by many workers through Redis (collectors/distributed.py): queue, work, watch.

`ppne collect run` stays the single-process crawl and needs no Redis; these are for when the
work outgrows one machine: `enqueue` once, then as many `worker`s as wanted, anywhere, all
writing to the same database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import redis
from scrapy.exceptions import NotConfigured, UsageError

from collectors.distributed import crawl_state, enqueue, shared_arguments, worker_settings
from collectors.redis_queue import new_worker_id
from collectors.runner import RunSummary, check_database, list_spiders, run_spider
from core.errors import InvalidInput, NotFound, PpneError

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


class RedisUnavailable(PpneError):
    """The Redis server of the shared crawl does not answer."""


def enqueue_crawl(spider: str, redis_url: str, fresh: bool = True, **arguments: Any) -> int:
    """Queue SPIDER's start requests for the workers; return how many were queued.

    Raises:
        NotFound: no spider has this name.
        InvalidInput: the spider refused its arguments.
        RedisUnavailable: Redis does not answer.
    """
    _known(spider)
    given = {name: str(value) for name, value in arguments.items() if value not in (None, "")}
    try:
        return enqueue(spider, redis_url, fresh=fresh, **given)
    except redis.RedisError as error:
        raise RedisUnavailable(f"Redis at {redis_url} does not answer: {error}") from None
    except (NotConfigured, UsageError, TypeError) as error:
        raise InvalidInput(f"spider {spider} cannot run: {error}") from None


def work(
    spider: str,
    database_url: str,
    redis_url: str,
    worker_id: str | None = None,
    progress: Callable[[dict[str, Any]], None] | None = None,
    delay: float | None = None,
) -> RunSummary:
    """Take pages of SPIDER's shared crawl until none is left; once per process (reactor).

    Raises:
        NotFound: no spider has this name.
        InvalidInput: nothing was queued for this spider.
        RedisUnavailable: Redis does not answer.
        CollectionFailed: the database is not ready.
    """
    _known(spider)
    check_database(database_url)
    try:
        state = crawl_state(spider, redis_url)
        arguments = shared_arguments(spider, redis_url)
    except redis.RedisError as error:
        raise RedisUnavailable(f"Redis at {redis_url} does not answer: {error}") from None
    if not state["queued"] and not state["workers"]:
        raise InvalidInput(f"nothing is queued for {spider}: run `ppne collect enqueue {spider}`")
    settings = worker_settings(redis_url, worker_id or new_worker_id(), delay)
    return run_spider(spider, database_url, settings=settings, progress=progress, **arguments)


def shared_crawl(spider: str, redis_url: str) -> dict[str, Any]:
    """What the shared crawl of SPIDER holds now (queue, live workers, finished workers)."""
    _known(spider)
    try:
        return crawl_state(spider, redis_url)
    except redis.RedisError as error:
        raise RedisUnavailable(f"Redis at {redis_url} does not answer: {error}") from None


def _known(spider: str) -> None:
    known = list_spiders()
    if spider not in known:
        raise NotFound(f"unknown spider {spider!r}; known spiders: {', '.join(known)}")
