"""Walmart.ca search responses; a blocked or captcha answer is a failure, never worked around."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import scrapy
from scrapy.http import Response, TextResponse

from collectors.items import PriceItem
from collectors.spiders.search import SearchSpider, json_documents, walk_json
from collectors.stores import StoreConfig

# Signs of the bot-protection page (PerimeterX) that walmart.ca serves instead of results.
BLOCK_SIGNS = ("px-captcha", "Robot or human", "/blocked?", "Access to this page has been denied")


class WalmartSpider(SearchSpider):
    """Read the itemStacks of walmart.ca search data (GraphQL JSON or the page's __NEXT_DATA__).

    Items sold by each at a variable weight (salesUnitType EACH_WEIGHT) show an estimated
    price per item; their real price is the unit price per 100 g, stored per kg.
    """

    name = "walmart"
    platform = "walmart"
    chain = "walmart"
    language = "en"
    default_base_url = "https://www.walmart.ca"
    stores = (
        StoreConfig("walmart-lachine", "3008", "Walmart", "Walmart Lachine", "lachine",
                    "1601 rue Notre-Dame, Lachine", "H8S 2E2", "discount"),
    )  # fmt: skip

    def search_request(self, store: StoreConfig, term: str) -> scrapy.Request:
        return scrapy.Request(
            f"{self.base_url}/en/search?q={quote(term)}&storeId={store.platform_id}"
        )

    def parse_search(self, response: Response, store: StoreConfig) -> Iterator[PriceItem]:
        text = response.text if isinstance(response, TextResponse) else ""
        if any(sign in text[:20000] for sign in BLOCK_SIGNS) or "/blocked" in response.url:
            self.page_failed(response.url, "blocked by the site's bot protection (not retried)")
            return
        yield from super().parse_search(response, store)

    def records(self, response: TextResponse) -> list[Any] | None:
        documents = json_documents(response)
        if documents is None:
            return None
        stacks = [node["itemStacks"] for node in walk_json(documents) if "itemStacks" in node]
        if not stacks:
            return None
        return [
            item
            for stack_list in stacks
            for stack in stack_list or []
            for item in stack.get("itemsV2") or stack.get("items") or []
            if item.get("__typename", "Product") == "Product" and item.get("priceInfo")
        ]

    def items_from_record(
        self, record: Any, store: StoreConfig, response: TextResponse
    ) -> Iterator[PriceItem]:
        info = record["priceInfo"]
        current = info.get("currentPrice") or {}
        unit = info.get("unitPrice") or {}
        was = info.get("wasPrice") or {}
        common = {
            "sku": record.get("usItemId") or record.get("id"),
            "product_name": record.get("name"),
            "brand": record.get("brand") or None,
            "available": (record.get("availabilityStatusV2") or {}).get("value") != "OUT_OF_STOCK",
            "raw_payload": json.dumps(record, ensure_ascii=False),
        }
        url = (
            response.urljoin(record["canonicalUrl"]) if record.get("canonicalUrl") else response.url
        )
        by_weight = record.get("salesUnitType") == "EACH_WEIGHT"
        if by_weight and unit.get("priceString"):
            yield self.make_item(store, url, **common, price=unit["priceString"],
                                 stated_amount=unit.get("price"))  # fmt: skip
            return
        yield self.make_item(
            store, url, **common, price=current.get("priceString"),
            stated_amount=current.get("price"), price_kind="sale" if was else "regular",
        )  # fmt: skip
        if was.get("priceString"):
            yield self.make_item(store, url, **common, price=was["priceString"],
                                 stated_amount=was.get("price"))  # fmt: skip
