"""Monthly and quarterly periods; PPNE quarters start at the surveys of Oct, Jan, Apr and Jul."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from basket.coverage import PUBLISHED, WARNING, WITHHELD, gravest, join_reasons
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


def period_positions(column: pd.Series, periods: Sequence[str] | pd.Index) -> np.ndarray:
    """Return the position of each value of the column in `periods` (-1 when absent).

    A categorical column's few labels are looked up once, not each of its rows.
    """
    index = pd.Index(list(periods), dtype="str")
    if isinstance(column.dtype, pd.CategoricalDtype):
        found = index.get_indexer(column.cat.categories.astype(str))
        return np.append(found, -1)[column.cat.codes.to_numpy()]
    return index.get_indexer(pd.Index(column.astype(str)))


def labels_at(labels: Sequence[str] | pd.Index, positions: np.ndarray) -> pd.Series:
    """Return the text column of labels[position], taken by position: converting hundreds
    of thousands of values to text one by one is several times slower."""
    return pd.Series(pd.Index(list(labels), dtype="str").take(positions))


# PPNE survey rounds: the round of October opens the fourth calendar quarter, and so on.
ROUND_MONTHS = {1: 1, 2: 4, 3: 7, 4: 10}
ROUND_NAMES = {
    "january": 1, "janvier": 1, "jan": 1, "janv": 1,
    "april": 2, "avril": 2, "apr": 2, "avr": 2,
    "july": 3, "juillet": 3, "jul": 3, "juil": 3,
    "october": 4, "octobre": 4, "oct": 4,
}  # fmt: skip
FRENCH_ROUNDS = {1: "janvier", 2: "avril", 3: "juillet", 4: "octobre"}
NAMED_ROUND = re.compile(r"\A([a-zéû]+)[ _-]?(\d{4})\Z|\A(\d{4})[ _-]?([a-zéû]+)\Z")


def normalise_period(text: str) -> str:
    """Return YYYY-MM or YYYY-Qn for a period, a quarter or a named survey round.

    "2026-11" and "2026-Q4" come back unchanged ("2026-q4" upper-cased); a round named by
    its survey month, "octobre 2026", "october-2026" or "2026-oct", is its quarter, 2026-Q4.

    Raises:
        InvalidInput: none of these.
    """
    # No stripping: "2026-11\n" is refused, as every other period reader refuses it.
    cleaned = text
    if MONTH.match(cleaned) or QUARTER.match(cleaned.upper()):
        return cleaned.upper()
    named = NAMED_ROUND.match(cleaned.casefold())
    if named:
        name = named.group(1) or named.group(4)
        year = named.group(2) or named.group(3)
        if name in ROUND_NAMES:
            return f"{year}-Q{ROUND_NAMES[name]}"
    raise InvalidInput(
        f"period {text!r} is not written YYYY-MM, YYYY-Qn or as a survey round (octobre 2026)"
    )


def is_quarter(period: str) -> bool:
    """Return whether the period is a quarter, YYYY-Qn."""
    return bool(QUARTER.match(period))


def quarter_months(period: str) -> list[str]:
    """Return the three months of a quarter, in order ("2026-Q4": 2026-10, 2026-11, 2026-12)."""
    found = QUARTER.match(period)
    if not found:
        raise InvalidInput(f"period {period!r} is not a quarter written YYYY-Qn")
    year, quarter = found.group(1), int(found.group(2))
    return [f"{year}-{month:02d}" for month in range(3 * quarter - 2, 3 * quarter + 1)]


def round_name(period: str) -> str:
    """Return the French name of a quarter's survey round ("2026-Q4": "octobre 2026")."""
    found = QUARTER.match(period)
    if not found:
        raise InvalidInput(f"period {period!r} is not a quarter written YYYY-Qn")
    return f"{FRENCH_ROUNDS[int(found.group(2))]} {found.group(1)}"


def quarterly_costs(monthly: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Return quarterly costs from monthly ones: the mean of the quarter's priced months.

    The rule (docs/engine.md, "Quarters"): a quarter's weekly and monthly costs are the
    arithmetic mean of its months' costs, as Statistics Canada averages monthly indices into
    a quarter; withheld months (NaN) are left out of the mean; a quarter with fewer than
    three months priced is published with a warning naming the months it rests on, and one
    with none is withheld. With the same stores every month this equals costing the
    quarter's mean prices, the cost being linear in prices.

    Args:
        monthly: keys, period (YYYY-MM), weekly_cost, monthly_cost, status, warning.
        keys: the columns a quarter is formed within (e.g. region_id, scope).

    Returns:
        keys, period (YYYY-Qn), weekly_cost, monthly_cost, status, warning, months (the
        months priced, comma-separated).
    """
    frame = monthly.assign(
        period=month_to_quarter(monthly["period"].astype(str)), month=monthly["period"].astype(str)
    )
    rows = []
    for key, group in frame.groupby([*keys, "period"], sort=True):
        priced = group[group["weekly_cost"].notna()]
        status = PUBLISHED
        for label in priced["status"]:
            status = gravest(status, {"ok": PUBLISHED}.get(str(label), str(label)))
        reasons = list(dict.fromkeys(str(w) for w in priced["warning"].fillna("") if w))
        months = sorted(priced["month"])
        if not months:
            status, reasons = WITHHELD, ["no month of the round has a published figure"]
        elif len(months) < 3:
            status = gravest(status, WARNING)
            reasons.insert(0, f"{len(months)} of 3 months priced ({', '.join(months)})")
        rows.append(
            (
                *key,
                priced["weekly_cost"].mean() if months else float("nan"),
                priced["monthly_cost"].mean() if months else float("nan"),
                status,
                join_reasons(*reasons),
                ",".join(months),
            )
        )
    columns = [*keys, "period", "weekly_cost", "monthly_cost", "status", "warning", "months"]
    return pd.DataFrame(rows, columns=columns)
