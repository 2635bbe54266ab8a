"""Base spider for sites with prices only in HTML markup, configured by CSS selectors."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar
from urllib.parse import quote

import scrapy
from parsel import Selector
from scrapy.http import TextResponse

from collectors.items import PriceItem
from collectors.spiders.search import SearchSpider
from collectors.stores import StoreConfig

# The fields a tile may give; "price" is required, the rest help.
FIELDS = ("name", "price", "unit_price", "sku", "size", "link", "was_price")


class CssSpider(SearchSpider):
    """Read product tiles chosen by ``tile_css``, each field by a CSS selector (and a regex).

    ``selectors`` maps a field of FIELDS to a CSS selector ending in ::text or ::attr(), or to
    (selector, regex) whose first group is kept. Pages come from ``pages`` (paths that cover
    the basket) or, when empty, from ``search_url`` with each search term.
    """

    method = "html"
    tile_css: ClassVar[str] = ""
    selectors: ClassVar[dict[str, str | tuple[str, str]]] = {}
    pages: ClassVar[tuple[str, ...]] = ()
    search_url: ClassVar[str] = "{base_url}/search?q={term}"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if not self.pages:
            async for request in super().start():
                yield request
            return
        for store in self.selected:
            for path in self.pages:
                yield scrapy.Request(
                    f"{self.base_url}/{path.lstrip('/')}",
                    self.parse_search,
                    errback=self.request_failed,
                    cb_kwargs={"store": store},
                )

    def search_request(self, store: StoreConfig, term: str) -> scrapy.Request:
        return scrapy.Request(self.search_url.format(base_url=self.base_url, term=quote(term)))

    def records(self, response: TextResponse) -> list[Any] | None:
        tiles = response.css(self.tile_css)
        return list(tiles) or None

    def field(self, tile: Selector, name: str) -> str | None:
        """Return one field of a tile as text with spaces collapsed, or None."""
        selector = self.selectors.get(name)
        if selector is None:
            return None
        css, pattern = selector if isinstance(selector, tuple) else (selector, None)
        text = " ".join(" ".join(tile.css(css).getall()).split())
        if pattern and text:
            match = re.search(pattern, text)
            text = match.group(1) if match else ""
        return text or None

    def items_from_record(
        self, record: Any, store: StoreConfig, response: TextResponse
    ) -> Iterator[PriceItem]:
        values = {name: self.field(record, name) for name in FIELDS}
        link = values["link"]
        url = response.urljoin(link) if link else response.url
        common = {
            "sku": values["sku"],
            "product_name": values["name"],
            "package_text": values["size"],
            "raw_payload": json.dumps(values, ensure_ascii=False),
        }
        was = values["was_price"]
        yield self.make_item(
            store, url, **common, price=values["price"], price_kind="sale" if was else "regular"
        )
        if values["unit_price"]:
            # The price per measure is a second reading of the same shelf price, per kg or L.
            yield self.make_item(store, url, **common, price=values["unit_price"])
        if was:
            yield self.make_item(store, url, **common, price=was)
