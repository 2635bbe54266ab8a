"""Validation per source: currency codes, dates not in the future, plausible reference values."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from babel.numbers import list_currencies

# A date a day ahead is a time zone; further ahead is a typing error or a forged record.
FUTURE_SLACK = timedelta(days=1)
PERIOD = re.compile(r"\A(\d{4})-(\d{2})\Z")
# A StatCan average price or a 2002=100 index is never above this; 1e60 is a broken file.
REFERENCE_MAX = Decimal("100000")


@lru_cache(maxsize=1)
def known_currencies() -> frozenset[str]:
    """Return the ISO 4217 codes (Babel's list)."""
    return frozenset(list_currencies())


def currency_problem(code: str) -> str | None:
    """Say why a currency code is not ISO 4217, or None when it is."""
    if len(code) != 3 or not code.isascii() or not code.isupper():
        return f"currency {code!r} is not three capital letters (ISO 4217)"
    if code not in known_currencies():
        return f"currency {code!r} is not an ISO 4217 code"
    return None


def future_problem(moment: datetime, now: datetime | None = None) -> str | None:
    """Say why a date is too far in the future, or None when it is not."""
    now = now or datetime.now(UTC)
    # By day: a price dated tomorrow (noon, as days are stored) is a time zone, not the future.
    if moment.date() > (now + FUTURE_SLACK).date():
        return f"date {moment:%Y-%m-%d} is in the future"
    return None


def period_problem(period: str) -> str | None:
    """Say why a YYYY-MM reference period is not a real month, or None when it is."""
    match = PERIOD.match(period)
    if match is None:
        return f"REF_DATE {period!r} is not YYYY-MM"
    year, month = int(match.group(1)), int(match.group(2))
    if not 1900 <= year <= 2200 or not 1 <= month <= 12:
        return f"REF_DATE {period!r} is not a real month"
    return None


def reference_value_problem(value: Decimal) -> str | None:
    """Say why a StatCan price or index is not plausible, or None when it is."""
    if not value.is_finite():
        return f"value {value} is not a number"
    if value < 0:
        return f"value {value} is negative"
    if value > REFERENCE_MAX:
        return f"value {value} is above {REFERENCE_MAX}"
    return None
