"""Two workers share a crawl through Redis; one is killed part-way, and nothing is lost or doubled.

Needs the Redis server on 127.0.0.1:6379 (CI has it); skipped with one line without it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
import redis
from scrapy import Request, Spider
from scrapy.settings import Settings
from scrapy_redis import picklecompat
from sqlalchemy import create_engine, text

from collectors.distributed import crawl_state
from collectors.redis_queue import ENTRY, ReliableQueue, shared_key
from core.migrate import upgrade
from demo_store.site import serve_demo_store

pytestmark = pytest.mark.slow

STORE, PERIODS = "iga-lachine", "2026-09,2026-10"
ROWS = text(
    "SELECT s.code, p.sku, o.price, o.price_kind, o.observed_at FROM priceobservation o "
    "JOIN store s ON s.id = o.store_id JOIN storeproduct p ON p.id = o.store_product_id"
)


@pytest.fixture
def redis_url(worker_id: str) -> Iterator[str]:
    """A Redis database of this test's own (one per xdist worker), emptied before and after."""
    number = 10 + (int(worker_id.removeprefix("gw")) if worker_id.startswith("gw") else 0) % 6
    url = f"redis://127.0.0.1:6379/{number}"
    server = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.ConnectionError:
        pytest.skip("distributed crawl skipped: no Redis answers on 127.0.0.1:6379")
    server.flushdb()
    yield url
    server.flushdb()


def ppne(*args: str, env: dict[str, str], **kwargs: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "cli", *args], env=env, **kwargs)  # type: ignore[call-overload]


def stored_rows(url: str) -> list[tuple[str, ...]]:
    """Each stored price as text, the same on SQLite and PostgreSQL (numbers, UTC times)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return sorted(
                (code, sku, f"{float(price):.2f}", kind, _utc(observed))
                for code, sku, price, kind, observed in connection.execute(ROWS)
            )
    finally:
        engine.dispose()


def _utc(value: object) -> str:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return (
        moment.replace(tzinfo=None).isoformat()
        if moment.tzinfo is None
        else (moment.astimezone(UTC).replace(tzinfo=None).isoformat())
    )


def test_a_worker_killed_mid_crawl_loses_and_doubles_nothing(
    db_url: str, redis_url: str, tmp_path: Path
) -> None:
    reference_url = f"sqlite:///{tmp_path / 'single.db'}"
    upgrade(reference_url)
    env = dict(os.environ, PPNE_REDIS_URL=redis_url)
    server = redis.Redis.from_url(redis_url)
    with serve_demo_store() as site:
        crawl = ["--base-url", site.url, "--store", STORE, "--periods", PERIODS]
        single = ppne(
            "collect", "run", "demo", *crawl, env={**env, "PPNE_DATABASE_URL": reference_url}
        )
        assert single.wait(timeout=600) == 0

        queued = ppne("collect", "enqueue", "demo", *crawl, env=env)
        assert queued.wait(timeout=120) == 0
        # A small delay between requests: the crawl lasts long enough to be cut in the middle.
        worker = ("collect", "worker", "--spiders", "demo", "--delay", "0.03")
        first = ppne(*worker, "--name", "first", env=env)
        second = ppne(*worker, "--name", "second", env=env)
        try:
            # Kill the first worker while it holds pages it has not finished.
            deadline = time.monotonic() + 300
            while not (
                server.scard(shared_key("demo", "dupefilter")) >= 40
                and server.llen(shared_key("demo", "processing", "first")) > 0
            ):
                assert time.monotonic() < deadline, crawl_state("demo", redis_url)
                assert first.poll() is None, "the first worker ended before it could be killed"
                time.sleep(0.05)
            held = server.llen(shared_key("demo", "processing", "first"))
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
            assert second.wait(timeout=600) == 0
        finally:
            for process in (first, second):
                if process.poll() is None:
                    process.kill()

    state = crawl_state("demo", redis_url)
    assert held > 0
    assert state["queued"] == 0 and state["workers"] == {}, state
    assert state["finished_workers"]["second"]["reason"] == "finished"
    reference = stored_rows(reference_url)
    assert len(reference) > 100
    assert stored_rows(db_url) == reference


def _queue(server: redis.Redis, worker: str) -> ReliableQueue:
    spider = Spider(name="demo")
    spider.crawler = SimpleNamespace(settings=Settings({"PPNE_WORKER_ID": worker}))  # type: ignore[assignment]
    return ReliableQueue(server, spider, shared_key("demo", "requests"), picklecompat)


def test_a_new_request_is_seen_and_queued_in_one_step(redis_url: str) -> None:
    server = redis.Redis.from_url(redis_url)
    queue = _queue(server, "first")
    seen = shared_key("demo", "dupefilter")
    sent: list[str] = []
    send = server.execute_command

    def recorded(*args: object, **options: object) -> object:
        sent.append(str(args[0]).upper())
        return send(*args, **options)

    server.execute_command = recorded  # type: ignore[method-assign]
    assert queue.push_if_unseen(Request("http://demo.invalid/a"), seen, "fp-a") is True
    assert queue.push_if_unseen(Request("http://demo.invalid/a"), seen, "fp-a") is False
    assert server.llen(queue.key) == 1 and server.smembers(seen) == {b"fp-a"}
    # Never two commands a kill could fall between: the server runs both in one script.
    assert not {"SADD", "LPUSH"} & set(sent) and "EVALSHA" in sent


def test_a_handed_over_entry_leaves_the_processing_list_only_when_queued(
    redis_url: str,
) -> None:
    server = redis.Redis.from_url(redis_url)
    queue = _queue(server, "first")
    seen = shared_key("demo", "dupefilter")
    server.lpush(queue.processing, b"page-b", b"page-a")
    moved = Request("http://demo.invalid/a-moved", meta={ENTRY: b"page-a"})
    assert queue.push_if_unseen(moved, seen, "fp-a-moved") is True
    assert server.lrange(queue.processing, 0, -1) == [b"page-b"]
    assert ENTRY not in moved.meta
    again = Request("http://demo.invalid/a-moved", meta={ENTRY: b"page-b"})
    assert queue.push_if_unseen(again, seen, "fp-a-moved") is False
    # Not queued: the page that led to it keeps its entry, and the request says which.
    assert server.lrange(queue.processing, 0, -1) == [b"page-b"]
    assert again.meta[ENTRY] == b"page-b"


def test_a_worker_with_nothing_queued_says_so_in_one_line(db_url: str, redis_url: str) -> None:
    env = dict(os.environ, PPNE_REDIS_URL=redis_url)
    worker = subprocess.run(
        [sys.executable, "-m", "cli", "collect", "worker", "--spiders", "demo"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert worker.returncode == 1
    assert worker.stderr.strip().splitlines() == [
        "error: nothing is queued for demo: run `ppne collect enqueue demo`"
    ]
