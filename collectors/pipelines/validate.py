"""The validate pipeline: drop items missing what an observation needs, or of unknown kinds."""

from __future__ import annotations

from collectors.items import PriceItem
from collectors.pipelines.quarantine import CrawlerPipeline
from core.models.collection import PRICE_KINDS, PRICE_PER

REQUIRED_FIELDS = (
    "store_code", "chain", "banner", "store_name", "region_code", "sku", "product_name",
    "price", "currency", "observed_at", "source_url", "collector", "method",
)  # fmt: skip


class ValidatePipeline(CrawlerPipeline):
    """Drop items missing what an observation needs, or with unknown kinds."""

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
        return item
