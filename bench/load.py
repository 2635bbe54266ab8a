"""`ppne bench load`: an open-loop constant request rate on API routes, latency per route."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx2

from bench.api import REGION, _wait_until_up, seed_costs
from bench.bench_servers import free_port

# The routes the load can target, by the name --routes gives. The observations page is the
# researchers' first page of a region: 100 rows in JSON.
ROUTES = {
    "costs": f"/v1/costs?region={REGION}",
    "observations": f"/v1/observations?region={REGION}&size=100",
}
TIMEOUT_SECONDS = 10.0
# Requests in flight at once, at most; later ones wait for a connection, and that wait counts
# in their latency (from the scheduled moment). Without a cap, a server that falls behind
# gets thousands of connections and the client spends its CPU opening them.
MAX_IN_FLIGHT = 100


@dataclass
class RouteResult:
    """What one route answered at a fixed rate: counts, achieved rate, latencies in seconds.

    A latency runs from the moment the request was scheduled, not sent: a client that falls
    behind its schedule counts the delay against the server instead of hiding it.
    """

    route: str
    rate: float
    seconds: float
    sent: int = 0
    ok: int = 0
    errors: int = 0
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    first_errors: list[str] = field(default_factory=list)

    @property
    def achieved_rate(self) -> float:
        """Return answers 200 per second, over the time from the first send to the last answer."""
        return self.ok / self.elapsed if self.elapsed else 0.0

    def percentile_ms(self, share: float) -> float:
        """Return the latency under which ``share`` of the answered requests fell, in ms."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


async def _send_at_fixed_times(base: str, route: str, rate: float, seconds: float) -> RouteResult:
    result = RouteResult(route, rate, seconds)
    path = ROUTES[route]
    total = int(rate * seconds)
    # Open loop: request i leaves at start + i / rate whether or not earlier ones came back,
    # so a slow answer does not slow the load down (a closed loop would).
    limits = httpx2.Limits(max_connections=MAX_IN_FLIGHT, max_keepalive_connections=MAX_IN_FLIGHT)
    # The timeout covers the wait for a free connection too (httpx's pool timeout).
    async with httpx2.AsyncClient(base_url=base, timeout=TIMEOUT_SECONDS, limits=limits) as client:
        await client.get(path)  # one call first, so a cold start is not counted

        async def one(scheduled: float) -> None:
            try:
                answer = await client.get(path)
                good = answer.status_code == 200
                problem = f"HTTP {answer.status_code}"
            except httpx2.HTTPError as error:
                good, problem = False, f"{type(error).__name__}: {error}"
            if good:
                result.ok += 1
                result.latencies.append(time.perf_counter() - scheduled)
            else:
                result.errors += 1
                if len(result.first_errors) < 5:
                    result.first_errors.append(problem)

        tasks = []
        start = time.perf_counter()
        for number in range(total):
            scheduled = start + number / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(scheduled)))
            result.sent += 1
        await asyncio.gather(*tasks)
        result.elapsed = time.perf_counter() - start
    return result


def run_load(base: str, routes: list[str], rate: float, seconds: float) -> list[RouteResult]:
    """Load each route in turn at ``rate`` requests/s for ``seconds`` against the API at base."""
    unknown = [route for route in routes if route not in ROUTES]
    if unknown:
        raise ValueError(f"unknown routes {unknown}: choose among {', '.join(ROUTES)}")
    return [asyncio.run(_send_at_fixed_times(base, route, rate, seconds)) for route in routes]


@contextmanager
def served_api(database_url: str | None, workers: int = 1, months: int = 24) -> Iterator[str]:
    """Seed a database (a temporary SQLite file unless given) and serve the API with uvicorn.

    The database gets bench/api.py's seeded costs and observations of Lachine: give an empty
    one (its schema is migrated here). ``workers`` uvicorn processes answer. Yields the API's
    base URL; stops the server after.
    """
    with tempfile.TemporaryDirectory(prefix="ppne-bench-load-") as folder:
        url = database_url or f"sqlite:///{Path(folder) / 'load.db'}"
        seed_costs(url, months)
        port = free_port()
        command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"]
        command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
        command += ["--workers", str(workers)]
        env = {**os.environ, "PPNE_DATABASE_URL": url}
        server = subprocess.Popen(command, env=env, cwd=folder)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, server)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)


def describe(results: list[RouteResult]) -> str:
    """Return one line per route: sent, ok, errors, achieved rate, p50/p90/p99/max."""
    lines = []
    for result in results:
        lines.append(
            f"{result.route}: {result.rate:g} requests/s for {result.seconds:g} s:"
            f" sent {result.sent}, ok {result.ok}, errors {result.errors},"
            f" achieved {result.achieved_rate:.1f} requests/s;"
            f" latency p50 {result.percentile_ms(0.50):.1f} ms, p90"
            f" {result.percentile_ms(0.90):.1f} ms, p99 {result.percentile_ms(0.99):.1f} ms,"
            f" max {result.percentile_ms(1.0):.1f} ms"
        )
        lines.extend(f"  error: {problem}" for problem in result.first_errors)
    return "\n".join(lines)
