"""The demo spider: crawls the bundled demo store website, store by store and month by month."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy.http import Response

from collectors.spiders.structured_data import StructuredDataSpider
from core.errors import InvalidInput

PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
STORE_LINK = re.compile(r"/stores/([a-z0-9-]+)/$")


def parse_periods(text: str | None) -> list[str]:
    """Split comma-separated YYYY-MM months; none means the current month."""
    if not text:
        return [datetime.now(UTC).strftime("%Y-%m")]
    periods = [part.strip() for part in text.split(",") if part.strip()]
    for period in periods:
        if not PERIOD.match(period):
            raise InvalidInput(f"period {period!r} is not a YYYY-MM month")
    return periods


class DemoSpider(StructuredDataSpider):
    """Read the demo site's store pages for each month asked, then their product pages."""

    name = "demo"
    observed_at_from_valid_from = True

    def __init__(
        self,
        base_url: str | None = None,
        periods: str | None = None,
        store: str | None = None,
        limit: str | int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not base_url:
            raise InvalidInput("the demo spider needs base_url, the demo site's address")
        self.base_url = base_url.rstrip("/")
        self.periods = parse_periods(periods)
        self.store = store or None
        try:
            self.limit = int(limit) if limit not in (None, "") else None
        except ValueError:
            raise InvalidInput(f"limit {limit!r} is not a whole number") from None
        self.entry_url = (
            f"{self.base_url}/{self.periods[0]}/stores/{self.store}/"
            if self.store
            else f"{self.base_url}/"
        )

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.store:
            for period in self.periods:
                yield scrapy.Request(
                    f"{self.base_url}/{period}/stores/{self.store}/", self.parse_store
                )
        else:
            yield scrapy.Request(f"{self.base_url}/", self.parse_index)

    def parse_index(self, response: Response) -> Iterator[scrapy.Request]:
        """Follow every store of the index, once per month asked."""
        codes = dict.fromkeys(
            match.group(1)
            for href in response.css("a::attr(href)").getall()
            if (match := STORE_LINK.search(href))
        )
        for code in codes:
            for period in self.periods:
                yield response.follow(f"/{period}/stores/{code}/", self.parse_store)
