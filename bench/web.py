"""`ppne bench web`: requests/s and p50/p95/p99 of signed-in web pages on the demo database.

A temporary SQLite database gets the demo price data of `ppne bench api` (a few stores of
Lachine, costs computed) and the demo records (`services.records.demo`: the accounts of each
role and the fictitious clients). A real uvicorn serves it on 127.0.0.1; each account signs in
through the form, as a browser does, and then a bounded number of clients, each on its own
kept-alive connection, ask for one page after another for a fixed time. The issue's target is
p95 under 100 ms; this prints the figures and asserts nothing.

Latencies depend on what else the machine runs; the server's CPU time per request (read from
/proc where there is one) does much less, so it is printed too, to compare two versions.
"""

from __future__ import annotations

import dataclasses
import http.client
import math
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

from bench.api import _wait_until_up, seed_costs
from bench.bench_servers import free_port
from core.db import dispose_engines, session_scope
from services.access.actor import Actor
from services.records.demo import seed_demo_records

# Each page, and the demo role that opens it. /app/clients is measured when the app has it.
PAGES = (
    ("/app/home", "dietitian"),
    ("/app/clients", "dietitian"),
    ("/app/privacy", "privacy_officer"),
    ("/app/privacy/audit", "privacy_officer"),
    ("/app/privacy/requests", "privacy_officer"),
    ("/app/privacy/incidents", "privacy_officer"),
    ("/app/privacy/retention", "privacy_officer"),
)
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
COOKIE = re.compile(r"^\s*([^=;\s]+)=([^;]*)")


@dataclass(frozen=True)
class PageLoad:
    """What one page answered under load: requests, failures, and the time they took."""

    page: str
    requests: int
    failures: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    # The server process's CPU time (user + system) per request; None without /proc.
    cpu_ms: float | None = None

    @property
    def per_second(self) -> float:
        """Return the requests answered 200 per second."""
        return (self.requests - self.failures) / self.seconds if self.seconds else 0.0


def percentile(latencies: list[float], share: float) -> float:
    """The latency (seconds) below which `share` of the requests finished (nearest rank)."""
    if not latencies:
        return 0.0
    ordered = sorted(latencies)
    # Rounded first: 0.95 * 100 is 95.00000000000001 in floating point, not 95.
    rank = math.ceil(round(share * len(ordered), 9))
    return ordered[min(max(rank, 1), len(ordered)) - 1]


def summarise(page: str, latencies: list[float], failures: int, seconds: float) -> PageLoad:
    """A page's load from its latencies (seconds) and failed requests."""
    p50, p95, p99 = (percentile(latencies, share) * 1000 for share in (0.50, 0.95, 0.99))
    return PageLoad(page, len(latencies), failures, seconds, p50, p95, p99)


def cookies_of(headers: list[tuple[str, str]]) -> dict[str, str]:
    """The name=value pairs an answer's Set-Cookie headers set (attributes left out)."""
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie" and (match := COOKIE.match(value)):
            found[match.group(1)] = match.group(2).strip('"')
    return found


def describe(loads: list[PageLoad], target_ms: float = 100.0) -> str:
    """One line per page, and whether every page met the p95 target."""
    lines = [
        f"{load.page}: {load.per_second:,.1f} requests/s ({load.requests} requests, "
        f"{load.failures} failed), p50 {load.p50_ms:.1f} ms, p95 {load.p95_ms:.1f} ms, "
        f"p99 {load.p99_ms:.1f} ms"
        + (f", server CPU {load.cpu_ms:.1f} ms/request" if load.cpu_ms is not None else "")
        for load in loads
    ]
    slow = [load.page for load in loads if load.p95_ms >= target_ms]
    verdict = f"over {target_ms:.0f} ms p95: {', '.join(slow)}" if slow else "all under"
    lines.append(f"target p95 < {target_ms:.0f} ms: {verdict}")
    return "\n".join(lines)


def seed_demo(url: str, months: int, today: date | None = None) -> dict[str, str]:
    """Seed prices and costs, then the demo records; return the alima accounts' passwords."""
    seed_costs(url, months)
    with session_scope(url) as session:
        result = seed_demo_records(session, Actor.command_line(), seed=2026, today=today)
    dispose_engines()
    return {
        account.role: account.password
        for account in result.new_accounts
        if account.organisation == "alima" and account.password
    }


def _request(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    cookies: dict[str, str],
    body: str | None = None,
) -> tuple[int, str, dict[str, str]]:
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    answer = connection.getresponse()
    text = answer.read().decode("utf-8", "replace")
    return answer.status, text, cookies_of(answer.getheaders())


def sign_in(port: int, email: str, password: str) -> dict[str, str]:
    """Sign in through the form (its CSRF cookie and field); return the session's cookies."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        _, page, cookies = _request(connection, "GET", "/app/signin", {})
        match = CSRF.search(page)
        assert match, "the sign-in page has no CSRF field"
        form = urlencode({"email": email, "password": password, "csrf": match.group(1)})
        status, _, set_now = _request(connection, "POST", "/app/signin", cookies, form)
        if status != 303 or "ppne_session" not in set_now:
            raise RuntimeError(f"signing in as {email} answered {status}")
        return {**cookies, **set_now}
    finally:
        connection.close()


def load_page(
    port: int, path: str, cookies: dict[str, str], clients: int, seconds: float
) -> PageLoad:
    """Ask for `path` from `clients` threads, each on one kept-alive connection, for `seconds`."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        _request(connection, "GET", path, cookies)  # a first call: no cold start counted
        mine: list[float] = []
        failed = 0
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                failed += _request(connection, "GET", path, cookies)[0] != 200
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - start)
        connection.close()
        with lock:
            latencies.extend(mine)
            failures[0] += failed

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for future in [pool.submit(client) for _ in range(clients)]:
            future.result()
    return summarise(path, latencies, failures[0], time.monotonic() - started)


def cpu_seconds(pid: int) -> float | None:
    """The CPU time (user + system) a process has used so far; None where /proc is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime are the 14th and 15th fields, counted from the pid.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def exists(port: int, path: str, cookies: dict[str, str]) -> bool:
    """Whether the app answers 200 at `path` for this session (a page of this branch)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        return _request(connection, "GET", path, cookies)[0] == 200
    finally:
        connection.close()


def measure(
    clients: int,
    seconds: float,
    months: int = 12,
    progress: Callable[[str], None] = lambda _line: None,
) -> list[PageLoad]:
    """Serve a seeded demo database with uvicorn; load each signed-in page in turn."""
    with tempfile.TemporaryDirectory(prefix="ppne-bench-web-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        progress("seeding the demo database")
        passwords = seed_demo(url, months)
        port = free_port()
        env = {**os.environ, "PPNE_DATABASE_URL": url, "PPNE_OUT_DIR": folder}
        command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"]
        command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
        server = subprocess.Popen(command, env=env, cwd=folder)
        try:
            _wait_until_up(f"http://127.0.0.1:{port}", server)
            sessions = {
                role: sign_in(port, f"{role}@alima.demo", passwords[role])
                for role in {role for _, role in PAGES}
            }
            loads = []
            for path, role in PAGES:
                if not exists(port, path, sessions[role]):
                    progress(f"{path}: not on this branch (or refused), skipped")
                    continue
                progress(f"{path} as {role}: {clients} clients for {seconds:g} s")
                before = cpu_seconds(server.pid)
                load = load_page(port, path, sessions[role], clients, seconds)
                after = cpu_seconds(server.pid)
                if before is not None and after is not None and load.requests:
                    # The first call of each client (not timed) counts here too.
                    spent = (after - before) * 1000 / (load.requests + clients)
                    load = dataclasses.replace(load, cpu_ms=spent)
                loads.append(load)
            return loads
        finally:
            server.terminate()
            server.wait(timeout=30)
