"""The collectors: the demo spider's parsing, the item pipelines, the CLI and a real crawl."""

from __future__ import annotations

import contextlib
import itertools
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler
from sqlmodel import select
from typer.testing import CliRunner

import services.collection
from cli.collect import collect_app
from collectors.items import PriceItem
from collectors.pipelines.deduplicate import DeduplicatePipeline
from collectors.pipelines.normalise import NormalisePipeline
from collectors.pipelines.store import StorePipeline
from collectors.pipelines.validate import ValidatePipeline
from collectors.runner import CollectionFailed, RunSummary, run_spider
from collectors.spiders.demo import DemoSpider
from core.db import session_scope
from core.errors import InvalidInput
from core.models import CollectionRun, PriceObservation, Store, StoreProduct
from core.normaliser import read_plain_price
from demo_store.catalog import build_catalog
from demo_store.pages import product_page, store_page
from demo_store.prices import DemoOffer, offer_for, periods_until
from demo_store.site import serve_demo_store
from demo_store.stores import STORES, store_by_code

ROOT = Path(__file__).resolve().parents[2]
SEED = 2026
BASE = "http://127.0.0.1:8001"


def make_item(**overrides: object) -> PriceItem:
    values: dict[str, object] = {
        "store_code": "maxi-lachine",
        "chain": "loblaw",
        "banner": "Maxi",
        "store_name": "Maxi Lachine",
        "region_code": "lachine",
        "address": "2925 rue Remembrance, Montréal",
        "postal_code": "H8S 1X8",
        "store_kind": "discount",
        "sku": "123",
        "gtin": "0620000000001",
        "product_name": "Lait 2 % M.G. Sans Nom 4 L",
        "brand": "Sans Nom",
        "size": "4",
        "size_unit": "L",
        "price": "6,49 $",
        "currency": "CAD",
        "observed_at": "2026-01-01T00:00:00+00:00",
        "source_url": f"{BASE}/2026-01/stores/maxi-lachine/products/123",
        "collector": "demo",
    }
    return PriceItem(**{**values, **overrides})  # type: ignore[arg-type]


def product_response(offer: DemoOffer, period: str = "2026-01") -> tuple[HtmlResponse, dict]:
    store = store_by_code("maxi-lachine")
    product = build_catalog(SEED)[0]
    url = f"{BASE}/{period}/stores/{store.code}/products/{product.sku}"
    body = product_page(product, store, offer, period, url)
    response = HtmlResponse(url=url, body=body, encoding="utf-8", request=Request(url))
    spider = DemoSpider(base_url=BASE)
    store_fields = next(
        spider.store_fields(node)
        for node in spider.nodes_of_type(store_response(spider), spider.store_types)
    )
    return response, store_fields


def store_response(spider: DemoSpider) -> HtmlResponse:
    url = f"{BASE}/2026-01/stores/maxi-lachine/"
    body = store_page(store_by_code("maxi-lachine"), "2026-01", build_catalog(SEED))
    return HtmlResponse(url=url, body=body, encoding="utf-8", request=Request(url))


def test_spider_reads_a_regular_offer() -> None:
    response, store = product_response(DemoOffer(Decimal("6.49"), None, True))
    items = list(DemoSpider(base_url=BASE).parse_product(response, store))
    assert len(items) == 1
    item = items[0]
    product = build_catalog(SEED)[0]
    assert (item.price, item.price_kind, item.available) == ("6.49", "regular", True)
    assert (item.sku, item.gtin, item.product_name) == (product.sku, product.gtin13, product.name)
    assert (item.store_code, item.chain, item.banner, item.region_code) == (
        "maxi-lachine",
        "loblaw",
        "Maxi",
        "lachine",
    )
    assert item.store_kind == "discount"
    assert item.postal_code == "H8S 1X8"
    assert item.observed_at == "2026-01-01T00:00:00+00:00"
    assert (item.collector, item.method, item.source_url) == ("demo", "json-ld", response.url)


def test_spider_yields_sale_and_strikethrough_regular_prices() -> None:
    response, store = product_response(DemoOffer(Decimal("4.29"), Decimal("3.49"), True))
    items = list(DemoSpider(base_url=BASE).parse_product(response, store))
    assert [(item.price_kind, item.price) for item in items] == [
        ("sale", "3.49"),
        ("regular", "4.29"),
    ]


def test_spider_marks_out_of_stock_offers_unavailable() -> None:
    response, store = product_response(DemoOffer(Decimal("4.29"), None, False))
    items = list(DemoSpider(base_url=BASE).parse_product(response, store))
    assert [item.available for item in items] == [False]


def test_spider_follows_product_links_up_to_the_limit() -> None:
    spider = DemoSpider(base_url=BASE, limit="2")
    requests = list(spider.parse_store(store_response(spider)))
    assert len(requests) == 2
    assert requests[0].cb_kwargs["store"]["store_code"] == "maxi-lachine"
    assert "/products/" in requests[0].url


def test_spider_needs_a_base_url_and_valid_periods() -> None:
    with pytest.raises(InvalidInput):
        DemoSpider()
    with pytest.raises(InvalidInput):
        DemoSpider(base_url=BASE, periods="2026-13")
    assert DemoSpider(base_url=BASE, periods="2026-01, 2026-02").periods == ["2026-01", "2026-02"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3,49 $", "3.49"), ("$3.49", "3.49"), ("3.490", "3.49"), ("12", "12.00"), ("1.995", "1.995")],
)
def test_parse_price_reads_common_forms(text: str, expected: str) -> None:
    assert read_plain_price(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "gratuit", "3,4,9", "-1.00"])
def test_parse_price_rejects_unreadable_text(text: str) -> None:
    assert read_plain_price(text) is None


def crawler_for(db_url: str = "", batch_size: int = 500):  # type: ignore[no-untyped-def]
    crawler = get_crawler(
        DemoSpider, {"PPNE_DATABASE_URL": db_url, "PPNE_STORE_BATCH_SIZE": batch_size}
    )
    crawler.spider = DemoSpider(base_url=BASE)
    return crawler


def test_normalise_reads_price_units_and_time() -> None:
    crawler = crawler_for()
    item = NormalisePipeline(crawler).process_item(
        make_item(price=" 6,49 $ ", observed_at="2026-01-01T05:00:00-05:00")
    )
    assert (item.price, item.raw_price_text) == ("6.49", "6,49 $")
    assert (item.size, item.size_unit) == ("4000", "mL")
    assert item.observed_at == "2026-01-01T10:00:00+00:00"


def test_normalise_and_validate_drop_with_counted_reasons() -> None:
    crawler = crawler_for()
    normalise, validate = NormalisePipeline(crawler), ValidatePipeline(crawler)
    with pytest.raises(DropItem):
        normalise.process_item(make_item(price="prix en magasin"))
    with pytest.raises(DropItem):
        validate.process_item(normalise.process_item(make_item(region_code=None)))
    with pytest.raises(DropItem):
        validate.process_item(normalise.process_item(make_item(price_kind="bonus")))
    stats = crawler.stats.get_stats()
    assert stats["ppne/dropped/unreadable_price"] == 1
    assert stats["ppne/dropped/missing_region_code"] == 1
    assert stats["ppne/dropped/unknown_price_kind"] == 1
    assert stats["ppne/items_seen"] == 3


def test_deduplicate_drops_repeats_within_a_run() -> None:
    crawler = crawler_for()
    pipeline = DeduplicatePipeline(crawler)
    pipeline.process_item(make_item(price="6.49"))
    pipeline.process_item(make_item(price="6.49", price_kind="sale"))
    with pytest.raises(DropItem):
        pipeline.process_item(make_item(price="6.49"))
    assert crawler.stats.get_value("ppne/duplicates") == 1


def store_items(db_url: str, items: list[PriceItem]) -> dict:
    crawler = crawler_for(db_url, batch_size=2)
    normalise, store = NormalisePipeline(crawler), StorePipeline(crawler)
    store.open_spider()
    for item in items:
        with contextlib.suppress(DropItem):
            store.process_item(normalise.process_item(item))
    store.close_spider()
    return crawler.stats.get_stats()


def test_store_writes_batches_and_skips_observations_already_stored(db_url: str) -> None:
    items = [
        make_item(price="6.49"),
        make_item(price="5.49", price_kind="sale"),
        make_item(sku="456", price="3.00", available=False),
        make_item(store_code="iga-lachine", chain="sobeys", banner="IGA", store_name="IGA"),
        make_item(observed_at="2026-02-01T00:00:00+00:00", price="6.59"),
    ]
    first = store_items(db_url, [make_item(**vars(item)) for item in items])
    assert (first["ppne/stored"], first.get("ppne/duplicates", 0)) == (5, 0)
    second = store_items(db_url, items)
    assert (second.get("ppne/stored", 0), second["ppne/duplicates"]) == (0, 5)
    with session_scope(db_url) as session:
        observations = session.exec(select(PriceObservation)).all()
        assert len(observations) == 5
        assert {o.price for o in observations} == {
            Decimal("6.49"),
            Decimal("5.49"),
            Decimal("3.00"),
            Decimal("6.59"),
        }
        assert [o.available for o in observations if o.price == Decimal("3.00")] == [False]
        assert len(session.exec(select(Store)).all()) == 2
        products = session.exec(select(StoreProduct)).all()
        assert {(p.chain, p.sku) for p in products} == {
            ("loblaw", "123"),
            ("loblaw", "456"),
            ("sobeys", "123"),
        }
        assert {(p.size, p.size_unit) for p in products} == {(Decimal(4000), "mL")}
        runs = session.exec(select(CollectionRun).order_by(CollectionRun.id)).all()
        assert [(r.outcome, r.items_stored, r.duplicates) for r in runs] == [
            ("succeeded", 5, 0),
            ("succeeded", 0, 5),
        ]


def test_store_drops_items_of_unknown_regions(db_url: str) -> None:
    stats = store_items(db_url, [make_item(), make_item(sku="9", region_code="atlantis")])
    assert stats["ppne/dropped/unknown_region"] == 1
    assert stats["ppne/stored"] == 1


def test_cli_lists_spiders() -> None:
    result = CliRunner().invoke(collect_app, ["list"])
    assert result.exit_code == 0
    assert "demo" in result.output.split()


def test_cli_unknown_spider_is_one_line_and_non_zero() -> None:
    result = CliRunner().invoke(collect_app, ["run", "nosuch"])
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith("error: unknown spider 'nosuch'; known spiders: ")
    assert "demo" in line and "maxi" in line


def test_cli_prints_a_summary_and_fails_on_a_failed_run(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def fake_run(spider: str, database_url: str, **arguments: object) -> RunSummary:
        calls.append(arguments)
        outcome = "succeeded" if arguments.get("store") else "failed"
        return RunSummary(7, outcome, 10, 8, 1, {"unreadable_price": 1}, f"run {outcome}")

    monkeypatch.setattr(services.collection, "collect_prices", fake_run)
    ok = CliRunner().invoke(collect_app, ["run", "demo", "--store", "iga-lachine", "--limit", "3"])
    assert ok.exit_code == 0, ok.output
    assert "unreadable_price" in ok.output and "stored" in ok.output
    assert {k: v for k, v in calls[0].items() if k != "progress"} == {
        "store": "iga-lachine",
        "limit": 3,
    }
    failed = CliRunner().invoke(collect_app, ["run", "demo", "--periods", "2026-01"])
    assert failed.exit_code == 1
    assert failed.output.strip().splitlines()[-1] == "error: run failed"


def crawl_in_subprocess(db_url: str, **arguments: str) -> dict:
    """Run a crawl in a fresh interpreter: Twisted's reactor cannot restart in this one."""
    code = (
        "import dataclasses, json, sys\n"
        "from collectors.runner import run_spider\n"
        "summary = run_spider('demo', sys.argv[1], **json.loads(sys.argv[2]))\n"
        "print(json.dumps(dataclasses.asdict(summary)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, db_url, json.dumps(arguments)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def expected_observations(store: str, periods: list[str], limit: int) -> set[tuple]:
    """Return what the site serves, computed from the catalogue and offer_for."""
    expected = set()
    for period in periods:
        for product in build_catalog(SEED)[:limit]:
            offer = offer_for(store, product.sku, period, SEED)
            expected.add((product.sku, period, "regular", offer.regular_price, offer.available))
            if offer.sale_price is not None:
                expected.add((product.sku, period, "sale", offer.sale_price, offer.available))
    return expected


def store_and_periods_with_sale_and_stock_out(limit: int) -> tuple[str, list[str]]:
    """Pick a store and two consecutive months whose first products include both cases."""
    periods = periods_until()
    for store in STORES:
        for first, second in itertools.pairwise(periods):
            observed = expected_observations(store.code, [first, second], limit)
            kinds = {row[2] for row in observed}
            if "sale" in kinds and not all(row[4] for row in observed):
                return store.code, [first, second]
    raise AssertionError("no store and months with both a sale and a stock-out")


@pytest.mark.slow
def test_end_to_end_crawl_stores_what_the_site_serves_once(db_url: str) -> None:
    limit = 40
    store, periods = store_and_periods_with_sale_and_stock_out(limit)
    expected = expected_observations(store, periods, limit)
    with serve_demo_store(seed=SEED) as site:
        arguments = {"base_url": site.url, "periods": ",".join(periods), "store": store}
        first = crawl_in_subprocess(db_url, **arguments, limit=str(limit))
        assert first["outcome"] == "succeeded", first
        assert first["stored"] == len(expected)
        second = crawl_in_subprocess(db_url, **arguments, limit=str(limit))
    assert second["outcome"] == "succeeded", second
    assert (second["stored"], second["duplicates"]) == (0, len(expected))

    with session_scope(db_url) as session:
        rows = session.exec(select(PriceObservation, StoreProduct).join(StoreProduct)).all()
        stored = {
            (
                product.sku,
                obs.observed_at.strftime("%Y-%m"),
                obs.price_kind,
                obs.price,
                obs.available,
            )
            for obs, product in rows
        }
        assert len(rows) == len(expected)
        assert stored == expected
        assert {obs.collector for obs, _ in rows} == {"demo"}
        runs = session.exec(select(CollectionRun).order_by(CollectionRun.id)).all()
        assert [(r.outcome, r.items_stored, r.duplicates) for r in runs] == [
            ("succeeded", len(expected), 0),
            ("succeeded", 0, len(expected)),
        ]
        assert all(r.finished_at is not None and r.items_seen == len(expected) for r in runs)
        assert session.exec(select(Store)).one().code == store


@pytest.fixture
def empty_site() -> Iterator[str]:
    """A server answering 200 with a page holding no store and no product, whatever the path."""

    class EmptyPages(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<html><body><p>Bienvenue</p></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), EmptyPages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_crawl_finding_no_product_fails_naming_spider_and_url(db_url: str, empty_site: str) -> None:
    summary = crawl_in_subprocess(db_url, base_url=empty_site)
    assert summary["outcome"] == "failed"
    assert "demo" in summary["message"] and empty_site in summary["message"]
    with session_scope(db_url) as session:
        run = session.exec(select(CollectionRun)).one()
        assert run.outcome == "failed"
        assert empty_site in (run.message or "")


def test_run_spider_refuses_a_database_never_migrated(tmp_path: Path) -> None:
    with pytest.raises(CollectionFailed, match="ppne db upgrade"):
        run_spider("demo", f"sqlite:///{tmp_path / 'empty.db'}", base_url=BASE)
