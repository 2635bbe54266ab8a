"""`ppne bench api`, second part: /v1/observations beside Datasette's table JSON on the same
SQLite file of a million synthetic observations, and the whole list streamed as CSV and Parquet.

Both servers answer the same filtered query (one region's stores, one item, one year, 100 rows
a page, in id order) and its next page. Each is measured twice: as fast as `clients` threads
can go (requests/s), and at a fixed 100 requests/s (p50 and p99, the bounded load).
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from sqlalchemy import func, select

from bench.api import _wait_until_up
from bench.synthetic import write_synthetic_observations
from core.db import dispose_engines, get_engine
from core.models import BasketItem, PriceObservation, ProductMatch, Region, Store
from core.queries.observations import descendant_region_ids
from services.database import set_up_database

YEAR = 2024
PACED_RATE = 100.0


@dataclass(frozen=True)
class Load:
    """What one URL answered: requests/s flat out, and latencies at the paced rate."""

    name: str
    per_second: float
    failures: int
    p50_ms: float
    p99_ms: float
    paced_p50_ms: float
    paced_p99_ms: float


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


@dataclass(frozen=True)
class BenchQuery:
    """The filtered query, as the project's URL and as Datasette's."""

    ours: str
    datasette: str


def bench_query(url: str) -> BenchQuery:
    """Return the URLs of the stores of the borough with the most stores, the first basket
    item and one year; Datasette's names the same store and product ids."""
    with engine_connection(url) as connection:
        boroughs = connection.execute(
            select(Region.id, Region.code).where(Region.level == "borough").order_by(Region.id)
        ).all()
        by_region: dict[int, list[int]] = {}
        for store_id, region_id in connection.execute(select(Store.id, Store.region_id)):
            by_region.setdefault(region_id, []).append(store_id)
        best: tuple[str, list[int]] = ("", [])
        for region_id, code in boroughs:
            stores = [
                store
                for region in descendant_region_ids(connection, region_id)
                for store in by_region.get(region, [])
            ]
            if len(stores) > len(best[1]):
                best = (code, sorted(stores))
        item_id, item_code = connection.execute(
            select(BasketItem.id, BasketItem.code).order_by(BasketItem.id)
        ).first() or (0, "")
        products = connection.execute(
            select(ProductMatch.store_product_id).where(ProductMatch.item_id == item_id)
        ).scalars()
        product_list = ",".join(str(n) for n in sorted(products))
    ours = {
        "region": best[0],
        "item": item_code,
        "from": f"{YEAR}-01-01",
        "to": f"{YEAR}-12-31",
        "size": 100,
    }
    theirs = {
        "store_id__in": ",".join(str(n) for n in best[1]),
        "store_product_id__in": product_list,
        "observed_at__gte": f"{YEAR}-01-01",
        "observed_at__lt": f"{YEAR + 1}-01-01",
        "_size": 100,
    }
    return BenchQuery(
        f"/v1/observations?{urlencode(ours)}", f"/bench/priceobservation.json?{urlencode(theirs)}"
    )


def engine_connection(url: str) -> Any:
    """Return a connection to the database at `url` (a context manager)."""
    return get_engine(url).connect()


# Every connection opened, closed when a measure ends (no socket left to the collector).
_OPENED: list[http.client.HTTPConnection] = []


class _Client(threading.local):
    """One keep-alive connection per thread and server."""

    def __init__(self) -> None:
        self.connections: dict[str, http.client.HTTPConnection] = {}


def _close_all() -> None:
    while _OPENED:
        _OPENED.pop().close()


def _fetch(base: str, path: str, local: _Client) -> tuple[int, bytes]:
    netloc = urlsplit(base).netloc
    connection = local.connections.get(netloc)
    if connection is None:
        connection = local.connections[netloc] = http.client.HTTPConnection(netloc, timeout=60)
        _OPENED.append(connection)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        return answer.status, answer.read()
    except (OSError, http.client.HTTPException):
        connection.close()
        del local.connections[netloc]
        return 0, b""


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values) or [0.0]
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def load(name: str, base: str, path: str, clients: int, seconds: float) -> Load:
    """Load one URL flat out from `clients` threads, then at PACED_RATE requests/s."""
    local = _Client()
    status, _ = _fetch(base, path, local)  # warm caches; the answer must be a 200
    if status != 200:
        raise RuntimeError(f"{name}: {base}{path} answered {status}")
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def flat_out() -> None:
        mine, failed = [], 0
        while time.monotonic() < stop:
            start = time.perf_counter()
            failed += _fetch(base, path, local)[0] != 200
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            failures[0] += failed

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for _ in range(clients):
            pool.submit(flat_out)
    elapsed = time.monotonic() - started
    paced = _paced(base, path, seconds)
    return Load(
        name,
        (len(latencies) - failures[0]) / elapsed,
        failures[0],
        _percentile(latencies, 0.5),
        _percentile(latencies, 0.99),
        _percentile(paced, 0.5),
        _percentile(paced, 0.99),
    )


def _paced(base: str, path: str, seconds: float) -> list[float]:
    """Send PACED_RATE requests a second (open loop) and return each one's latency; a request
    still unsent when twice the time has passed is dropped and counted as infinitely slow."""
    local = _Client()
    latencies: list[float] = []
    lock = threading.Lock()
    count = int(PACED_RATE * seconds)
    begin = time.perf_counter() + 0.05
    give_up = begin + 2 * seconds

    def one(n: int) -> None:
        due = begin + n / PACED_RATE
        time.sleep(max(0.0, due - time.perf_counter()))
        if time.perf_counter() > give_up:
            latency = float("inf")
        else:
            _fetch(base, path, local)
            # From when it was due: a queue behind a slow server counts against it.
            latency = time.perf_counter() - due
        with lock:
            latencies.append(latency)

    with ThreadPoolExecutor(max_workers=32) as pool:
        list(pool.map(one, range(count)))
    return latencies


def stream(name: str, base: str, path: str, rows: int, server_pid: int) -> Stream:
    """Download a whole streamed list and return its rate and the server's peak memory."""
    local = _Client()
    start = time.perf_counter()
    status, body = _fetch(base, path, local)
    seconds = time.perf_counter() - start
    if status != 200:
        raise RuntimeError(f"{name}: {path} answered {status}")
    return Stream(name, rows, len(body), seconds, _peak_mb(server_pid))


def _resident_mb(pid: int) -> float:
    """Return the resident memory of a process now (VmRSS), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb(pid: int) -> float:
    """Return the highest resident memory of a process so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _two_free_ports() -> tuple[int, int]:
    # Both held open while asked for, so the system cannot hand out the same port twice.
    with socket.socket() as first, socket.socket() as second:
        first.bind(("127.0.0.1", 0))
        second.bind(("127.0.0.1", 0))
        return int(first.getsockname()[1]), int(second.getsockname()[1])


def _serve(command: list[str], folder: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, env=env, cwd=folder, stdout=subprocess.DEVNULL)


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
        ours_port, theirs_port = _two_free_ports()
        env = {**os.environ, "PPNE_DATABASE_URL": url}
        ours = _serve(
            [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host",
             "127.0.0.1", "--port", str(ours_port), "--log-level", "warning"],
            folder, env,
        )  # fmt: skip
        theirs = _serve(
            [sys.executable, "-m", "datasette", "serve", str(file), "--host", "127.0.0.1",
             "--port", str(theirs_port)],
            folder, env,
        )  # fmt: skip
        try:
            ours_base = f"http://127.0.0.1:{ours_port}"
            theirs_base = f"http://127.0.0.1:{theirs_port}"
            _wait_until_up(ours_base, ours)
            _wait_for(theirs_base + "/-/versions.json", theirs)
            ours_next, theirs_next = _second_pages(ours_base, theirs_base, query)
            loads = [
                load("ppne page 1", ours_base, query.ours, clients, seconds),
                load("datasette page 1", theirs_base, query.datasette, clients, seconds),
                load("ppne page 2", ours_base, ours_next, clients, seconds),
                load("datasette page 2", theirs_base, theirs_next, clients, seconds),
            ]
            before = _resident_mb(ours.pid)
            streams = [
                stream("csv", ours_base, "/v1/observations?format=csv", rows, ours.pid),
                stream("parquet", ours_base, "/v1/observations?format=parquet", rows, ours.pid),
            ]
            return loads, [*streams, Stream("before the streams", 0, 0, 0.0, before)]
        finally:
            _close_all()
            for server in (ours, theirs):
                server.terminate()
                server.wait(timeout=30)


def _wait_for(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    local = _Client()
    parts = urlsplit(url)
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with code {server.returncode}")
        if _fetch(f"{parts.scheme}://{parts.netloc}", parts.path, local)[0] == 200:
            return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def _second_pages(ours: str, theirs: str, query: BenchQuery) -> tuple[str, str]:
    """Return the next-page paths of both, after checking both first pages hold the same rows."""
    local = _Client()
    mine = json.loads(_fetch(ours, query.ours, local)[1])
    other = json.loads(_fetch(theirs, query.datasette + "&_shape=objects", local)[1])
    if "rows" not in other:
        raise RuntimeError(f"Datasette answered {str(other)[:300]}")
    mine_ids = [row["id"] for row in mine["rows"]]
    other_ids = [row["id"] for row in other["rows"]]
    if mine_ids != other_ids or not mine_ids:
        raise RuntimeError("the project and Datasette disagree on the first page")
    if not mine["next"] or not other["next_url"]:  # a small database: a single page
        return query.ours, query.datasette
    theirs_next = urlsplit(other["next_url"])
    theirs_path = f"{theirs_next.path}?{theirs_next.query}".replace("&_shape=objects", "")
    ours_next = urlsplit(mine["next"])
    return f"{ours_next.path}?{ours_next.query}", theirs_path


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
