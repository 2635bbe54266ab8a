"""`ppne bench api`, second part: /v1/observations beside Datasette's table JSON on the same
SQLite file of a million synthetic observations, and the whole list streamed as CSV and Parquet.

Both servers answer the same filtered query (one region's stores, one item, one year, 100 rows
a page, in id order) and its next page. Each is measured twice: as fast as `clients` threads
can go (requests/s), and at a fixed 100 requests/s (p50 and p99, the bounded load).
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from bench.api import _wait_until_up
from bench.bench_servers import (
    peak_mb,
    resident_mb,
    serve_api,
    serve_datasette,
    two_free_ports,
)
from bench.http_load import PACED_RATE, Client, Load, close_all, fetch, load, wait_for
from bench.observation_urls import bench_query, engine_connection, second_pages
from bench.synthetic import write_synthetic_observations
from core.db import dispose_engines
from core.models import PriceObservation
from services.database import set_up_database


@dataclass(frozen=True)
class Stream:
    """A whole list streamed in one format."""

    name: str
    rows: int
    bytes: int
    seconds: float
    peak_mb: float

    @property
    def rows_per_second(self) -> float:
        """Return rows streamed per second."""
        return self.rows / self.seconds if self.seconds else 0.0


def stream(name: str, base: str, path: str, rows: int, server_pid: int) -> Stream:
    """Download a whole streamed list and return its rate and the server's peak memory."""
    local = Client()
    start = time.perf_counter()
    status, body = fetch(base, path, local)
    seconds = time.perf_counter() - start
    if status != 200:
        raise RuntimeError(f"{name}: {path} answered {status}")
    return Stream(name, rows, len(body), seconds, peak_mb(server_pid))


def measure(
    rows: int, clients: int, seconds: float, keep: Path | None = None
) -> tuple[list[Load], list[Stream]]:
    """Build `rows` observations in a temporary SQLite file (or in `keep`, reused when it is
    there already), serve it with the API and with Datasette, and measure both; then stream
    the whole list from the API."""
    with tempfile.TemporaryDirectory(prefix="ppne-bench-observations-") as folder:
        file = keep or Path(folder) / "bench.db"
        url = f"sqlite:///{file}"
        if not file.exists():
            set_up_database(url)
            write_synthetic_observations(url, rows)
        with engine_connection(url) as connection:
            rows = int(
                connection.execute(select(func.count()).select_from(PriceObservation)).scalar_one()
            )
        query = bench_query(url)
        dispose_engines()
        ours_port, theirs_port = two_free_ports()
        ours = serve_api(url, ours_port, folder)
        theirs = serve_datasette(file, theirs_port, folder)
        try:
            ours_base = f"http://127.0.0.1:{ours_port}"
            theirs_base = f"http://127.0.0.1:{theirs_port}"
            _wait_until_up(ours_base, ours)
            wait_for(theirs_base + "/-/versions.json", theirs)
            ours_next, theirs_next = second_pages(ours_base, theirs_base, query)
            loads = [
                load("ppne page 1", ours_base, query.ours, clients, seconds),
                load("datasette page 1", theirs_base, query.datasette, clients, seconds),
                load("ppne page 2", ours_base, ours_next, clients, seconds),
                load("datasette page 2", theirs_base, theirs_next, clients, seconds),
            ]
            before = resident_mb(ours.pid)
            streams = [
                stream("csv", ours_base, "/v1/observations?format=csv", rows, ours.pid),
                stream("parquet", ours_base, "/v1/observations?format=parquet", rows, ours.pid),
            ]
            return loads, [*streams, Stream("before the streams", 0, 0, 0.0, before)]
        finally:
            close_all()
            for server in (ours, theirs):
                server.terminate()
                server.wait(timeout=30)


def describe(loads: list[Load], streams: list[Stream]) -> str:
    """Return one line per URL and stream, and the ratios to Datasette."""
    lines = [
        f"{load.name}: {load.per_second:,.1f} requests/s ({load.failures} failed), "
        f"p50 {load.p50_ms:.1f} ms, p99 {load.p99_ms:.1f} ms flat out; at "
        f"{PACED_RATE:.0f} requests/s p50 {load.paced_p50_ms:.1f} ms, "
        f"p99 {load.paced_p99_ms:.1f} ms"
        for load in loads
    ]
    by_name = {load.name: load for load in loads}
    for page in ("page 1", "page 2"):
        theirs = by_name[f"datasette {page}"].per_second
        ratio = by_name[f"ppne {page}"].per_second / theirs if theirs else float("inf")
        lines.append(f"ppne / datasette requests/s, {page}: {ratio:.2f}x")
    lines += [
        f"stream {s.name}: {s.rows:,} rows, {s.bytes / 1e6:,.1f} MB in {s.seconds:.1f} s, "
        f"{s.rows_per_second:,.0f} rows/s; API peak memory {s.peak_mb:.0f} MB"
        for s in streams
        if s.rows
    ]
    lines += [
        f"API resident memory before the streams: {s.peak_mb:.0f} MB" for s in streams if not s.rows
    ]
    return "\n".join(lines)
