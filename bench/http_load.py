"""Load one URL over keep-alive HTTP: as fast as some threads can go, then at a fixed rate."""

from __future__ import annotations

import http.client
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

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


# Every connection opened, closed when a measure ends (no socket left to the collector).
_OPENED: list[http.client.HTTPConnection] = []


class Client(threading.local):
    """One keep-alive connection per thread and server."""

    def __init__(self) -> None:
        self.connections: dict[str, http.client.HTTPConnection] = {}


def close_all() -> None:
    """Close every connection the clients opened."""
    while _OPENED:
        _OPENED.pop().close()


def fetch(base: str, path: str, local: Client) -> tuple[int, bytes]:
    """GET `path` from the server at `base`; return the status (0 when unreachable) and body."""
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


def percentile_ms(values: list[float], share: float) -> float:
    """Return the latency (seconds in, milliseconds out) below which `share` of them fall."""
    ordered = sorted(values) or [0.0]
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


@dataclass(frozen=True)
class FlatOut:
    """What `clients` threads got asking one URL as fast as they could."""

    latencies: list[float]  # seconds, one per request
    failures: int  # answers other than 200
    seconds: float  # wall time of the whole load

    @property
    def per_second(self) -> float:
        """Return the requests answered 200 per second."""
        answered = len(self.latencies) - self.failures
        return answered / self.seconds if self.seconds else 0.0


def flat_out(base: str, path: str, clients: int, seconds: float) -> FlatOut:
    """GET `path` from `clients` threads, each on its keep-alive connection, for `seconds`."""
    local = Client()
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        mine, failed = [], 0
        while time.monotonic() < stop:
            start = time.perf_counter()
            failed += fetch(base, path, local)[0] != 200
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            failures[0] += failed

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for _ in range(clients):
            pool.submit(client)
    return FlatOut(latencies, failures[0], time.monotonic() - started)


def load(name: str, base: str, path: str, clients: int, seconds: float) -> Load:
    """Load one URL flat out from `clients` threads, then at PACED_RATE requests/s."""
    status, _ = fetch(base, path, Client())  # warm caches; the answer must be a 200
    if status != 200:
        raise RuntimeError(f"{name}: {base}{path} answered {status}")
    measured = flat_out(base, path, clients, seconds)
    paced = _paced(base, path, seconds)
    return Load(
        name,
        measured.per_second,
        measured.failures,
        percentile_ms(measured.latencies, 0.5),
        percentile_ms(measured.latencies, 0.99),
        percentile_ms(paced, 0.5),
        percentile_ms(paced, 0.99),
    )


def _paced(base: str, path: str, seconds: float) -> list[float]:
    """Send PACED_RATE requests a second (open loop) and return each one's latency; a request
    still unsent when twice the time has passed is dropped and counted as infinitely slow."""
    local = Client()
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
            fetch(base, path, local)
            # From when it was due: a queue behind a slow server counts against it.
            latency = time.perf_counter() - due
        with lock:
            latencies.append(latency)

    with ThreadPoolExecutor(max_workers=32) as pool:
        list(pool.map(one, range(count)))
    return latencies


def wait_for(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Wait until `url` answers 200, or raise if the server process exits or time runs out."""
    deadline = time.monotonic() + timeout
    local = Client()
    parts = urlsplit(url)
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with code {server.returncode}")
        if fetch(f"{parts.scheme}://{parts.netloc}", parts.path, local)[0] == 200:
            return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")
