"""Read and prepare an import's batches in a second process while this one writes them.

Reading, parsing and hashing take about as long as SQLite's inserts; on two cores the two
overlap. The database is only ever written by the first process, one transaction per batch,
so a crash leaves the same state as without the worker.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import time
from collections.abc import Callable, Generator, Iterator
from multiprocessing.connection import Connection

from core.errors import InvalidInput
from importers.batches import Batch
from importers.gc_batches import after_batch, collection_between_batches


def worker_available() -> bool:
    """Return whether batches can be prepared in a forked second process on a second core."""
    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1


def core_free(sample_seconds: float = 0.1) -> bool:
    """Return whether a core sits idle now beside the one this import takes: over a short
    sample (this process asleep), the machine's idle time adds up to one and a half cores or
    more. Where /proc/stat is missing, the 1-minute load average leaves a core unused.

    With every core taken, the two processes share the CPU one process would get (Linux
    groups a session's processes and shares CPU between groups), so the second one only adds
    its pickling: 6.3 s of CPU against 5.4 s in one process for 200,000 rows, measured on
    the project's 2-core machine under load. Not the load average where it can be helped: it
    lags a minute behind, so an import started right after other work (three benchmark runs
    in a row) ran alone beside a core idle for seconds.
    """
    cores = os.cpu_count() or 1
    before = _cpu_times()
    if before is None:
        return os.getloadavg()[0] < cores - 1
    time.sleep(sample_seconds)
    after = _cpu_times()
    if after is None:
        return os.getloadavg()[0] < cores - 1
    idle, total = after[0] - before[0], after[1] - before[1]
    return total > 0 and idle / total * cores >= 1.5


def _cpu_times() -> tuple[int, int] | None:
    """Return the machine's idle and total CPU time so far (in clock ticks), from /proc/stat."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = stat.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu":
        return None
    # user nice system idle iowait irq softirq steal ...; a core waiting on a disk is free too.
    ticks = [int(value) for value in fields[1:9]]
    return ticks[3] + ticks[4], sum(ticks)


class WorkerBatches:
    """Batches produced by ``produce`` in a child process, received here in order.

    Start it before any thread is running (a progress bar): the child is forked.
    """

    def __init__(self, produce: Callable[[], Generator[Batch, None, None]]) -> None:
        context = multiprocessing.get_context("fork")
        self._reader, writer = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_produce, args=(produce, self._reader, writer), daemon=True
        )
        self._process.start()
        # Only the child writes: once it exits, a read here ends instead of waiting forever.
        writer.close()

    def __iter__(self) -> Iterator[Batch]:
        try:
            while True:
                try:
                    kind, payload = self._reader.recv()
                except EOFError:
                    self._process.join()
                    raise RuntimeError(
                        "the process reading the file ended without finishing"
                        f" (exit code {self._process.exitcode})"
                    ) from None
                if kind == "batch":
                    yield payload
                elif kind == "error":
                    raise payload
                else:
                    return
        finally:
            self.close()

    def close(self) -> None:
        """Stop the child if it still runs (the import failed or was interrupted here)."""
        self._reader.close()
        if self._process.is_alive():
            self._process.kill()
        self._process.join()


def _produce(
    produce: Callable[[], Generator[Batch, None, None]], reader: Connection, writer: Connection
) -> None:
    # In the child. Closing our copy of the read end means a send fails (BrokenPipeError) as
    # soon as the parent is gone, even killed with SIGKILL: the child never outlives it.
    reader.close()
    # What the child inherited is never freed here: collection_between_batches keeps the
    # garbage collector off it (and off its pages, which a full collection would copy).
    code = 0
    try:
        with collection_between_batches():
            for batch in produce():
                writer.send(("batch", batch))
                after_batch()
        writer.send(("done", None))
    except BrokenPipeError:
        code = 1
    except BaseException as error:
        code = 1
        with contextlib.suppress(BrokenPipeError):
            writer.send(("error", _portable(error)))
    # No interpreter shutdown in the child: it must not close the database connections it
    # inherited from the parent (closing an SQLite file here drops the parent's locks).
    os._exit(code)


def _portable(error: BaseException) -> BaseException:
    # An exception that cannot cross the pipe as it is still says what went wrong.
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        kind = InvalidInput if isinstance(error, InvalidInput) else RuntimeError
        return kind(f"{type(error).__name__}: {error}")
    return error
