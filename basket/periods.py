"""Monthly and quarterly periods; PPNE quarters start at the surveys of Oct, Jan, Apr and Jul."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from core.errors import InvalidInput

MONTH = re.compile(r"\A(\d{4})-(0[1-9]|1[0-2])\Z")
QUARTER = re.compile(r"\A(\d{4})-Q([1-4])\Z")


def check_month(text: str) -> str:
    """Return the month unchanged if written YYYY-MM; raise InvalidInput otherwise."""
    if not MONTH.match(text):
        raise InvalidInput(f"period {text!r} is not a month written YYYY-MM")
    return text


def check_period(text: str) -> str:
    """Return the period unchanged if written YYYY-MM or YYYY-Qn; raise InvalidInput otherwise."""
    if not (MONTH.match(text) or QUARTER.match(text)):
        raise InvalidInput(f"period {text!r} is not written YYYY-MM (or YYYY-Qn)")
    return text


def month_to_quarter(months: pd.Series) -> pd.Series:
    """Return the PPNE quarter ("2026-Q4" for October to December 2026) of YYYY-MM months."""
    year = months.str.slice(0, 4)
    month = months.str.slice(5, 7).astype("int64")
    quarter = (month - 1) // 3 + 1
    return year + "-Q" + quarter.astype(str)


def to_periods(months: pd.Series, frequency: str) -> pd.Series:
    """Return each YYYY-MM month's period at the given frequency ("month" or "quarter")."""
    if frequency == "month":
        return months
    if frequency == "quarter":
        return month_to_quarter(months)
    raise InvalidInput(f"frequency must be month or quarter, not {frequency!r}")


def period_index(periods: pd.Series) -> np.ndarray:
    """Return a running integer per period (months or quarters) so gaps can be counted."""
    year = periods.str.slice(0, 4).astype("int64").to_numpy()
    rest = periods.str.slice(5)
    if rest.str.startswith("Q").all():
        return year * 4 + rest.str.slice(1).astype("int64").to_numpy() - 1
    return year * 12 + rest.astype("int64").to_numpy() - 1


def previous_period(period: str, lag: int = 1) -> str:
    """Return the period `lag` steps before (months or quarters)."""
    if QUARTER.match(period):
        stamp = pd.Period(period.replace("-", ""), freq="Q") - lag
        return f"{stamp.year}-Q{stamp.quarter}"
    return str(pd.Period(check_month(period), freq="M") - lag)


def period_label(index: int, quarterly: bool) -> str:
    """Return the label of a running period integer (the inverse of period_index)."""
    if quarterly:
        return f"{index // 4}-Q{index % 4 + 1}"
    return f"{index // 12}-{index % 12 + 1:02d}"


def period_range(periods: pd.Series) -> list[str]:
    """Return every period from the first to the last of these, gaps included, in order."""
    if periods.empty:
        return []
    unique = pd.Series(periods.drop_duplicates().astype(str).to_numpy())
    index = period_index(unique)
    quarterly = bool(unique.str.contains("Q").any())
    return [period_label(i, quarterly) for i in range(int(index.min()), int(index.max()) + 1)]
