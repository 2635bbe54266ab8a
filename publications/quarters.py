"""Quarterly rounds made from monthly costs, until the costing stores quarters itself.

The quarterly PPNE edition needs a cost per quarter (YYYY-Qn). Helper work in services/costing
will store quarterly periods directly; until then this module averages the three months of
a quarter. It is the only place that knows how: switching to stored quarters means replacing
`quarterly_costs` and nothing else.
"""

from __future__ import annotations

import re

import pandas as pd

from core.errors import InvalidInput

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
# The worst status of a quarter's months wins: one withheld month withholds the quarter.
STATUS_RANK = {"ok": 0, "warning": 1, "imputed": 2, "incomplete": 3, "withheld": 4}


def parse_quarter(period: str) -> tuple[int, int]:
    """Return (year, quarter) of "YYYY-Qn".

    Raises:
        InvalidInput: the period is not written YYYY-Qn.
    """
    match = _QUARTER.match(period)
    if not match:
        raise InvalidInput(f"a quarter is written YYYY-Qn, e.g. 2026-Q3; got {period!r}")
    return int(match.group(1)), int(match.group(2))


def quarter_months(period: str) -> list[str]:
    """Return the three YYYY-MM months of a quarter: 2026-Q1 -> 2026-01, -02, -03."""
    year, quarter = parse_quarter(period)
    return [f"{year:04d}-{month:02d}" for month in range(quarter * 3 - 2, quarter * 3 + 1)]


def quarter_of(month: str) -> str:
    """Return the quarter of a YYYY-MM month: 2026-11 -> 2026-Q4."""
    year, number = (int(part) for part in month.split("-"))
    return f"{year:04d}-Q{(number - 1) // 3 + 1}"


def shift_quarter(period: str, quarters: int) -> str:
    """Return the quarter `quarters` after this one (before it when negative)."""
    year, quarter = parse_quarter(period)
    index = year * 4 + quarter - 1 + quarters
    return f"{index // 4:04d}-Q{index % 4 + 1}"


def quarterly_costs(monthly: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Average monthly costs into quarters, per `keys` (e.g. scope).

    Args:
        monthly: keys, period (YYYY-MM), weekly_cost, monthly_cost, status, imputed_share.

    Returns:
        keys, period (YYYY-Qn), weekly_cost, monthly_cost, months (how many were priced),
        imputed_share (mean), status: the worst month's, "incomplete" when a month is
        missing (a quarter of fewer than three months is not the quarter's cost).
    """
    frame = monthly.assign(period=monthly["period"].map(quarter_of))
    frame = frame.assign(rank=frame["status"].map(STATUS_RANK).fillna(0))
    grouped = frame.groupby([*keys, "period"], as_index=False, sort=True).agg(
        weekly_cost=("weekly_cost", "mean"),
        monthly_cost=("monthly_cost", "mean"),
        months=("weekly_cost", "size"),
        imputed_share=("imputed_share", "mean"),
        rank=("rank", "max"),
    )
    names = {rank: status for status, rank in STATUS_RANK.items()}
    status = grouped["rank"].map(names)
    grouped["status"] = status.where(grouped["months"] >= 3, "incomplete")
    grouped.loc[grouped["rank"] == STATUS_RANK["withheld"], "status"] = "withheld"
    return grouped.drop(columns="rank")
