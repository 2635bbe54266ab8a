"""`ppne bench api`: requests/s and latency of GET /v1/costs and /v1/trends under load."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from sqlmodel import select

from bench.bench_servers import free_port
from bench.http_load import close_all, flat_out, percentile_ms
from core.db import dispose_engines, session_scope
from core.models import BasketItem, PriceObservation, ProductMatch, Store, StoreProduct
from core.regions import region_by_code
from core.settings import get_settings
from services.costing import compute_costs
from services.database import set_up_database
from services.protocol import costing_protocol

REGION = "lachine"
ROUTES = {
    "/v1/costs": f"/v1/costs?region={REGION}",
    "/v1/trends": f"/v1/trends?region={REGION}",
}


@dataclass(frozen=True)
class RouteLoad:
    """What one route answered under load: requests, failures, and the time they took."""

    route: str
    requests: int
    failures: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        """Return the requests answered 200 per second."""
        return (self.requests - self.failures) / self.seconds if self.seconds else 0.0


def seed_costs(url: str, months: int, stores: int = 3, seed: int = 2026) -> None:
    """Set up the database at `url` with every basket item priced monthly in a few stores of
    Lachine for `months` months from 2025-01, then compute and store the costs."""
    set_up_database(url)
    draw = random.Random(seed)
    with session_scope(url) as session:
        region = region_by_code(session, REGION)
        assert region.id is not None
        items = list(session.exec(select(BasketItem)).all())
        shops = [
            Store(code=f"bench-{n}", chain="bench", banner="bench", name=f"Bench {n}",
                  region_id=region.id)
            for n in range(stores)
        ]  # fmt: skip
        session.add_all(shops)
        session.flush()
        for item in items:
            product = StoreProduct(
                chain="bench",
                sku=f"bench-{item.id}",
                name=item.name_fr,
                size=item.purchase_size,
                size_unit=item.purchase_unit,
            )
            session.add(product)
            session.flush()
            assert item.id is not None and product.id is not None
            session.add(ProductMatch(store_product_id=product.id, item_id=item.id, method="manual"))
            base = Decimal(draw.randint(150, 900)) / 100
            for shop in shops:
                assert shop.id is not None
                for month in range(months):
                    year, month_of_year = 2025 + month // 12, month % 12 + 1
                    price = base + Decimal(draw.randint(0, 60)) / 100
                    session.add(
                        PriceObservation(
                            store_id=shop.id,
                            store_product_id=product.id,
                            price=price,
                            observed_at=datetime(year, month_of_year, 5, tzinfo=UTC),
                            source_url="https://bench.invalid",
                            collector="bench",
                            method="survey",
                            raw_price_text=str(price),
                            content_hash=f"bench-{product.id}-{shop.code}-{month}",
                        )
                    )
        session.commit()
        compute_costs(session, costing_protocol(get_settings()))
    dispose_engines()


def _get(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            answer.read()
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _wait_until_up(base: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the API exited with code {server.returncode}")
        if _get(f"{base}/health"):
            return
        time.sleep(0.1)
    raise RuntimeError(f"the API did not answer {base}/health within {timeout:.0f} s")


def load_route(base: str, route: str, path: str, clients: int, seconds: float) -> RouteLoad:
    """Call `path` from `clients` threads for `seconds` and return what it answered."""
    _get(base + path)  # a first call, so a cold start is not counted
    measured = flat_out(base, path, clients, seconds)
    close_all()
    return RouteLoad(
        route,
        len(measured.latencies),
        measured.failures,
        measured.seconds,
        percentile_ms(measured.latencies, 0.50),
        percentile_ms(measured.latencies, 0.99),
    )


def measure(clients: int, seconds: float, months: int = 24) -> list[RouteLoad]:
    """Serve a seeded temporary SQLite database with uvicorn and load each route in turn."""
    with tempfile.TemporaryDirectory(prefix="ppne-bench-api-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        seed_costs(url, months)
        port = free_port()
        env = {**os.environ, "PPNE_DATABASE_URL": url}
        command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"]
        command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
        server = subprocess.Popen(command, env=env, cwd=folder)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, server)
            return [
                load_route(base, route, path, clients, seconds) for route, path in ROUTES.items()
            ]
        finally:
            server.terminate()
            server.wait(timeout=30)


def describe(loads: list[RouteLoad]) -> str:
    """Return one line per route and the ratio of the first route's requests/s to the last's."""
    lines = [
        f"{load.route}: {load.per_second:,.1f} requests/s ({load.requests} requests, "
        f"{load.failures} failed), p50 {load.p50_ms:.1f} ms, p99 {load.p99_ms:.1f} ms"
        for load in loads
    ]
    slowest = loads[-1].per_second
    ratio = loads[0].per_second / slowest if slowest else float("inf")
    lines.append(f"{loads[0].route} / {loads[-1].route} requests/s: {ratio:.2f}x")
    return "\n".join(lines)
