"""The shared request queue of a distributed crawl: scrapy-redis's queue and scheduler, made
loss-free (collectors/distributed.py coordinates the workers around it).

A pop moves a request into the worker's own *processing* list (Redis LMOVE, atomic) instead of
dropping it, and a new request is marked seen and queued in one step on the server.
"""

from __future__ import annotations

import os
import socket
import uuid
from typing import Any

import redis
from scrapy import Request, Spider
from scrapy_redis.queue import Base
from scrapy_redis.scheduler import Scheduler

PREFIX = "ppne"
ENTRY = "ppne_queue_entry"  # request.meta: the queue entry a popped request came from


def shared_key(spider: str, *parts: str) -> str:
    """The Redis key of a spider's shared crawl state."""
    return ":".join((PREFIX, spider, *parts))


def new_worker_id() -> str:
    """A name for this worker, unique across machines: host, process, random."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


# Marks a request seen and queues it in one step on the server: as two commands, a worker
# killed between them left a request seen but never queued, and the page that linked to it,
# crawled again by another worker, found its link already seen: the page behind was lost.
# KEYS: seen set, queue, processing list; ARGV: fingerprint, entry, entry handed over or "".
PUSH_IF_UNSEEN = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('LPUSH', KEYS[2], ARGV[2])
if ARGV[3] ~= '' then redis.call('LREM', KEYS[3], 1, ARGV[3]) end
return 1
"""


class ReliableQueue(Base):
    """A FIFO queue whose pops are held in the worker's processing list until done."""

    def __init__(self, server: redis.Redis, spider: Spider, key: str, serializer: Any = None):
        super().__init__(server, spider, key, serializer)
        worker = spider.crawler.settings.get("PPNE_WORKER_ID") or new_worker_id()
        self.processing = shared_key(spider.name, "processing", worker)
        self._push_if_unseen = server.register_script(PUSH_IF_UNSEEN)

    def __len__(self) -> int:
        return int(self.server.llen(self.key))

    def push(self, request: Request) -> None:
        """Queue a request; a retry or redirect of a popped one hands its entry over."""
        handed_over = request.meta.pop(ENTRY, None)
        self.server.lpush(self.key, self._encode_request(request))
        if handed_over is not None:
            self.server.lrem(self.processing, 1, handed_over)

    def push_if_unseen(self, request: Request, seen: str, fingerprint: str) -> bool:
        """Queue a request unless its fingerprint is in the `seen` set, marking it seen in
        the same step; return whether it was queued."""
        handed_over = request.meta.pop(ENTRY, None)
        queued = self._push_if_unseen(
            keys=[seen, self.key, self.processing],
            args=[fingerprint, self._encode_request(request), handed_over or b""],
        )
        if not queued and handed_over is not None:
            request.meta[ENTRY] = handed_over  # not queued: its page still holds the entry
        return bool(queued)

    def pop(self, timeout: int = 0) -> Request | None:
        """Move the oldest request into this worker's processing list and return it."""
        entry = self.server.lmove(self.key, self.processing, "RIGHT", "LEFT")
        if entry is None:
            return None
        request = self._decode_request(entry)
        request.meta[ENTRY] = entry
        return request


class ReliableScheduler(Scheduler):
    """scrapy-redis's scheduler, with a new request seen and queued in one step."""

    queue: ReliableQueue

    def enqueue_request(self, request: Request) -> bool:
        """Queue a request not seen before by any worker (or one not to filter)."""
        if request.dont_filter:
            return bool(super().enqueue_request(request))
        fingerprint = self.df.request_fingerprint(request)
        if not self.queue.push_if_unseen(request, self.df.key, fingerprint):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True


def requeue_all(server: redis.Redis, source: str, queue: str) -> int:
    """Move every entry of a processing list back to the queue (its oldest first)."""
    moved = 0
    while server.lmove(source, queue, "RIGHT", "RIGHT") is not None:
        moved += 1
    return moved


def reclaim_dead_workers(server: redis.Redis, spider: str, keep: str = "") -> int:
    """Give the queue back what workers with no heartbeat held; return how many pages."""
    moved = 0
    for member in server.smembers(shared_key(spider, "workers")):
        worker = member.decode()
        if worker == keep or server.exists(shared_key(spider, "alive", worker)):
            continue
        moved += requeue_all(
            server, shared_key(spider, "processing", worker), shared_key(spider, "requests")
        )
        server.srem(shared_key(spider, "workers"), worker)
    return moved
