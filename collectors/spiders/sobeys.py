"""Sobeys' platform (IGA Québec, Sobeys): its Algolia product search responses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import scrapy
from scrapy.http import TextResponse

from collectors.items import PriceItem
from collectors.spiders.search import SearchSpider, json_documents
from collectors.stores import StoreConfig

CUSTOMER_PRICE = "Customer Price"


def active_sale_price(hit: dict[str, Any], moment: datetime) -> str | None:
    """Return the promotional price in force at that moment, for one unit, if any."""
    stamp = moment.timestamp()
    for promotion in hit.get("promotions") or []:
        if not promotion.get("startDate", 0) <= stamp <= promotion.get("endDate", 0):
            continue
        quantities = [
            (condition.get("value1Value20") or [{}])[0].get("value_1")
            for condition in promotion.get("promotionCondition") or []
            if condition.get("conditionShortDesc") == "QTY"
        ]
        if any(quantity not in (None, "", "1", "1.00") for quantity in quantities):
            continue  # a multi-unit condition: its price is not one unit's price
        for reward in promotion.get("promotionReward") or []:
            if reward.get("rewardShortDesc") == CUSTOMER_PRICE:
                value = (reward.get("value1Value20") or [{}])[0].get("value_1")
                if value:
                    return str(value)
    return None


class SobeysAlgoliaSpider(SearchSpider):
    """Query the Algolia index behind the store's website, one store (storeId) at a time.

    A hit gives the shelf price (``price`` for ``priceQuantity`` units, ``uom`` EA or KG) and
    promotions; a "Customer Price" promotion in force gives a sale price.
    """

    platform = "sobeys-algolia"
    chain = "sobeys"
    index_name = "dxp_product_en"
    algolia_app_id = ""  # the site's public search key; none is needed by our test server
    algolia_api_key = ""
    hits_per_page = 24
    # When the promotions are judged; tests pin it to the date of a saved response.
    now: datetime | None = None

    def search_request(self, store: StoreConfig, term: str) -> scrapy.Request:
        params = (
            f"query={term}&hitsPerPage={self.hits_per_page}&page=0"
            f"&filters=storeId:{store.platform_id}"
        )
        body = {"requests": [{"indexName": self.index_name, "params": params}]}
        headers = {"Content-Type": "application/json"}
        if self.algolia_app_id:
            headers["X-Algolia-Application-Id"] = self.algolia_app_id
            headers["X-Algolia-API-Key"] = self.algolia_api_key
        return scrapy.Request(
            f"{self.base_url}/1/indexes/*/queries?term={term}",
            method="POST",
            body=json.dumps(body),
            headers=headers,
        )

    def records(self, response: TextResponse) -> list[Any] | None:
        documents = json_documents(response)
        if not documents or not isinstance(documents[0], dict):
            return None
        results = documents[0].get("results")
        if not isinstance(results, list) or not all("hits" in r for r in results):
            return None
        return [hit for result in results for hit in result["hits"]]

    def items_from_record(
        self, record: Any, store: StoreConfig, response: TextResponse
    ) -> Iterator[PriceItem]:
        moment = self.now or datetime.now(UTC)
        hit_store = str(record.get("storeId") or "")
        if hit_store and hit_store != store.platform_id:
            # An unfiltered response mixes stores: a store we do not know has no region.
            store = next(
                (config for config in self.stores if config.platform_id == hit_store),
                StoreConfig(f"{self.chain}-{hit_store}", hit_store, store.banner,
                            f"{store.banner} {hit_store}", None),
            )  # fmt: skip
        per_kg = str(record.get("uom", "EA")).upper() == "KG"
        quantity = Decimal(str(record.get("priceQuantity") or 1))
        common = {
            "sku": record.get("articleNumber"),
            "gtin": record.get("gtin") or record.get("upc"),
            "product_name": record.get("name"),
            "brand": record.get("brand"),
            # "weight" is the shipping weight ("2.12 KG" for 2 L of milk), not the package
            # size: the size comes from the name instead, unless sold by weight.
            "package_text": None,
            "price_per": "kg" if per_kg else "unit",
            "available": bool(record.get("inStock", True)),
            "price_is_decimal": True,
            "observed_at": moment.isoformat(),
            "raw_payload": json.dumps(record, ensure_ascii=False),
        }
        url = response.url
        price = record.get("price")
        if price is not None and quantity != 1:
            price = str((Decimal(str(price)) / quantity).quantize(Decimal("0.001")))
        raw = f"{record.get('price')} per {quantity} {record.get('uom', 'EA')}"
        sale = active_sale_price(record, moment)
        yield self.make_item(store, url, **common, price=price, raw_price_text=raw)
        if sale is not None:
            yield self.make_item(
                store, url, **common, price=sale, price_kind="sale",
                raw_price_text=f"{CUSTOMER_PRICE} {sale}",
            )  # fmt: skip


class IgaSpider(SobeysAlgoliaSpider):
    name = "iga"
    index_name = "dxp_product_fr"
    default_base_url = "https://acsyshf8au-dsn.algolia.net"
    stores = (
        StoreConfig("iga-lachine", "8295", "IGA", "IGA Lachine", "lachine",
                    "1280 rue Notre-Dame, Lachine", "H8S 2C6"),
    )  # fmt: skip


class SobeysSpider(SobeysAlgoliaSpider):
    name = "sobeys"
    language = "en"
    default_base_url = "https://acsyshf8au-dsn.algolia.net"
    stores = (StoreConfig("sobeys-6730", "6730", "Sobeys", "Sobeys 6730", None),)
