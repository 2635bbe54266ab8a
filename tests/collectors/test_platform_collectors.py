"""The platform spiders offline (fixtures and real files), end to end, and under faults."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from factories import make_match, make_product
from shared_files import realdata
from sqlmodel import select
from typer.testing import CliRunner

from basket.choice import choose_products
from basket.suggestions import suggest_items
from cli.collect import collect_app
from cli.matches import matches_app
from collectors.offline import bench, parsed_products
from collectors.spiders.sobeys import SobeysSpider
from collectors.stores import basket_search_terms
from core.basket_definitions import ensure_reference_basket
from core.db import session_scope
from core.models import (
    BasketItem,
    CollectionRun,
    PriceObservation,
    ProductMatch,
    QuarantinedItem,
    StoreProduct,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


def parsed(spider: str, name: str) -> list[dict[str, Any]]:
    return list(parsed_products(spider, FIXTURES / name))


def by_price(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(r["raw_price"]): r for r in records}


def test_pcexpress_reads_shelf_sale_member_multibuy_and_weight_prices() -> None:
    rows = by_price(parsed("maxi", "pcexpress_search.html"))
    assert rows["6,49 $"]["amount"] == "6.49" and rows["6,49 $"]["size"] == "4000"
    assert (rows["2,99 $"]["kind"], rows["3,49 $"]["kind"]) == ("sale", "regular")
    assert (rows["2,50 $ prix membre"]["kind"], rows["2,50 $ prix membre"]["amount"]) == (
        "member",
        "2.50",
    )
    assert rows["3,00 $ non-membres"]["kind"] == "regular"
    multibuy = rows["2 pour 5,00 $"]
    assert (multibuy["amount"], multibuy["multibuy_quantity"], multibuy["kind"]) == (
        "2.50",
        2,
        "sale",
    )
    assert (rows["1,52 $/kg"]["price_per"], rows["1,52 $/kg"]["amount"]) == ("kg", "1.520")
    assert "ÉCONOMISEZ 0,50 $" not in rows  # a saving is no price: never yielded
    mismatch = rows["4,49 $"]
    assert mismatch["status"] == "quarantined"
    assert mismatch["reason"].startswith("unit_price_mismatch")


def test_sobeys_reads_uom_promotions_and_quarantines_missing_names() -> None:
    rows = parsed("iga", "sobeys_search_small.json")
    prices = {(r["sku"], r["kind"]): r for r in rows}
    assert prices[("1001", "regular")]["amount"] == "7.49"
    assert prices[("1001", "sale")]["amount"] == "6.49"
    assert prices[("1001", "regular")]["size"] == "2000"
    assert prices[("1003", "regular")]["price_per"] == "kg"
    assert prices[("1004", "regular")]["reason"].startswith("missing_product_name")


def test_walmart_reads_each_weight_as_price_per_kg_and_was_prices() -> None:
    rows = {(r["sku"], r["kind"]): r for r in parsed("walmart", "walmart_search.json")}
    assert (rows[("W2", "regular")]["amount"], rows[("W2", "regular")]["price_per"]) == (
        "4.400",
        "kg",
    )
    assert rows[("W3", "sale")]["amount"] == "0.97"
    assert rows[("W3", "regular")]["amount"] == "1.27"
    assert rows[("W4", "regular")]["size"] == "1360.77711"  # 3 lb, exactly
    assert len(rows) == 5  # the ad placeholder is no product


def test_structured_data_reads_json_ld_and_microdata() -> None:
    metro = parsed("metro", "metro_product_milk.html")
    assert {(r["kind"], r["amount"]) for r in metro} == {("sale", "6.79"), ("regular", "7.29")}
    superc = {r["sku"]: r for r in parsed("superc", "superc_search.html")}
    assert superc["SC-12345"]["amount"] == "3.99"  # display text through the normaliser
    assert superc["SC-67890"]["amount"] == "5.49" and superc["SC-67890"]["size"] == "454"
    assert superc["SC-11111"]["reason"].startswith("not_a_price_saving")


def test_css_spider_reads_tiles_and_quarantines_a_store_without_region() -> None:
    rows = parsed("sainsburys", "html_listing.html")
    assert [(r["sku"], r["currency"], r["price_per"]) for r in rows] == [
        ("500001", "GBP", "unit"),
        ("500001", "GBP", "kg"),
        ("500002", "GBP", "unit"),
        ("500002", "GBP", "kg"),
    ]
    assert {r["reason"].split(":")[0] for r in rows} == {"missing_region_code"}


def test_search_terms_cover_every_basket_item_in_both_languages() -> None:
    assert len(basket_search_terms("fr")) == len(basket_search_terms("en")) == 75
    assert "Bananes" in basket_search_terms("fr")
    assert "Apples McIntosh" in basket_search_terms("en")


# Real files: parsed prices must equal the numeric fields the same files carry.


def test_real_pcexpress_prices_match_the_tiles_numbers() -> None:
    path = realdata("pages", "pcexpress_ca", "nofrills_search_tiles_2026-01.jsonl")
    rows = list(parsed_products("nofrills", path))
    tiles = [json.loads(line)["raw_source"]["data"] for line in path.read_text().splitlines()]
    numbers = {(t["productId"], Decimal(t["pricing"]["price"])) for t in tiles}
    current = [r for r in rows if r["raw_price"] and "Member" not in str(r["raw_price"])]
    ok = [r for r in current if r["status"] == "ok" and r["kind"] in ("regular", "sale")]
    sale_or_shelf = {(r["sku"], Decimal(r["amount"])) for r in ok if r["kind"] != "regular"}
    assert sale_or_shelf <= numbers
    assert len(tiles) == 202 and len(rows) >= 202
    quarantined = [r for r in rows if r["status"] != "ok"]
    # The one tile stating $565.83/100ml for a 6x200 ml pack, and nothing else.
    assert [r["reason"].split(":")[0] for r in quarantined] == ["unit_price_mismatch"]
    members = [r for r in rows if r["kind"] == "member"]
    assert {r["amount"] for r in members} == {"2.50"}


def test_real_sobeys_prices_match_the_hits_numbers() -> None:
    for name in ("milk", "bread"):
        path = realdata("pages", "sobeys_ca", f"sobeys_algolia_search_{name}_page0.json")
        hits = json.loads(path.read_text())["results"][0]["hits"]
        spider = SobeysSpider()
        rows = [item for item in spider.parse_file(path) if item.price_kind == "regular"]
        assert [Decimal(str(item.price)) for item in rows] == [
            Decimal(str(hit["price"])) for hit in hits
        ]
    # With the clock at a date its promotions run, "Customer Price" becomes a sale price.
    spider = SobeysSpider()
    spider.now = datetime(2025, 9, 1, tzinfo=UTC)
    path = realdata("pages", "sobeys_ca", "sobeys_algolia_search_milk_page0.json")
    sales = [item for item in spider.parse_file(path) if item.price_kind == "sale"]
    assert sales and {str(item.price) for item in sales} <= {"2.48", "6.98"}


def test_real_walmart_prices_match_the_items_numbers() -> None:
    path = realdata(
        "pages", "walmart_ca", "walmart_ca_graphql_search_fresh_vegetables_2024-06.json"
    )
    data = json.loads(path.read_text())
    items = data["data"]["search"]["searchResult"]["itemStacks"][0]["itemsV2"]
    rows = list(parsed_products("walmart", path))
    assert all(r["status"] == "ok" for r in rows)
    for item in (i for i in items if i.get("__typename") == "Product"):
        info = item["priceInfo"]
        mine = [r for r in rows if r["sku"] == item["usItemId"]]
        if item["salesUnitType"] == "EACH_WEIGHT" and info.get("unitPrice"):
            # Stored per kg: "66¢/100g" is 6.60 and "$216/100kg" is 2.16.
            per = {"/100g": Decimal(10), "/100kg": Decimal("0.01")}
            basis = "/" + info["unitPrice"]["priceString"].rsplit("/", 1)[1]
            expected = Decimal(str(info["unitPrice"]["price"])) * per[basis]
            assert Decimal(mine[0]["amount"]) == expected
        else:
            expected = Decimal(str(info["currentPrice"]["price"]))
            assert Decimal(mine[0]["amount"]) == expected


def test_real_sainsburys_pages_give_unit_and_measure_prices() -> None:
    folder = realdata("pages", "sainsburys_uk_2017")
    listing = list(parsed_products("sainsburys", folder / "sainsburys-berries.html"))
    assert len({r["sku"] for r in listing}) == 17
    page = list(parsed_products("sainsburys", folder / "sainsburys-blueberries-200g.html"))
    assert [(r["raw_price"], r["size"]) for r in page] == [("£1.75", "200"), ("£8.75 / kg", "200")]
    text = (folder / "sainsburys-blueberries-200g.html").read_text(errors="replace")
    assert "£1.75" in text or "&pound;1.75" in text


def test_bench_measures_prices_per_second() -> None:
    result = bench("walmart", FIXTURES / "walmart_search.json", repeat=1)
    assert result.products == 5 and result.per_second > 0


# Matching review and the chosen product.


def test_suggestions_rank_basket_items_by_name_similarity() -> None:
    products = pd.DataFrame({"product_id": [1, 2], "name": ["Bananes biologiques", "zzz"]})
    items = pd.DataFrame(
        {"item_id": [10, 11], "name_fr": ["Bananes", "Lait 2 %"], "name_en": ["Bananas", "Milk"]}
    )
    got = suggest_items(products, items)
    assert got[["product_id", "item_id"]].values.tolist() == [[1, 10]]
    assert got["score"].iloc[0] >= 60


def test_choose_products_keeps_the_lowest_purchase_size_price() -> None:
    observations = pd.DataFrame(
        {
            "store_id": [1, 1, 1],
            "item_id": [5, 5, 5],
            "period": ["2026-01"] * 3,
            "store_product_id": [100, 200, 200],
            "price": [6.0, 3.5, 3.4],
            "product_size": [4000.0, 2000.0, 2000.0],
            "purchase_size": [4000.0] * 3,
        }
    )
    chosen = choose_products(observations)
    assert chosen.to_dict("records") == [
        {
            "store_id": 1,
            "item_id": 5,
            "period": "2026-01",
            "store_product_id": 100,
            "price": 6.0,
            "item_price": 6.0,
            "candidates": 2,
        }
    ]


def test_matches_review_approve_and_reject_persist(db_url: str) -> None:
    with session_scope(db_url) as session:
        ensure_reference_basket(session)
        item = session.exec(select(BasketItem)).first()
        assert item is not None and item.id is not None
        products = [
            make_product(session, chain="t", sku=str(n), name=f"produit {n}") for n in (1, 2)
        ]
        matches = [
            make_match(session, p, item.id, method="fuzzy", status="suggested", score=70)
            for p in products
        ]
        session.commit()
        ids = [m.id for m in matches]
    runner = CliRunner()
    review = runner.invoke(matches_app, ["review"])
    assert review.exit_code == 0 and "produit 1" in review.output
    assert runner.invoke(matches_app, ["approve", str(ids[0])]).exit_code == 0
    assert runner.invoke(matches_app, ["reject", str(ids[1])]).exit_code == 0
    with session_scope(db_url) as session:
        statuses = {m.id: m.status for m in session.exec(select(ProductMatch))}
    assert statuses == {ids[0]: "approved", ids[1]: "rejected"}
    assert "produit" not in runner.invoke(matches_app, ["review"]).output


# A local site serving the fixtures, for crawls in subprocesses.

ROUTES: list[tuple[str, str, str]] = [
    ("/fr/search", "pcexpress_search.html", "text/html"),
    ("/1/indexes/", "sobeys_search_small.json", "application/json"),
    ("/en/search", "walmart_search.json", "application/json"),
    ("/epicerie-en-ligne/recherche", "metro_search.html", "text/html"),
    ("/epicerie-en-ligne/allees/lait", "metro_product_milk.html", "text/html"),
    ("/epicerie-en-ligne/allees/pain", "metro_product_bread.html", "text/html"),
    ("/recherche", "superc_search.html", "text/html"),
    ("/shop/gb/", "html_listing.html", "text/html"),
]


def fixture_handler(fault: Callable[[BaseHTTPRequestHandler], bool] | None = None) -> type:
    class Handler(BaseHTTPRequestHandler):
        def answer(self) -> None:
            if fault is not None and fault(self):
                return
            for prefix, name, kind in ROUTES:
                if self.path.startswith(prefix):
                    body = (FIXTURES / name).read_bytes()
                    self.send_response(200)
                    self.send_header("Content-Type", f"{kind}; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
            self.send_error(404)

        def do_GET(self) -> None:
            self.answer()

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.answer()

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def serve(handler: type) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def fixture_site() -> Iterator[str]:
    yield from serve(fixture_handler())


FAST = {"PPNE_RETRY_BACKOFF_BASE": 0.05, "AUTOTHROTTLE_START_DELAY": 0.01}


def crawl(db_url: str, spider: str, settings: dict[str, Any] | None = None, **args: str) -> dict:
    """Run one crawl in a fresh interpreter: Twisted's reactor cannot restart in this one."""
    code = (
        "import dataclasses, json, sys\n"
        "from collectors.runner import run_spider\n"
        "summary = run_spider(sys.argv[1], sys.argv[2], settings=json.loads(sys.argv[3]),"
        " **json.loads(sys.argv[4]))\n"
        "print(json.dumps(dataclasses.asdict(summary)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, spider, db_url, json.dumps({**FAST, **(settings or {})}),
         json.dumps(args)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def table_counts(db_url: str) -> tuple[int, int, int]:
    with session_scope(db_url) as session:
        return (
            len(session.exec(select(PriceObservation)).all()),
            len(session.exec(select(StoreProduct)).all()),
            len(session.exec(select(QuarantinedItem)).all()),
        )


@pytest.mark.slow
def test_end_to_end_every_platform_stores_once(db_url: str, fixture_site: str) -> None:
    # Two searches answered by the same page: the second one's prices are duplicates.
    expected = {  # spider: (stored, quarantined reasons)
        "maxi": (8, {"unit_price_mismatch"}),
        "iga": (4, {"missing_product_name"}),
        "walmart": (5, set()),
        "metro": (3, set()),
        "superc": (2, {"not_a_price_saving"}),
        "sainsburys": (0, {"missing_region_code"}),
    }
    for spider, (stored, reasons) in expected.items():
        summary = crawl(db_url, spider, base_url=fixture_site, terms="lait,pain")
        assert summary["outcome"] == "succeeded", summary
        assert summary["stored"] == stored, (spider, summary)
        assert set(summary["dropped_by_reason"]) == reasons, (spider, summary)
        if spider != "metro":  # metro's product pages are fetched once (Scrapy dedup)
            assert summary["duplicates"] >= stored, (spider, summary)
    first = table_counts(db_url)
    assert first[0] == sum(stored for stored, _ in expected.values())
    with session_scope(db_url) as session:
        observations = session.exec(select(PriceObservation)).all()
        assert {o.method for o in observations} == {"api", "json-ld"}
        assert all(o.source_url.startswith(fixture_site) for o in observations)
        assert all(o.raw_price_text and len(o.content_hash) == 64 for o in observations)
        member = [o for o in observations if o.price_kind == "member"]
        assert [o.price for o in member] == [Decimal("2.500")]
        per_kg = {o.collector: o.price for o in observations if o.price_per == "kg"}
        assert per_kg == {
            "maxi": Decimal("1.520"),
            "iga": Decimal("1.740"),
            "walmart": Decimal("4.400"),
        }
        kept = session.exec(select(QuarantinedItem)).all()
        assert {q.reason for q in kept} >= {"unit_price_mismatch", "missing_product_name"}
        assert all(q.payload for q in kept)
    for spider in ("maxi", "iga", "sainsburys"):
        again = crawl(db_url, spider, base_url=fixture_site, terms="lait,pain")
        assert again["outcome"] == "succeeded" and again["stored"] == 0, again
    assert table_counts(db_url) == first
    listing = CliRunner().invoke(collect_app, ["quarantine", "--payload"])
    assert listing.exit_code == 0 and f"Quarantine ({first[2]} items)" in listing.output
    assert "T500_EA" in listing.output  # the raw payload of the inconsistent tile


@pytest.mark.slow
def test_a_server_error_is_retried_then_succeeds(db_url: str) -> None:
    calls: list[str] = []

    def fail_first(handler: BaseHTTPRequestHandler) -> bool:
        calls.append(handler.path)
        if handler.path.startswith("/en/search") and len(calls) <= 2:
            handler.send_error(500)
            return True
        return False

    for site in serve(fixture_handler(fail_first)):
        summary = crawl(db_url, "walmart", base_url=site, terms="carottes")
    assert summary["outcome"] == "succeeded", summary
    assert summary["stored"] == 5
    assert sum(path.startswith("/en/search") for path in calls) == 2


@pytest.mark.slow
def test_a_timeout_fails_the_run_naming_the_url(db_url: str) -> None:
    def hang(handler: BaseHTTPRequestHandler) -> bool:
        if handler.path.startswith("/en/search"):
            time.sleep(3)
            return True
        return False

    for site in serve(fixture_handler(hang)):
        summary = crawl(
            db_url, "walmart", {"DOWNLOAD_TIMEOUT": 1, "RETRY_TIMES": 1},
            base_url=site, terms="carottes",
        )  # fmt: skip
    assert summary["outcome"] == "failed"
    assert "walmart" in summary["message"] and f"{site}/en/search" in summary["message"]
    assert "took longer than" in summary["message"]


@pytest.mark.slow
def test_a_changed_layout_fails_the_run_naming_spider_and_url(db_url: str) -> None:
    def redesigned(handler: BaseHTTPRequestHandler) -> bool:
        body = b"<html><body><div class='new-grid'>Lait 2 % 6,49 $</div></body></html>"
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
        return True

    for site in serve(fixture_handler(redesigned)):
        summary = crawl(db_url, "maxi", base_url=site, terms="lait")
    assert summary["outcome"] == "failed"
    assert "maxi" in summary["message"] and f"{site}/fr/search" in summary["message"]
    assert "layout changed" in summary["message"]
    with session_scope(db_url) as session:
        run = session.exec(select(CollectionRun)).one()
        assert run.outcome == "failed" and site in (run.message or "")


@pytest.mark.slow
def test_a_blocked_answer_is_a_reported_failure(db_url: str) -> None:
    def captcha(handler: BaseHTTPRequestHandler) -> bool:
        body = b"<html><body><div id='px-captcha'></div>Robot or human?</body></html>"
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        handler.wfile.write(body)
        return True

    for site in serve(fixture_handler(captcha)):
        summary = crawl(db_url, "walmart", base_url=site, terms="carottes")
    assert summary["outcome"] == "failed" and "bot protection" in summary["message"]
