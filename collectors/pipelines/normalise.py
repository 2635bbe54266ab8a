"""The normalise pipeline: trim text, read price and size with core's normaliser, times to UTC."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from collectors.items import PriceItem
from collectors.pipelines.quarantine import CrawlerPipeline
from collectors.pipelines.stats import STAT_SEEN
from core.normaliser import (
    check_unit_price,
    parse_price,
    parse_price_and_size,
    parse_size,
    read_plain_price,
)

# Shelves repeat the same texts ("$5.50", "2 l, $0.28/100ml"); the readings are immutable.
read_price_text = lru_cache(maxsize=16384)(parse_price)
read_package_text = lru_cache(maxsize=16384)(parse_price_and_size)
read_size_text = lru_cache(maxsize=16384)(parse_size)

MILL = Decimal("0.001")
# The normaliser's kind of a rejected text, as a quarantine reason.
REJECTED_KINDS = {"saving": "not_a_price_saving", "range": "not_a_price_range",
                  "unavailable": "not_a_price_unavailable"}  # fmt: skip
# A size at the end of a product name ("... 2 L", "..., 6 x 200 ml"), used when no size field.
SIZE_AT_END = re.compile(r"(?:\d+\s*[x×]\s*)?\d[\d.,]*\s*[^\W\d_]+\.?\s*$")


def clear_text_caches() -> None:
    """Forget cached readings (the benchmark measures cold parsing)."""
    for cached in (read_price_text, read_package_text, read_size_text):
        cached.cache_clear()


class NormalisePipeline(CrawlerPipeline):
    """Trim text, read price and size with the shared normaliser, bring times to UTC."""

    def process_item(self, item: Any) -> PriceItem:
        self.stats.inc_value(STAT_SEEN)
        if not isinstance(item, PriceItem):
            raise self.drop(item, "not_a_price_item")
        for name in ("price", "stated_amount"):
            value = getattr(item, name)
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                setattr(item, name, str(value))  # JSON numbers: the text as published
        for name, value in vars(item).items():
            if isinstance(value, str) and name != "raw_payload":
                setattr(item, name, value.strip() or None)
        if item.price is None:
            raise self.drop(item, "missing_price")
        item.raw_price_text = item.raw_price_text or item.price
        item.currency = (item.currency or "").upper() or None
        item.price_kind = (item.price_kind or "").lower()
        if item.price_is_decimal:
            self._read_decimal(item)
        else:
            self._read_text(item)
        item.gtin = item.gtin if item.gtin and item.gtin.isdigit() else None
        self._normalise_size(item)
        if item.observed_at:
            try:
                moment = datetime.fromisoformat(item.observed_at)
            except ValueError:
                raise self.drop(item, "unreadable_observed_at") from None
            moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
            item.observed_at = moment.astimezone(UTC).isoformat()
        return item

    def _read_decimal(self, item: PriceItem) -> None:
        price = read_plain_price(str(item.price))
        if price is None:
            raise self.drop(item, "unreadable_price")
        if price <= 0:
            raise self.drop(item, "non_positive_price")
        item.price = str(price)

    def _read_text(self, item: PriceItem) -> None:
        parsed = read_price_text(str(item.price), default_currency=item.currency or "CAD")
        if parsed.status != "ok" or parsed.amount is None:
            reason = REJECTED_KINDS.get(parsed.kind, "unreadable_price")
            raise self.drop(item, reason, parsed.reason)
        if item.currency and parsed.currency != item.currency:
            raise self.drop(item, "currency_disagrees", f"{parsed.currency} in {item.price!r}")
        if item.stated_amount is not None:
            stated = read_plain_price(item.stated_amount)
            if stated != parsed.amount:
                detail = f"text says {parsed.amount}, the source's number {item.stated_amount}"
                raise self.drop(item, "price_disagrees_with_source", detail)
        item.currency = parsed.currency
        if parsed.kind == "member":
            item.price_kind = "member"
        elif parsed.kind == "sale":
            item.price_kind = "sale"
        item.multibuy_quantity = parsed.quantity
        if parsed.price_per == "kg" and parsed.price_per_kg is not None:
            item.price, item.price_per = str(parsed.price_per_kg.quantize(MILL)), "kg"
        elif parsed.price_per == "L" and parsed.price_per_l is not None:
            item.price, item.price_per = str(parsed.price_per_l.quantize(MILL)), "L"
        else:
            item.price = str(parsed.amount)
        if Decimal(item.price) <= 0:
            raise self.drop(item, "non_positive_price")

    def _normalise_size(self, item: PriceItem) -> None:
        if item.package_text:
            self._read_package(item)
            return
        # A size field and its unit ("4", "L") read as one text by the normaliser.
        size = (
            read_size_text(f"{item.size} {item.size_unit}")
            if item.size and item.size_unit
            else None
        )
        item.size = item.size_unit = None
        if size is None or size.status != "ok" or size.total is None:
            self._size_from_name(item)
            return
        item.size, item.size_unit = f"{size.total:f}", size.unit

    def _read_package(self, item: PriceItem) -> None:
        text = str(item.package_text)
        size, stated = read_package_text(text) if "," in text else (read_size_text(text), None)
        item.size = item.size_unit = None
        if size.status == "ok" and size.total is not None:
            item.size, item.size_unit = f"{size.total:f}", size.unit
        else:
            self._size_from_name(item)
        if item.check_unit_price and stated is not None and item.price_per == "unit":
            problem = check_unit_price(Decimal(str(item.price)), size, stated)
            if problem and not problem.startswith("cannot check"):
                # Price or unit price is wrong and nothing says which: keep neither.
                raise self.drop(item, "unit_price_mismatch", f"{text!r}: {problem}")

    def _size_from_name(self, item: PriceItem) -> None:
        match = SIZE_AT_END.search(item.product_name or "")
        if match is None or (item.product_name or "")[: match.start()].rstrip().endswith("-"):
            return  # "0.23 - 0.39 kg" is a range of weights, not a package size
        size = read_size_text(match.group(0))
        if size.status == "ok" and size.total is not None:
            item.size, item.size_unit = f"{size.total:f}", size.unit
