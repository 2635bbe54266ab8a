"""A price crawled and imported (same store, product, day and price) is costed once, either way.

The second source's copy is kept, marked duplicate with a link to the first (issue 11), and
running the same import or crawl again stores nothing more.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import func, select

from core.db import session_scope
from core.models import DataImport, PriceObservation, Store, StoreProduct
from demo_store.catalog import build_catalog
from demo_store.prices import offer_for
from demo_store.site import serve_demo_store
from demo_store.stores import store_by_code

ROOT = Path(__file__).resolve().parents[2]
SEED = 2026
STORE = "maxi-lachine"
PERIODS = ("2026-01", "2026-02")
LIMIT = 25
FIELDS = ("store", "chain", "sku", "name", "price", "price_kind", "date")
MAPPING = """
[columns]
store = "store"
chain = "chain"
sku = "sku"
name = "name"
price = "price"
price_kind = "price_kind"
date = "date"

[defaults]
currency = "CAD"
region = "lachine"
"""


def crawl(db_url: str, base_url: str) -> dict:
    """Crawl the demo store in a fresh interpreter (Twisted's reactor runs once a process)."""
    arguments = {"base_url": base_url, "periods": ",".join(PERIODS), "store": STORE}
    code = (
        "import dataclasses, json, sys\n"
        "from collectors.runner import run_spider\n"
        "summary = run_spider('demo', sys.argv[1], **json.loads(sys.argv[2]))\n"
        "print(json.dumps(dataclasses.asdict(summary)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, db_url, json.dumps({**arguments, "limit": str(LIMIT)})],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["outcome"] == "succeeded", summary
    return summary


def import_csv(rows: list[dict[str, str]], folder: Path) -> DataImport:
    """Write the rows as a CSV and run `ppne import csv FILE --mapping MAP`; return its record."""
    source, mapping = folder / "prices.csv", folder / "prices.toml"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    mapping.write_text(MAPPING, encoding="utf-8")
    command = [sys.executable, "-m", "cli", "import", "csv", str(source), "--mapping", str(mapping)]
    done = subprocess.run(
        command, cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stdout + done.stderr
    with session_scope() as session:
        return session.exec(select(DataImport).order_by(DataImport.id.desc())).first()  # type: ignore[union-attr]


def repeats() -> list[tuple[str, int | None, int | None]]:
    """Return (status, duplicate_of, the first copy's id) of every observation not ok."""
    with session_scope() as session:
        rows = session.exec(select(PriceObservation).order_by(PriceObservation.id)).all()
    by_id = {row.id: row for row in rows}
    return [
        (row.status, row.duplicate_of, by_id[row.duplicate_of].id if row.duplicate_of else None)
        for row in rows
        if row.status != "ok"
    ]


def observation_count() -> int:
    with session_scope() as session:
        return int(session.exec(select(func.count()).select_from(PriceObservation)).one())


def crawled_prices() -> list[dict[str, str]]:
    """Export the stored observations of available products, one CSV row each."""
    with session_scope() as session:
        found = session.exec(
            select(PriceObservation, StoreProduct, Store)
            .join(StoreProduct, StoreProduct.id == PriceObservation.store_product_id)
            .join(Store, Store.id == PriceObservation.store_id)
            .where(PriceObservation.available)
        ).all()
    return [
        {
            "store": store.code,
            "chain": product.chain,
            "sku": product.sku,
            "name": product.name,
            "price": str(observation.price),
            "price_kind": observation.price_kind,
            "date": observation.observed_at.isoformat(),
        }
        for observation, product, store in found
    ]


def served_prices() -> tuple[list[dict[str, str]], int]:
    """Return what the site serves as CSV rows (available offers), and the unavailable count."""
    store = store_by_code(STORE)
    rows, unavailable = [], 0
    for period in PERIODS:
        for product in build_catalog(SEED)[:LIMIT]:
            offer = offer_for(STORE, product.sku, period, SEED)
            prices = [("regular", offer.regular_price)]
            if offer.sale_price is not None:
                prices.append(("sale", offer.sale_price))
            if not offer.available:
                unavailable += len(prices)
                continue
            rows += [
                {
                    "store": STORE,
                    "chain": store.chain,
                    "sku": product.sku,
                    "name": product.name,
                    "price": f"{price}0" if len(str(price).split(".")[-1]) == 2 else str(price),
                    "price_kind": kind,
                    "date": f"{period}-01",
                }
                for kind, price in prices
            ]
    return rows, unavailable


@pytest.mark.slow
def test_crawled_prices_imported_again_are_duplicates(db_url: str, tmp_path: Path) -> None:
    with serve_demo_store(seed=SEED) as site:
        crawled = crawl(db_url, site.url)
    stored = observation_count()
    assert stored == crawled["stored"] > 0
    rows = crawled_prices()
    assert rows

    record = import_csv(rows, tmp_path)

    assert (record.status, record.rows_imported, record.duplicates) == ("succeeded", 0, len(rows))
    # Each imported copy is kept, marked, linked to the crawled row it repeats.
    assert observation_count() == stored + len(rows)
    marked = repeats()
    assert len(marked) == len(rows)
    assert all(status == "duplicate" and link is not None for status, link, _ in marked)
    # The same file imported again stores nothing: the marking is idempotent.
    again = import_csv(rows, tmp_path)
    assert (again.rows_imported, again.duplicates) == (0, len(rows))
    assert observation_count() == stored + len(rows)


@pytest.mark.slow
def test_imported_prices_crawled_again_are_duplicates(db_url: str, tmp_path: Path) -> None:
    # Written "3.490": the canonical price text makes it the crawl's 3.49.
    rows, unavailable = served_prices()
    record = import_csv(rows, tmp_path)
    assert (record.rows_imported, record.duplicates) == (len(rows), 0)

    with serve_demo_store(seed=SEED) as site:
        crawled = crawl(db_url, site.url)

    assert (crawled["stored"], crawled["duplicates"]) == (unavailable, len(rows))
    assert observation_count() == 2 * len(rows) + unavailable
    assert [status for status, _, _ in repeats()] == ["duplicate"] * len(rows)
