"""Sainsbury's (UK, 2017 markup): the reference configuration of the CSS-selector spider."""

from __future__ import annotations

from typing import ClassVar

from collectors.spiders.html import CssSpider
from collectors.stores import StoreConfig


class SainsburysSpider(CssSpider):
    """Listing tiles and product pages; a UK store has no PPNE region, so a crawl quarantines."""

    name = "sainsburys"
    platform = "html"
    chain = "sainsburys"
    language = "en"
    currency = "GBP"
    default_base_url = "https://www.sainsburys.co.uk"
    pages = ("shop/gb/groceries/fruit-veg/berries-cherries-currants",)
    tile_css = "div.product, div.productSummary"
    selectors: ClassVar[dict[str, str | tuple[str, str]]] = {
        "name": "div.productNameAndPromotions h3 a::text, "
        "div.productTitleDescriptionContainer h1::text",
        "link": "div.productNameAndPromotions h3 a::attr(href)",
        "price": "p.pricePerUnit::text",
        "unit_price": "p.pricePerMeasure ::text",
        "sku": ("input[name=productId]::attr(value), p.itemCode::text", r"(\d+)"),
    }
    stores = (
        StoreConfig("sainsburys-online", "online", "Sainsbury's", "Sainsbury's online", None),
    )
