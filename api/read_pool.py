"""The public routes' database reads, run on a few worker threads shared by all of them.

Starlette runs a plain `def` route on a pool of forty threads. Under twenty concurrent
requests for observation pages, forty threads fought over the GIL: the API answered 137
pages a second, each costing 9 ms of CPU, against 3.6 ms and over 280 a second with four
threads (`ppne bench api`). Reads queue for a thread instead; the event loop stays free.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from functools import partial
from typing import ParamSpec, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter

from core.settings import get_settings

P = ParamSpec("P")
T = TypeVar("T")
# One limiter per event loop: a limiter belongs to the loop it was first used in (a test
# client starts a loop of its own).
_LIMITERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)


def _limiter() -> CapacityLimiter:
    loop = asyncio.get_running_loop()
    limiter = _LIMITERS.get(loop)
    if limiter is None:
        limiter = _LIMITERS[loop] = CapacityLimiter(get_settings().api_read_threads)
    return limiter


async def read_in_pool(read: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a blocking database read on one of the shared read threads and return its result."""
    return await anyio.to_thread.run_sync(partial(read, *args, **kwargs), limiter=_limiter())
