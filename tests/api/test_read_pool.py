"""The public reads share a few worker threads: more concurrent reads wait for one."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import anyio
import pytest

from api.read_pool import read_in_pool
from core.settings import get_settings


@pytest.fixture
def two_read_threads(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PPNE_API_READ_THREADS", "2")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_at_most_the_configured_reads_run_at_once(two_read_threads: None) -> None:
    running, most = 0, 0
    lock = threading.Lock()

    def slow_read(n: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return n * 10

    async def six_reads() -> list[int]:
        results: list[int] = []

        async def one(n: int) -> None:
            results.append(await read_in_pool(slow_read, n))

        async with anyio.create_task_group() as group:
            for n in range(6):
                group.start_soon(one, n)
        return sorted(results)

    assert anyio.run(six_reads) == [0, 10, 20, 30, 40, 50]
    assert most == 2


def test_a_read_that_fails_raises_in_the_caller() -> None:
    def failing() -> None:
        raise LookupError("no such region")

    async def call() -> None:
        await read_in_pool(failing)

    with pytest.raises(LookupError, match="no such region"):
        anyio.run(call)


def test_the_read_threads_setting_refuses_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PPNE_API_READ_THREADS", "0")
    get_settings.cache_clear()
    try:
        with pytest.raises(ValueError, match="api_read_threads"):
            get_settings()
    finally:
        monkeypatch.delenv("PPNE_API_READ_THREADS")
        get_settings.cache_clear()
