"""Base spider for platforms searched store by store: a request per store and search term."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from collectors.items import PriceItem
from collectors.pipelines.stats import (
    STAT_FAILED_PAGES,
    STAT_FIRST_EMPTY_URL,
    STAT_FIRST_FAILURE,
)
from collectors.stores import StoreConfig, basket_search_terms
from core.errors import InvalidInput

STAT_LAYOUT_CHANGED = "ppne/pages_with_unknown_layout"


def walk_json(data: Any) -> Iterator[dict[str, Any]]:
    """Yield every object nested in a JSON value, depth first."""
    pending = [data]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            yield node
            pending.extend(value for value in node.values() if isinstance(value, dict | list))
        elif isinstance(node, list):
            pending.extend(reversed(node))


def json_documents(response: TextResponse) -> list[Any] | None:
    """Return the JSON a response carries: a JSON body, JSON lines, or a page's __NEXT_DATA__."""
    text = response.text.lstrip()
    if text.startswith(("{", "[")):
        try:
            return [json.loads(text, parse_float=str)]
        except json.JSONDecodeError:
            try:  # JSON lines, as saved by scrapers
                return [json.loads(line, parse_float=str) for line in text.splitlines() if line]
            except json.JSONDecodeError:
                return None
    script = response.xpath('//script[@id="__NEXT_DATA__"]/text()').get()
    if script is None:
        return None
    try:
        return [json.loads(script, parse_float=str)]
    except json.JSONDecodeError:
        return None


class SearchSpider(scrapy.Spider):
    """Search each store for each basket item; subclasses say how to ask and how to read.

    Subclasses set the platform, the chain, their stores and language, and implement
    ``search_request`` and ``records``/``items_from_record``.
    """

    platform: ClassVar[str] = ""
    chain: ClassVar[str] = ""
    language: ClassVar[str] = "fr"
    stores: ClassVar[tuple[StoreConfig, ...]] = ()
    default_base_url: ClassVar[str] = ""
    method: ClassVar[str] = "api"
    currency: ClassVar[str] = "CAD"

    def __init__(
        self,
        base_url: str | None = None,
        store: str | None = None,
        limit: str | int | None = None,
        terms: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        known = {config.code: config for config in self.stores}
        if store and store not in known:
            raise InvalidInput(
                f"spider {self.name} has no store {store!r}; its stores: {', '.join(known)}"
            )
        self.selected = [known[store]] if store else list(self.stores)
        try:
            self.limit = int(limit) if limit not in (None, "") else None
        except ValueError:
            raise InvalidInput(f"limit {limit!r} is not a whole number") from None
        self.terms = (
            [term.strip() for term in terms.split(",") if term.strip()]
            if terms
            else list(self.search_terms())
        )
        self.per_store: dict[str, int] = {}
        self.entry_url = self.base_url

    def search_terms(self) -> Iterable[str]:
        """Return the searches that cover the basket: one per item, in the site's language."""
        return basket_search_terms(self.language)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for store in self.selected:
            for term in self.terms:
                request = self.search_request(store, term)
                yield request.replace(
                    callback=self.parse_search,
                    errback=self.request_failed,
                    cb_kwargs={"store": store},
                )

    def search_request(self, store: StoreConfig, term: str) -> scrapy.Request:
        """Return the request searching one store for one term."""
        raise NotImplementedError

    def records(self, response: TextResponse) -> list[Any] | None:
        """Return the product records of a response, or None when its layout is unknown."""
        raise NotImplementedError

    def items_from_record(
        self, record: Any, store: StoreConfig, response: TextResponse
    ) -> Iterator[PriceItem]:
        """Yield the prices of one product record."""
        raise NotImplementedError

    def parse_search(self, response: Response, store: StoreConfig) -> Iterator[PriceItem]:
        """Yield the prices of a search response, noting a page whose layout is unknown."""
        records = self.records(response) if isinstance(response, TextResponse) else None
        if records is None:
            self.page_failed(response.url, "layout changed: no product records found")
            return
        stats = self.run_stats()
        if not records and stats is not None and not stats.get_value(STAT_FIRST_EMPTY_URL):
            stats.set_value(STAT_FIRST_EMPTY_URL, response.url)
        assert isinstance(response, TextResponse)
        for record in records:
            if self.limit is not None and self.per_store.get(store.code, 0) >= self.limit:
                return
            self.per_store[store.code] = self.per_store.get(store.code, 0) + 1
            yield from self.items_from_record(record, store, response)

    def request_failed(self, failure: Failure) -> None:
        """Count a page that failed after its retries and remember the first one."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        self.page_failed(url, failure.getErrorMessage() or failure.type.__name__)

    def page_failed(self, url: str, reason: str) -> None:
        """Record a failed page in the run's stats: the run will end as failed."""
        stats = self.run_stats()
        if stats is None:  # parsing a saved file: nothing to count, tell the caller
            raise InvalidInput(f"spider {self.name}: {url}: {reason}")
        self.logger.warning("%s: %s", url, reason)
        stats.inc_value(STAT_FAILED_PAGES)
        stats.inc_value(STAT_LAYOUT_CHANGED if reason.startswith("layout") else "ppne/page_errors")
        if not stats.get_value(STAT_FIRST_FAILURE):
            stats.set_value(STAT_FIRST_FAILURE, f"{url}: {reason}")

    def run_stats(self) -> Any:
        """Return the crawl's stats collector, or None when parsing a saved file."""
        crawler = getattr(self, "crawler", None)
        return crawler.stats if crawler is not None else None

    def make_item(self, store: StoreConfig | None, url: str, **fields: Any) -> PriceItem:
        """Return an item with the store, the provenance and the given product fields."""
        store_fields = store.item_fields(self.chain) if store else {"chain": self.chain}
        return PriceItem(
            **store_fields,
            currency=fields.pop("currency", self.currency),
            observed_at=fields.pop("observed_at", None) or datetime.now(UTC).isoformat(),
            source_url=url,
            collector=self.name,
            method=self.method,
            **fields,
        )

    def parse_file(self, path: Path) -> Iterator[PriceItem]:
        """Parse a saved response offline, through the same code as a crawl."""
        body = path.read_bytes()
        response = scrapy.http.HtmlResponse(url=path.resolve().as_uri(), body=body)
        store = self.selected[0] if self.selected else None
        yield from self.parse_search(response, store)  # type: ignore[arg-type]
