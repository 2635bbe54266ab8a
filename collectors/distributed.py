"""Crawls shared by many workers through Redis: scrapy-redis's scheduler, made loss-free.

scrapy-redis gives the shared request queue and duplicate filter: every worker of a spider
pops from one queue and skips what any worker has seen. Its queues drop a request as soon as
it is popped, so a worker killed mid-crawl would lose the pages it held. Here a pop moves the
request into the worker's own *processing* list (collectors/redis_queue.py), and the entry
leaves it only once the page is done: its requests pushed to the queue, and every item it yielded
through the pipelines and committed by the store pipeline (the `batch_stored` signal). Each
worker keeps a heartbeat key alive; a worker that finds the queue empty takes back into the
queue what dead workers still held, and stays open while a live one may still push more. A
page crawled twice after a kill is stored once: the observation hash refuses the second copy.

Keys, per spider: `ppne:<spider>:requests` (queue), `:dupefilter`, `:args` (the spider's
arguments, set by `enqueue`), `:workers` (ids), `:alive:<id>` (heartbeat, expiring),
`:processing:<id>`, `:counts` (per worker, JSON).
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import redis
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy.spiderloader import get_spider_loader
from scrapy_redis import picklecompat
from twisted.internet import task

from collectors.pipelines.stats import STAT_DUPLICATES, STAT_SEEN, STAT_STORED, batch_stored
from collectors.pipelines.store import StorePipeline
from collectors.redis_queue import (
    ENTRY,
    PREFIX,
    ReliableQueue,
    reclaim_dead_workers,
    requeue_all,
    shared_key,
)
from collectors.runner import project_settings

HEARTBEAT_SECONDS = 2.0
HEARTBEAT_TTL = 10  # a worker silent this long is dead, and its pages go back to the queue


def worker_settings(redis_url: str, worker_id: str, delay: float | None = None) -> dict[str, Any]:
    """The Scrapy settings that turn a crawl into a worker of the shared one.

    `delay`: seconds at least between two requests of this worker to one site (politeness
    toward a store's site; AutoThrottle may wait longer, never less).
    """
    extra: dict[str, Any] = {} if delay is None else {"DOWNLOAD_DELAY": delay}
    return extra | {
        "REDIS_URL": redis_url,
        "SCHEDULER": "collectors.redis_queue.ReliableScheduler",
        "SCHEDULER_QUEUE_CLASS": "collectors.redis_queue.ReliableQueue",
        "SCHEDULER_QUEUE_KEY": f"{PREFIX}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{PREFIX}:%(spider)s:dupefilter",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_SERIALIZER": "scrapy_redis.picklecompat",
        "SCHEDULER_PERSIST": True,  # the queue belongs to every worker, not to this one
        "PPNE_WORKER_ID": worker_id,
        "EXTENSIONS": {"collectors.distributed.WorkerCoordination": 500},
        "SPIDER_MIDDLEWARES": {"collectors.distributed.WorkerSpiderMiddleware": 950},
        # The batch is what a kill can cost a worker (the pages are crawled again elsewhere).
        "PPNE_STORE_BATCH_SIZE": 100,
    }


class WorkerCoordination:
    """Heartbeat, acknowledgements and the decision to stop, for one worker's crawl."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.worker = str(settings.get("PPNE_WORKER_ID"))
        self.server = redis.Redis.from_url(str(settings.get("REDIS_URL")))
        self.spider_name = ""
        # Per page (its queue entry): items still in the pipelines, and pages whose items
        # went through them since the last commit began; a page is done when its output is
        # complete and neither holds it.
        self.in_pipelines: Counter[bytes] = Counter()
        self.uncommitted: set[bytes] = set()
        self.finished_outputs: set[bytes] = set()
        self.heartbeat: task.LoopingCall | None = None
        crawler.signals.connect(self.item_left_pipelines, signal=signals.item_scraped)
        crawler.signals.connect(self.item_left_pipelines, signal=signals.item_dropped)
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.idle, signal=signals.spider_idle)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)
        crawler.signals.connect(self.acknowledge, signal=batch_stored)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerCoordination:
        coordination = cls(crawler)
        crawler.ppne_coordination = coordination  # type: ignore[attr-defined]
        return coordination

    def key(self, *parts: str) -> str:
        return shared_key(self.spider_name, *parts)

    def opened(self, spider: Spider) -> None:
        self.spider_name = spider.name
        self.server.sadd(self.key("workers"), self.worker)
        self.beat()
        self.heartbeat = task.LoopingCall(self.beat)
        self.heartbeat.start(HEARTBEAT_SECONDS, now=False)

    def beat(self) -> None:
        self.server.set(self.key("alive", self.worker), "1", ex=HEARTBEAT_TTL)

    def item_emitted(self, entry: bytes) -> None:
        """A page yielded an item: the page is not done before the item is committed."""
        self.in_pipelines[entry] += 1

    def item_left_pipelines(self, response: Response | None = None, **_: Any) -> None:
        """Stored in the pending batch, or dropped to the quarantine: both commit later."""
        entry = response.request.meta.get(ENTRY) if response is not None else None
        if entry is None:
            return
        self.in_pipelines[entry] -= 1
        if self.in_pipelines[entry] <= 0:
            del self.in_pipelines[entry]
        self.uncommitted.add(entry)

    def output_done(self, entry: bytes) -> None:
        """A page's output was all handed over (its requests are queued in Redis already)."""
        self.finished_outputs.add(entry)
        self._release_done()

    def acknowledge(self) -> None:
        """The store pipeline committed: what left the pipelines before it is stored."""
        self.uncommitted.clear()
        self._release_done()

    def _release_done(self) -> None:
        done = [
            entry
            for entry in self.finished_outputs
            if entry not in self.in_pipelines and entry not in self.uncommitted
        ]
        if not done:
            return
        self.finished_outputs.difference_update(done)
        with self.server.pipeline() as pipe:
            for entry in done:
                pipe.lrem(self.key("processing", self.worker), 1, entry)
            pipe.execute()

    def idle(self, spider: Spider) -> None:
        """Stay open while the shared crawl may still give this worker something to do."""
        # Idle: nothing of this worker is downloading or in the pipelines, so every page it
        # holds is finished (stored or failed for good) once its last rows are committed.
        self._commit_pending_rows()
        self.finished_outputs.clear()
        self.server.delete(self.key("processing", self.worker))
        if reclaim_dead_workers(self.server, spider.name, keep=self.worker):
            raise DontCloseSpider
        if self.server.llen(self.key("requests")):
            raise DontCloseSpider
        for other in self.server.smembers(self.key("workers")):
            name = other.decode()
            # A live worker holding pages may still push new requests, or die with them.
            if name != self.worker and self.server.llen(self.key("processing", name)):
                raise DontCloseSpider

    def _commit_pending_rows(self) -> None:
        engine = self.crawler.engine
        pipelines = engine.scraper.itemproc.middlewares if engine is not None else ()
        for pipeline in pipelines:
            if isinstance(pipeline, StorePipeline):
                pipeline.flush()

    def closed(self, spider: Spider, reason: str) -> None:
        """After the pipelines' last commit: release what this worker held, record counts."""
        if self.heartbeat is not None and self.heartbeat.running:
            self.heartbeat.stop()
        processing = self.key("processing", self.worker)
        if reason == "finished":
            # Everything held was handled (stored, or failed for good after its retries).
            self.server.delete(processing)
        else:
            requeue_all(self.server, processing, self.key("requests"))
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        counts = {
            "seen": int(stats.get(STAT_SEEN, 0)),
            "stored": int(stats.get(STAT_STORED, 0)),
            "duplicates": int(stats.get(STAT_DUPLICATES, 0)),
            "pages": int(stats.get("response_received_count", 0)),
            "reason": reason,
        }
        self.server.hset(self.key("counts"), self.worker, json.dumps(counts))
        self.server.srem(self.key("workers"), self.worker)
        self.server.delete(self.key("alive", self.worker))


class WorkerSpiderMiddleware:
    """A worker's pages come from the shared queue, not its own start; track each output."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerSpiderMiddleware:
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        # `ppne collect enqueue` queued the start requests once for all workers.
        return
        yield

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        for element in result:
            self._emitted(response, element)
            yield element
        self._done(response)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for element in result:
            self._emitted(response, element)
            yield element
        self._done(response)

    def _coordination(self, response: Response) -> tuple[bytes | None, Any]:
        return response.request.meta.get(ENTRY), getattr(self.crawler, "ppne_coordination", None)

    def _emitted(self, response: Response, element: Any) -> None:
        entry, coordination = self._coordination(response)
        if entry is not None and coordination is not None and not isinstance(element, Request):
            coordination.item_emitted(entry)

    def _done(self, response: Response) -> None:
        entry, coordination = self._coordination(response)
        if entry is not None and coordination is not None:
            coordination.output_done(entry)


def enqueue(spider_name: str, redis_url: str, fresh: bool = True, **arguments: str) -> int:
    """Queue a spider's start requests for the workers; return how many.

    `fresh` forgets the previous shared crawl of this spider (queue, seen pages, counts);
    without it the requests join what is queued and pages already seen stay skipped.
    """
    server = redis.Redis.from_url(redis_url)
    server.ping()
    settings = project_settings(overrides=worker_settings(redis_url, "enqueue"))
    spider_class = get_spider_loader(settings).load(spider_name)
    crawler = Crawler(spider_class, settings)
    spider = spider_class.from_crawler(crawler, **arguments)
    requests = asyncio.run(_start_requests(spider))
    if fresh:
        stale = [shared_key(spider_name, part) for part in ("requests", "dupefilter", "counts")]
        stale += [
            member.decode() for member in server.keys(shared_key(spider_name, "processing", "*"))
        ]
        server.delete(*stale)
    server.delete(shared_key(spider_name, "args"))
    if arguments:
        server.hset(shared_key(spider_name, "args"), mapping=arguments)
    queue = ReliableQueue(server, spider, shared_key(spider_name, "requests"), picklecompat)
    for request in requests:
        queue.push(request)
    return len(requests)


async def _start_requests(spider: Spider) -> list[Request]:
    return [request async for request in spider.start() if isinstance(request, Request)]


def shared_arguments(spider_name: str, redis_url: str) -> dict[str, str]:
    """The spider arguments `enqueue` stored for the workers."""
    server = redis.Redis.from_url(redis_url)
    stored = server.hgetall(shared_key(spider_name, "args"))
    return {name.decode(): value.decode() for name, value in stored.items()}


def crawl_state(spider_name: str, redis_url: str) -> dict[str, Any]:
    """The shared crawl now: queued, held per live worker, and each finished worker's counts."""
    server = redis.Redis.from_url(redis_url)
    workers = sorted(
        member.decode() for member in server.smembers(shared_key(spider_name, "workers"))
    )
    counts = {
        worker.decode(): json.loads(value)
        for worker, value in server.hgetall(shared_key(spider_name, "counts")).items()
    }
    return {
        "spider": spider_name,
        "queued": int(server.llen(shared_key(spider_name, "requests"))),
        "seen": int(server.scard(shared_key(spider_name, "dupefilter"))),
        "workers": {
            worker: {
                "alive": bool(server.exists(shared_key(spider_name, "alive", worker))),
                "holding": int(server.llen(shared_key(spider_name, "processing", worker))),
            }
            for worker in workers
        },
        "finished_workers": counts,
    }
