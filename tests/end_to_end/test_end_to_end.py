"""The whole cycle on the demo store website: crawl, store, match, cost, publish, serve.

The family cost the API returns is checked against a computation made here from the demo
site's own truth (its catalogue, its offer function and the reference quantities), which
shares no code with the collectors, the matcher, the engine or the queries.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.app import create_app
from core.db import session_scope
from core.models import PriceObservation
from core.reference_data import load_reference_basket
from core.settings import get_settings
from demo_store.catalog import build_catalog
from demo_store.prices import offer_for
from demo_store.stores import STORES, DemoStore
from services.costing import compute_costs
from services.database import set_up_database
from services.protocol import costing_protocol
from services.publishing import publish_bulletin

PERIODS = ("2026-10", "2026-11")


def crawl_demo_site(periods: Iterable[str]) -> subprocess.CompletedProcess[str]:
    """Run `ppne collect run demo` in its own process (Scrapy's reactor runs once a process)."""
    command = [
        sys.executable,
        "-m",
        "cli",
        "collect",
        "run",
        "demo",
        "--periods",
        ",".join(periods),
    ]
    return subprocess.run(
        command, env=os.environ.copy(), capture_output=True, text=True, timeout=300, check=False
    )


def to_cents(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def expected_family_weekly_cost(stores: list[DemoStore], period: str, seed: int) -> float:
    """Cost the reference family from the demo site's truth, with the method written out."""
    basket = load_reference_basket()
    amounts = {
        (row.item_code, row.group_code): float(row.weekly_amount)
        for row in basket.quantities.itertuples()
    }
    family = get_settings().reference_family
    catalog = build_catalog(seed)
    total = 0.0
    for item in basket.items.itertuples():
        purchase_size = float(item.purchase_size)
        products = [product for product in catalog if product.item_code == item.code]
        lowest_by_store = []
        for store in stores:
            offers = [
                (product, offer_for(store.code, product.sku, period, seed)) for product in products
            ]
            prices = [
                float(offer.regular_price) * purchase_size / float(product.size)
                for product, offer in offers
                if offer.available
            ]
            if prices:
                lowest_by_store.append(min(prices))
        if not lowest_by_store:
            continue
        mean_price = sum(lowest_by_store) / len(lowest_by_store)
        total += sum(mean_price * amounts[(item.code, member)] / purchase_size for member in family)
    return total


@pytest.mark.slow
def test_demo_cycle_costs_match_the_demo_sites_own_prices(db_url: str, tmp_path) -> None:
    set_up_database(db_url)
    first = crawl_demo_site(PERIODS)
    assert first.returncode == 0, first.stderr
    with session_scope() as session:
        stored = session.execute(select(func.count()).select_from(PriceObservation)).scalar_one()
    assert stored > 0

    with session_scope(db_url) as session:
        summary = compute_costs(session, costing_protocol(get_settings()))
    assert summary.periods == list(PERIODS)

    client = TestClient(create_app())
    seed = get_settings().demo_seed
    regions = {
        "lachine": [store for store in STORES if store.region_code == "lachine"],
        "mercier-est": [store for store in STORES if store.region_code == "mercier-est"],
        "montreal": list(STORES),
    }
    for region, stores in regions.items():
        for period in PERIODS:
            body = client.get("/v1/costs", params={"region": region, "period": period}).json()
            expected = expected_family_weekly_cost(stores, period, seed)
            assert Decimal(body["weekly_cost"]) == to_cents(expected), (region, period)
            assert Decimal(body["monthly_cost"]) == to_cents(expected * 4.33), (region, period)
            assert body["stores_priced"] == len(stores)

    with session_scope(db_url) as session:
        files = publish_bulletin(session, tmp_path / "out")
    assert files.pdf.read_bytes().startswith(b"%PDF")
    assert "Montréal" in files.html.read_text(encoding="utf-8")

    # A second crawl of the same months stores nothing new.
    second = crawl_demo_site(PERIODS)
    assert second.returncode == 0, second.stderr
    with session_scope() as session:
        again = session.execute(select(func.count()).select_from(PriceObservation)).scalar_one()
    assert again == stored
