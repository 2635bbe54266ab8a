"""A crawled price passes the same price gate as imports: refused ones go to the quarantine."""

from __future__ import annotations

from decimal import Decimal

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler
from test_collectors import BASE, make_item

from collectors.pipelines.normalise import NormalisePipeline
from collectors.pipelines.quarantine import quarantine_of
from collectors.pipelines.validate import ValidatePipeline
from collectors.spiders.demo import DemoSpider
from core.observations.gate import PriceBounds


def pipelines(settings: dict[str, object] | None = None):  # type: ignore[no-untyped-def]
    crawler = get_crawler(DemoSpider, settings or {})
    crawler.spider = DemoSpider(base_url=BASE)
    return crawler, NormalisePipeline(crawler), ValidatePipeline(crawler)


@pytest.mark.parametrize(
    ("price", "reason", "words"),
    [
        # The normaliser already refuses an amount no column holds; the gate never sees it.
        ("99999999999999 $", "unreadable_price", "9 integer digits"),
        ("0,0001 $", "price_refused", "4 decimals"),
        ("20 000,00 $", "price_refused", "highest believable"),
    ],
)
def test_a_crawled_price_the_gate_refuses_is_quarantined_with_its_reason(
    price: str, reason: str, words: str
) -> None:
    crawler, normalise, validate = pipelines()
    with pytest.raises(DropItem):
        validate.process_item(normalise.process_item(make_item(price=price)))
    [record] = quarantine_of(crawler)
    assert record["reason"] == reason
    assert words in record["detail"]
    assert crawler.stats.get_value(f"ppne/dropped/{reason}") == 1


def test_crawl_bounds_come_from_the_crawl_settings() -> None:
    bounds = PriceBounds(Decimal("10"), Decimal("20"))
    _crawler, normalise, validate = pipelines({"PPNE_PRICE_BOUNDS": bounds})
    with pytest.raises(DropItem):
        validate.process_item(normalise.process_item(make_item(price="6,49 $")))
    kept = validate.process_item(normalise.process_item(make_item(price="12,49 $")))
    assert kept.price == "12.49"
