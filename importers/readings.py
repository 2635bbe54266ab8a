"""Prices, sizes and dates as importers need them, read by the shared normaliser."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from core.observations.gate import value_refusal

# A point is a decimal point (files written by programs: "3.500"); a comma with three digits
# ("1,234", "12,345") may be thousands, which the normaliser refuses as ambiguous.
PLAIN_NUMBER = re.compile(r"^\s*\d+(?:\.\d+|,\d{1,2})?\s*$")
# Surveyed and flyer prices are days, not instants: noon UTC keeps the day in Montreal too.
NOON = time(12, 0, tzinfo=UTC)


def read_price(text: str) -> tuple[Decimal | None, str, str | None]:
    """Return (price per unit, price_per, reason refused) for a price as written."""
    if PLAIN_NUMBER.match(text):
        # Most files hold bare numbers: no need to run the full parser on millions of them.
        amount = Decimal(text.strip().replace(",", "."))
        price_per = "unit"
    else:
        from core.normaliser import parse_price

        parsed = parse_price(text)
        if parsed.status != "ok" or parsed.amount is None:
            return None, "unit", parsed.reason or "unreadable price"
        if parsed.currency not in (None, "CAD"):
            return None, "unit", f"price in {parsed.currency}, not CAD"
        # A price per lb or per 100 g is stored per kg (never its amount as if per kg).
        amount, price_per = parsed.stored_price()
    # What the column cannot hold is refused here, with its reason; bounds are the gate's.
    refused = value_refusal(amount)
    if refused is not None:
        return None, price_per, refused
    return amount, price_per, None


@lru_cache(maxsize=4096)
def read_size(text: str) -> tuple[Decimal | None, str | None]:
    """Return (total size, unit g/mL/unit) of a package size as written, or (None, None)."""
    if not text or not text.strip():
        return None, None
    from core.normaliser import parse_size

    parsed = parse_size(text)
    if parsed.status != "ok" or parsed.total is None:
        return None, None
    return Decimal(parsed.total), parsed.unit


@lru_cache(maxsize=4096)
def read_day(text: str) -> datetime | None:
    """Return a date or timestamp as written (ISO) as a UTC datetime, or None."""
    text = text.strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), NOON)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return datetime.combine(moment.date(), NOON)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # an offset that moves it past year 1 or 9999: no real date
        return None


@lru_cache(maxsize=65536)
def derived_sku(*parts: object) -> str:
    """Return a stable SKU for a product a source names but does not number."""
    key = "|".join(str(part).strip().casefold() for part in parts)
    return "h:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:24]


def slug(text: str) -> str:
    """Return a lower-case code made of letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:48] or "unknown"


def to_decimal(text: str) -> Decimal | None:
    """Return a number as written, or None when it is not one."""
    try:
        return Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None
