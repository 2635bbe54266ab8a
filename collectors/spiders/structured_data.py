"""Base spiders reading schema.org Product and Offer (JSON-LD and microdata) from pages."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import scrapy
from parsel import Selector
from scrapy.http import Response, TextResponse

from collectors.items import PriceItem
from collectors.spiders.search import SearchSpider
from collectors.stores import StoreConfig

STRIKETHROUGH = "StrikethroughPrice"
# UN/CEFACT codes schema.org QuantitativeValue uses, mapped to our units.
UNIT_CODES = {"GRM": "g", "KGM": "kg", "MLT": "mL", "LTR": "L", "C62": "unit", "H87": "unit"}


def as_list(value: Any) -> list[Any]:
    """Return a JSON-LD value as a list (JSON-LD allows one value or an array)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def type_names(data: dict[str, Any]) -> set[str]:
    """Return the schema.org types of a node, without the vocabulary prefix."""
    return {str(name).rsplit("/", 1)[-1] for name in as_list(data.get("@type"))}


def name_of(value: Any) -> str | None:
    """Return the name of a node such as a Brand, or the value itself when it is text."""
    if isinstance(value, dict):
        value = value.get("name")
    return str(value).strip() if value not in (None, "") else None


def json_ld_nodes(response: Response) -> Iterator[dict[str, Any]]:
    """Yield every JSON-LD node of a page, unpacking arrays and @graph."""
    for text in response.xpath('//script[@type="application/ld+json"]/text()').getall():
        try:
            # Floats stay text: a price must reach the pipelines exactly as published.
            data = json.loads(text, parse_float=str)
        except json.JSONDecodeError:
            continue
        pending = as_list(data)
        while pending:
            node = pending.pop(0)
            if isinstance(node, dict):
                pending.extend(as_list(node.get("@graph")))
                yield node


class StructuredDataSpider(scrapy.Spider):
    """Read stores and prices from schema.org JSON-LD; subclasses say where the pages are.

    Subclasses set ``start`` (or start URLs) leading to store pages handled by
    ``parse_store``, and adjust the class attributes below to the site.
    """

    method = "json-ld"
    product_types: tuple[str, ...] = ("Product",)
    store_types: tuple[str, ...] = ("GroceryStore", "Store", "LocalBusiness")
    product_link_css = "a.product::attr(href)"
    default_currency = "CAD"
    default_store_kind = "regular"
    # Sites that publish past months date each offer with validFrom; others are seen today.
    observed_at_from_valid_from = False
    limit: int | None = None
    # The address a run's failure message names when the crawl found nothing.
    entry_url = ""

    def parse_store(self, response: Response) -> Iterator[scrapy.Request]:
        """Read the store from its page and follow its product links."""
        store = next(
            (self.store_fields(node) for node in self.nodes_of_type(response, self.store_types)),
            None,
        )
        if store is None:
            self.logger.warning("no schema.org store on %s", response.url)
            return
        links = response.css(self.product_link_css).getall()
        for link in links[: self.limit] if self.limit else links:
            yield response.follow(link, self.parse_product, cb_kwargs={"store": store})

    def parse_product(self, response: Response, store: dict[str, Any]) -> Iterator[PriceItem]:
        """Yield one item per price of every schema.org Product on the page."""
        for product in self.nodes_of_type(response, self.product_types):
            yield from self.items_from_product(product, store, response.url)

    def nodes_of_type(self, response: Response, types: Iterable[str]) -> Iterator[dict[str, Any]]:
        """Yield the page's JSON-LD nodes having one of the given types."""
        wanted = set(types)
        return (node for node in json_ld_nodes(response) if type_names(node) & wanted)

    def store_fields(self, data: dict[str, Any]) -> dict[str, Any]:
        """Map a schema.org store node to the item's store fields."""
        address = data.get("address") or {}
        if isinstance(address, str):
            address = {"streetAddress": address}
        chain = data.get("parentOrganization") or {}
        street = ", ".join(
            part for part in (address.get("streetAddress"), address.get("addressLocality")) if part
        )
        properties = {
            prop.get("name"): prop.get("value")
            for prop in as_list(data.get("additionalProperty"))
            if isinstance(prop, dict)
        }
        place = data.get("containedInPlace") or {}
        return {
            "store_code": str(data.get("identifier") or data.get("@id") or "") or None,
            "chain": (chain.get("identifier") if isinstance(chain, dict) else None)
            or (name_of(chain) or "").lower()
            or None,
            "banner": name_of(data.get("brand")),
            "store_name": name_of(data),
            "region_code": place.get("identifier") if isinstance(place, dict) else None,
            "address": street or None,
            "postal_code": address.get("postalCode"),
            "store_kind": properties.get("storeKind") or self.default_store_kind,
        }

    def product_fields(self, product: dict[str, Any]) -> dict[str, Any]:
        """Map a schema.org Product node to the item's product fields."""
        size = product.get("size") or product.get("weight")
        size_value = size_unit = None
        if isinstance(size, dict):
            size_value = size.get("value")
            size_unit = size.get("unitText") or UNIT_CODES.get(str(size.get("unitCode")))
        elif size is not None:
            size_value = size
        gtin = next(
            (
                product[key]
                for key in ("gtin13", "gtin", "gtin12", "gtin14", "gtin8")
                if product.get(key)
            ),
            None,
        )
        return {
            "sku": str(product["sku"]) if product.get("sku") else None,
            "gtin": str(gtin) if gtin else None,
            "product_name": name_of(product),
            "brand": name_of(product.get("brand")),
            "size": str(size_value) if size_value is not None else None,
            "size_unit": size_unit,
        }

    def observed_at(self, offer: dict[str, Any]) -> str:
        """Return when the offer holds, as ISO-8601 UTC."""
        valid_from = offer.get("validFrom")
        if self.observed_at_from_valid_from and valid_from:
            try:
                moment = datetime.fromisoformat(str(valid_from))
            except ValueError:
                moment = None
            if moment is not None:
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=UTC)
                return moment.astimezone(UTC).isoformat()
        return datetime.now(UTC).isoformat()

    def items_from_product(
        self, product: dict[str, Any], store: dict[str, Any], url: str
    ) -> Iterator[PriceItem]:
        """Yield the prices of a product: one per offer, plus the regular price of a sale."""
        fields = {**store, **self.product_fields(product)}
        offers = []
        for offer in as_list(product.get("offers")):
            if isinstance(offer, dict):
                # An AggregateOffer holds the real offers.
                offers.extend(as_list(offer.get("offers")) or [offer])
        for offer in offers:
            common = {
                **fields,
                "currency": offer.get("priceCurrency") or self.default_currency,
                "available": not str(offer.get("availability", "InStock")).endswith(
                    ("OutOfStock", "SoldOut", "Discontinued")
                ),
                "observed_at": self.observed_at(offer),
                "source_url": url,
                "collector": self.name,
                "method": self.method,
            }
            strikethrough = [
                spec
                for spec in as_list(offer.get("priceSpecification"))
                if isinstance(spec, dict) and str(spec.get("priceType", "")).endswith(STRIKETHROUGH)
            ]
            price = _text(offer.get("price"))
            kind = "sale" if strikethrough else "regular"
            # JSON-LD prices are machine numbers ("1.995"); microdata text goes to the normaliser.
            machine = not offer.get("priceIsText")
            yield PriceItem(
                **common, price=price, price_kind=kind, raw_price_text=price,
                price_is_decimal=machine,
            )  # fmt: skip
            for spec in strikethrough[:1]:
                regular = _text(spec.get("price"))
                yield PriceItem(
                    **common, price=regular, price_kind="regular", raw_price_text=regular,
                    price_is_decimal=True,
                )  # fmt: skip


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def microdata_value(element: Selector) -> str | None:
    """Return an itemprop's value: its content, href or src attribute, else its text."""
    for attribute in ("content", "href", "src"):
        value = element.attrib.get(attribute)
        if value:
            return value.strip()
    text = " ".join(part.strip() for part in element.css("::text").getall() if part.strip())
    return text or None


def microdata_products(response: Response) -> Iterator[dict[str, Any]]:
    """Yield each schema.org Product in the page's microdata, shaped like a JSON-LD node."""
    for scope in response.xpath('//*[@itemscope][contains(@itemtype, "schema.org/Product")]'):
        product: dict[str, Any] = {"@type": "Product", "offers": []}
        for element in scope.xpath(".//*[@itemprop]"):
            name = element.attrib["itemprop"]
            # Properties of a nested offer belong to that offer, read below.
            if element.xpath('ancestor::*[@itemprop="offers"]') or name == "offers":
                continue
            product.setdefault(name, microdata_value(element))
        for offer in scope.xpath('.//*[@itemprop="offers"]'):
            fields = {
                element.attrib["itemprop"]: microdata_value(element)
                for element in offer.xpath(".//*[@itemprop]")
            }
            # A price in a content attribute is a machine number; in text it is display text.
            price = offer.xpath('.//*[@itemprop="price"]')
            fields["priceIsText"] = bool(price) and not price[0].attrib.get("content")
            product["offers"].append(fields)
        yield product


class StructuredDataSearchSpider(SearchSpider, StructuredDataSpider):
    """Search a site that publishes schema.org Products (JSON-LD or microdata), per store.

    Configure ``search_url`` (with {base_url} and {term}) and ``product_link_css``; products
    found on the search page itself are read too, so listing pages with microdata need no
    extra requests.
    """

    method = "json-ld"
    search_url = "{base_url}/search?q={term}"
    product_link_css = "a.product-link::attr(href)"

    def search_request(self, store: StoreConfig, term: str) -> scrapy.Request:
        return scrapy.Request(self.search_url.format(base_url=self.base_url, term=quote(term)))

    def parse_search(self, response: Response, store: StoreConfig) -> Iterator[Any]:
        links = response.css(self.product_link_css).getall()
        for link in links[: self.limit] if self.limit else links:
            yield response.follow(
                link,
                self.parse_product_page,
                errback=self.request_failed,
                cb_kwargs={"store": store},
            )
        if not links:  # a listing whose products carry their own markup, or a changed layout
            yield from super().parse_search(response, store)

    def parse_product_page(self, response: Response, store: StoreConfig) -> Iterator[Any]:
        """Yield the prices of a product page."""
        yield from super().parse_search(response, store)

    def records(self, response: TextResponse) -> list[Any] | None:
        products = list(self.nodes_of_type(response, ("Product",)))
        products += list(microdata_products(response))
        return products or None

    def items_from_record(
        self, record: Any, store: StoreConfig, response: TextResponse
    ) -> Iterator[PriceItem]:
        fields = {**store.item_fields(self.chain), "currency": self.currency}
        for item in self.items_from_product(record, fields, response.url):
            item.collector, item.method = self.name, self.method
            item.raw_payload = json.dumps(record, ensure_ascii=False, default=str)
            yield item
