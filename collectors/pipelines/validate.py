"""The validate pipeline: drop items missing what an observation needs, or of unknown kinds."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from scrapy.crawler import Crawler

from collectors.items import PriceItem
from collectors.pipelines.quarantine import CrawlerPipeline
from core.models.collection import PRICE_KINDS, PRICE_PER
from core.observations.gate import DEFAULT_BOUNDS, PriceBounds, price_refusal

REQUIRED_FIELDS = (
    "store_code", "chain", "banner", "store_name", "region_code", "sku", "product_name",
    "price", "currency", "observed_at", "source_url", "collector", "method",
)  # fmt: skip


class ValidatePipeline(CrawlerPipeline):
    """Drop items missing what an observation needs, with unknown kinds, or a refused price."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        # The price gate's bounds: a PriceBounds in the crawl's PPNE_PRICE_BOUNDS setting.
        self.price_bounds: PriceBounds = crawler.settings.get("PPNE_PRICE_BOUNDS") or DEFAULT_BOUNDS

    def process_item(self, item: PriceItem) -> PriceItem:
        for name in REQUIRED_FIELDS:
            if not getattr(item, name):
                raise self.drop(item, f"missing_{name}")
        if item.price_kind not in PRICE_KINDS:
            raise self.drop(item, "unknown_price_kind")
        if item.price_per not in PRICE_PER:
            raise self.drop(item, "unknown_price_per")
        if len(item.currency or "") != 3:
            raise self.drop(item, "unknown_currency")
        try:
            price = Decimal(str(item.price))
        except InvalidOperation:
            raise self.drop(item, "unreadable_price", repr(item.price)[:100]) from None
        refused = price_refusal(price, item.price_per, item.currency, bounds=self.price_bounds)
        if refused is not None:
            raise self.drop(item, "price_refused", refused)
        return item
