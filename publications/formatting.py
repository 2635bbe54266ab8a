"""French (Quebec) formatting of money, changes, counts and months for the publications."""

from __future__ import annotations

import math
import re
from datetime import date

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

LOCALE = "fr_CA"
CURRENCY = "CAD"
# What we show when a figure cannot be computed ("non disponible").
NOT_AVAILABLE = "n.d."

# Babel's fr_CA data separates thousands, and "%" and "$" from the number, with a no-break space
# (U+00A0); we keep whatever Babel emits rather than hard-coding a character of our own.
_PERCENT_CHANGE_PATTERN = "+#,##0.0\u00a0%;-#,##0.0\u00a0%"
_WHOLE_MONEY_PATTERN = "#,##0\u00a0¤"
_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def format_money(amount: float) -> str:
    """Format dollars the Quebec way, with cents: 1286.5 -> "1 286,50 $"."""
    if _missing(amount):
        return NOT_AVAILABLE
    return format_currency(amount, CURRENCY, locale=LOCALE)


def format_money_whole(amount: float) -> str:
    """Format dollars without cents, for chart axes: 1286.5 -> "1 286 $"."""
    if _missing(amount):
        return NOT_AVAILABLE
    return format_currency(
        amount, CURRENCY, format=_WHOLE_MONEY_PATTERN, currency_digits=False, locale=LOCALE
    )


def format_count(count: float) -> str:
    """Format a whole number with French thousands separators: 12345 -> "12 345"."""
    if _missing(count):
        return NOT_AVAILABLE
    return format_decimal(int(count), locale=LOCALE)


def format_percent_change(change: float) -> str:
    """Format a relative change (0.012 for 1.2 %) with its sign: "+1,2 %", "-0,8 %", "0,0 %"."""
    if _missing(change):
        return NOT_AVAILABLE
    # A change that rounds to zero gets no sign: "+0,0 %" or "-0,0 %" would suggest a direction.
    if round(change * 100, 1) == 0:
        return format_percent(0, "#,##0.0\u00a0%", locale=LOCALE)
    return format_percent(change, _PERCENT_CHANGE_PATTERN, locale=LOCALE)


def format_percent_share(share: float) -> str:
    """Format a share (0.125 for 12.5 %) the French way, without sign: "12,5 %"."""
    if _missing(share):
        return NOT_AVAILABLE
    return format_percent(share, "#,##0.0\u00a0%", locale=LOCALE)


def format_index(value: float) -> str:
    """Format an index (base = 100) with one decimal, the French way: 104.25 -> "104,3"."""
    if _missing(value):
        return NOT_AVAILABLE
    return format_decimal(value, "#,##0.0", locale=LOCALE)


def period_to_date(period: str) -> date:
    """Return the first day of a "YYYY-MM" period."""
    match = _PERIOD.match(period)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"period must look like YYYY-MM, got {period!r}")
    return date(int(match.group(1)), int(match.group(2)), 1)


def shift_period(period: str, months: int) -> str:
    """Return the "YYYY-MM" period `months` months after this one (before it, if negative)."""
    start = period_to_date(period)
    index = start.year * 12 + start.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def format_month(period: str) -> str:
    """Name a "YYYY-MM" period in French: "2026-11" -> "novembre 2026"."""
    return format_date(period_to_date(period), "LLLL y", locale=LOCALE)


def format_month_short(period: str) -> str:
    """Abbreviate the month of a "YYYY-MM" period in French: "2026-11" -> "nov."."""
    return format_date(period_to_date(period), "LLL", locale=LOCALE)


def format_day(day: date) -> str:
    """Write a date in full French: "5 novembre 2026"."""
    return format_date(day, "long", locale=LOCALE)


def _missing(value: float) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
