"""Run Python's cycle collector between an import's batches, not thousands of times inside one."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_between_batches() -> Iterator[None]:
    """Pause automatic garbage collection; the loop calls after_batch() once per batch.

    A batch holds tens of thousands of new tuples and rows. With automatic collection on,
    each full collection walked the batch built so far, again and again: a quarter of the
    reading process's time on 200,000 rows. Rows free themselves by reference counting; the
    only garbage left for the collector is cycles, and one pass per batch bounds it to one
    batch's worth. The objects alive before (modules, the engine, pandas) are frozen out of
    every pass: they outlive the import.
    """
    was_enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.unfreeze()


def after_batch() -> None:
    """Collect the cycles the last batch left (the young generations only: cheap)."""
    gc.collect(1)
