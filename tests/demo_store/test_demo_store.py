"""The demo store website: generated catalogue, deterministic prices and the pages served."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from core.errors import NotFound
from core.reference_data import load_reference_items
from demo_store.catalog import BRANDS, build_catalog, gtin13_check_digit, size_text
from demo_store.prices import DemoOffer, offer_for, periods_until
from demo_store.site import serve_demo_store
from demo_store.stores import STORES

SEED = 2026
PERIODS = ("2025-11", "2025-12", "2026-01")
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def json_ld(page: str) -> dict[str, object]:
    match = JSON_LD.search(page)
    assert match, "page has no JSON-LD"
    return json.loads(match.group(1))


def test_catalog_has_two_or_three_branded_products_per_item_in_the_size_range() -> None:
    catalog = build_catalog(SEED)
    items = load_reference_items()
    assert len({product.sku for product in catalog}) == len(catalog)
    for item in items.to_dict(orient="records"):
        products = [product for product in catalog if product.item_code == item["code"]]
        assert 2 <= len(products) <= 3
        assert len({product.brand for product in products}) == len(products)
        for product in products:
            assert product.brand in BRANDS
            assert product.name.startswith(f"{item['name_fr']} {product.brand} ")
            assert product.name.endswith(size_text(product.size, product.size_unit))
            assert product.size_unit == item["purchase_unit"]
            low = item["size_min"] if item["size_min"] == item["size_min"] else product.size
            high = item["size_max"] if item["size_max"] == item["size_max"] else product.size
            assert Decimal(str(low)) <= product.size <= Decimal(str(high))
            assert product.gtin13[-1] == gtin13_check_digit(product.gtin13[:12])
            assert product.base_price > 0


def test_size_text_reads_like_a_label() -> None:
    assert size_text(Decimal(900), "g") == "900 g"
    assert size_text(Decimal(4000), "mL") == "4 L"
    assert size_text(Decimal(12), "unit") == "12 unités"


def test_offer_for_is_deterministic_and_priced_in_cents() -> None:
    product = build_catalog(SEED)[0]
    first = offer_for("maxi-lachine", product.sku, "2026-01", SEED)
    assert first == offer_for("maxi-lachine", product.sku, "2026-01", SEED)
    assert isinstance(first, DemoOffer)
    assert first.regular_price == first.regular_price.quantize(Decimal("0.01"))
    assert first != offer_for("maxi-lachine", product.sku, "2026-01", SEED + 1)


def test_prices_differ_by_store_and_by_month() -> None:
    product = build_catalog(SEED)[0]
    by_store = {offer_for(s.code, product.sku, "2026-01", SEED).regular_price for s in STORES}
    by_month = {
        offer_for("metro-mercier-est", product.sku, period, SEED).regular_price
        for period in periods_until()
    }
    assert len(by_store) > 1
    assert len(by_month) > 3


def test_discount_banners_are_cheaper_on_average() -> None:
    def average(kind: str) -> Decimal:
        prices = [
            offer_for(store.code, product.sku, period, SEED).regular_price
            for store in STORES
            if store.kind == kind
            for product in build_catalog(SEED)
            for period in PERIODS
        ]
        return sum(prices, Decimal(0)) / len(prices)

    assert average("discount") < average("regular")


def test_some_offers_are_on_sale_and_some_out_of_stock() -> None:
    offers = [
        offer_for(store.code, product.sku, period, SEED)
        for store in STORES
        for product in build_catalog(SEED)
        for period in PERIODS
    ]
    sales = [offer for offer in offers if offer.sale_price is not None]
    assert sales and len(sales) < len(offers) / 4
    assert all(offer.sale_price < offer.regular_price for offer in sales)  # type: ignore[operator]
    assert 0 < sum(not offer.available for offer in offers) < len(offers) / 10


def test_offer_for_rejects_unknown_store_and_product() -> None:
    with pytest.raises(NotFound):
        offer_for("nowhere", build_catalog(SEED)[0].sku, "2026-01", SEED)
    with pytest.raises(NotFound):
        offer_for("maxi-lachine", "000", "2026-01", SEED)


def test_periods_run_from_2024_01_to_the_current_month() -> None:
    periods = periods_until()
    assert periods[0] == "2024-01"
    assert periods[-1] == datetime.now(UTC).strftime("%Y-%m")
    assert len(periods) == len(set(periods))


def test_site_serves_robots_index_store_and_product_pages() -> None:
    catalog = build_catalog(SEED)
    with serve_demo_store(port=0, seed=SEED) as site:
        assert site.url.startswith("http://127.0.0.1:")
        assert "Allow: /" in fetch(f"{site.url}/robots.txt")
        index = fetch(f"{site.url}/")
        for store in STORES:
            assert f"/stores/{store.code}/" in index

        store_page = fetch(f"{site.url}/2026-01/stores/iga-lachine/")
        store_data = json_ld(store_page)
        assert store_data["@type"] == "GroceryStore"
        assert store_data["identifier"] == "iga-lachine"
        assert store_data["containedInPlace"]["identifier"] == "lachine"  # type: ignore[index]
        assert store_data["parentOrganization"]["identifier"] == "sobeys"  # type: ignore[index]
        assert store_data["address"]["postalCode"].startswith("H8")  # type: ignore[index]
        assert store_page.count('class="product"') == len(catalog)

        product = catalog[0]
        offer = offer_for("iga-lachine", product.sku, "2026-01", SEED)
        page = fetch(f"{site.url}/2026-01/stores/iga-lachine/products/{product.sku}")
        data = json_ld(page)
        assert data["name"] == product.name
        assert data["gtin13"] == product.gtin13
        shown = offer.sale_price or offer.regular_price
        assert data["offers"]["price"] == f"{shown:.2f}"  # type: ignore[index]
        assert data["offers"]["validFrom"] == "2026-01-01"  # type: ignore[index]
        assert f"{shown:.2f}".replace(".", ",") + "\u00a0$" in page


def test_site_marks_sales_and_stock_outs_in_json_ld() -> None:
    store = "super-c-mercier-est"
    offers = {
        (product.sku, period): offer_for(store, product.sku, period, SEED)
        for product in build_catalog(SEED)
        for period in periods_until()
    }
    sale_key = next(key for key, offer in offers.items() if offer.sale_price is not None)
    out_key = next(key for key, offer in offers.items() if not offer.available)
    with serve_demo_store(seed=SEED) as site:
        sale = json_ld(fetch(f"{site.url}/{sale_key[1]}/stores/{store}/products/{sale_key[0]}"))
        out = json_ld(fetch(f"{site.url}/{out_key[1]}/stores/{store}/products/{out_key[0]}"))
    strike = sale["offers"]["priceSpecification"][0]  # type: ignore[index]
    assert strike["priceType"] == "https://schema.org/StrikethroughPrice"
    assert strike["price"] == f"{offers[sale_key].regular_price:.2f}"
    assert out["offers"]["availability"] == "https://schema.org/OutOfStock"  # type: ignore[index]


@pytest.mark.parametrize(
    "path",
    [
        "/2099-01/stores/maxi-lachine/",
        "/2026-01/stores/nowhere/",
        "/2026-01/stores/maxi-lachine/products/1",
    ],
)
def test_site_answers_404_for_future_months_and_unknown_pages(path: str) -> None:
    with serve_demo_store() as site, pytest.raises(urllib.error.HTTPError) as raised:
        fetch(site.url + path)
    assert raised.value.code == 404
    raised.value.close()
