"""Metro and Super C (Metro Inc.): schema.org Products on search and product pages."""

from __future__ import annotations

from collectors.spiders.structured_data import StructuredDataSearchSpider
from collectors.stores import StoreConfig


class MetroSpider(StructuredDataSearchSpider):
    name = "metro"
    platform = "structured-data"
    chain = "metro"
    default_base_url = "https://www.metro.ca"
    search_url = "{base_url}/epicerie-en-ligne/recherche?filter={term}"
    product_link_css = "a.product-details-link::attr(href)"
    stores = (
        StoreConfig("metro-lachine", "metro-lachine", "Metro", "Metro Lachine", "lachine",
                    "650 32e Avenue, Lachine", "H8T 3K5"),
    )  # fmt: skip


class SuperCSpider(StructuredDataSearchSpider):
    name = "superc"
    platform = "structured-data"
    chain = "metro"
    default_base_url = "https://www.superc.ca"
    search_url = "{base_url}/recherche?filter={term}"
    product_link_css = "a.product-details-link::attr(href)"
    stores = (
        StoreConfig("superc-lachine", "superc-lachine", "Super C", "Super C Lachine", "lachine",
                    "1420 rue Notre-Dame, Lachine", "H8S 2E1", "discount"),
    )  # fmt: skip
