"""Loblaw's PC Express platform (Maxi, Provigo, Loblaws, No Frills, Real Canadian Superstore)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import scrapy
from scrapy.http import TextResponse

from collectors.items import PriceItem
from collectors.spiders.search import SearchSpider, json_documents, walk_json
from collectors.stores import StoreConfig
from core.normaliser import parse_price


class PcExpressSpider(SearchSpider):
    """Read the product tiles of PC Express search pages (the page's __NEXT_DATA__ JSON).

    One tile gives up to four prices: the current one (a sale when a was-price is shown),
    the was-price as the regular price, the member-only price, and a multi-buy deal.
    """

    platform = "pcexpress"
    chain = "loblaw"

    def search_request(self, store: StoreConfig, term: str) -> scrapy.Request:
        # The site keeps the chosen store in a cookie; the storeId parameter says the same.
        url = f"{self.base_url}/{self.language}/search?search-bar={quote(term)}"
        return scrapy.Request(f"{url}&storeId={store.platform_id}")

    def records(self, response: TextResponse) -> list[Any] | None:
        documents = json_documents(response)
        if documents is None:
            return None
        tiles = {}
        for node in walk_json(documents):
            if "productId" in node and isinstance(node.get("pricing"), dict):
                tiles.setdefault(id(node), node)
        return list(tiles.values()) if tiles else None

    def items_from_record(
        self, record: Any, store: StoreConfig, response: TextResponse
    ) -> Iterator[PriceItem]:
        pricing = record["pricing"]
        units = record.get("pricingUnits") or {}
        common = {
            "sku": record.get("productId"),
            "product_name": record.get("title") or record.get("name"),
            "brand": record.get("brand"),
            "package_text": record.get("packageSizing"),
            "raw_payload": json.dumps(record, ensure_ascii=False),
            "available": record.get("inventoryIndicator") not in ("OUT_OF_STOCK", "SOLD_OUT"),
        }
        url = response.urljoin(record["link"]) if record.get("link") else response.url
        was = pricing.get("wasPrice")
        display = pricing.get("displayPrice") or pricing.get("price")
        yield self.make_item(
            store,
            url,
            **common,
            price=display,
            stated_amount=pricing.get("price"),
            price_kind="sale" if was else "regular",
            # The stated unit price ("$0.17/100ml") is of the current price, checked once.
            check_unit_price=not units.get("weighted", False),
        )
        if was:
            yield self.make_item(store, url, **common, price=was, price_kind="regular")
        if pricing.get("memberOnlyPrice"):
            yield self.make_item(
                store,
                url,
                **common,
                price=pricing.get("mopDisplayPrice") or pricing["memberOnlyPrice"],
                stated_amount=pricing["memberOnlyPrice"],
                price_kind="member",
            )
        deal = (record.get("deal") or {}).get("text")
        # Deal text is often a saving ("SAVE $0.43"), which is no price; a multi-buy is one.
        if deal and parse_price(deal).kind == "multibuy":
            yield self.make_item(store, url, **common, price=deal, price_kind="sale")


class MaxiSpider(PcExpressSpider):
    name = "maxi"
    default_base_url = "https://www.maxi.ca"
    stores = (
        StoreConfig("maxi-lachine", "8388", "Maxi", "Maxi Lachine", "lachine",
                    "3185 rue Remembrance, Lachine", "H8S 1X8", "discount"),
    )  # fmt: skip


class ProvigoSpider(PcExpressSpider):
    name = "provigo"
    default_base_url = "https://www.provigo.ca"
    stores = (
        StoreConfig("provigo-lachine", "8941", "Provigo", "Provigo Lachine", "lachine",
                    "3500 boul. Saint-Joseph, Lachine", "H8S 4K8"),
    )  # fmt: skip


class LoblawsSpider(PcExpressSpider):
    name = "loblaws"
    language = "en"
    default_base_url = "https://www.loblaws.ca"
    stores = (StoreConfig("loblaws-montreal", "1000", "Loblaws", "Loblaws Montréal", "montreal"),)


class NoFrillsSpider(PcExpressSpider):
    name = "nofrills"
    language = "en"
    default_base_url = "https://www.nofrills.ca"
    stores = (
        StoreConfig("nofrills-montreal", "3643", "No Frills", "No Frills Montréal", "montreal",
                    kind="discount"),
    )  # fmt: skip


class SuperstoreSpider(PcExpressSpider):
    name = "superstore"
    language = "en"
    default_base_url = "https://www.realcanadiansuperstore.ca"
    stores = (
        StoreConfig("superstore-montreal", "1077", "Real Canadian Superstore",
                    "Real Canadian Superstore Montréal", "montreal", kind="discount"),
    )  # fmt: skip
