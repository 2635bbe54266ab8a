"""The period of a report: YYYY-MM or YYYY-Qn, from its first day to its last."""

from __future__ import annotations

import calendar
import re
from datetime import date

from core.errors import N_, InvalidInput


def period_bounds(first: str, last: str) -> tuple[date, date]:
    """The first day of `first` and the last day of `last`: YYYY-MM or YYYY-Qn."""
    starts_on, _ = _period(first)
    _, ends_on = _period(last)
    if ends_on < starts_on:
        raise InvalidInput(
            N_("the period ends (%(last)s) before it starts (%(first)s)"), last=last, first=first
        )
    return starts_on, ends_on


def _period(text: str) -> tuple[date, date]:
    match = re.fullmatch(r"(\d{4})-(?:(\d{2})|Q([1-4]))", text.strip().upper())
    if match is None or (match.group(2) and not 1 <= int(match.group(2)) <= 12):
        raise InvalidInput(N_("not a period: %(text)r (use YYYY-MM or YYYY-Qn)"), text=text)
    year = int(match.group(1))
    first = int(match.group(2)) if match.group(2) else 3 * int(match.group(3)) - 2
    last = first if match.group(2) else first + 2
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])
