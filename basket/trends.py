"""Trends of a cost series: month-over-month, year-over-year, an index, category contributions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from basket.periods import check_period, previous_period
from core.errors import InvalidInput, NoData


def changes(series: pd.DataFrame, base_period: str | None = None) -> pd.DataFrame:
    """Return a cost series with its changes and an index (base period = 100).

    Args:
        series: period (YYYY-MM or YYYY-Qn), cost; one row per period.
        base_period: the period the index equals 100 in; the first one by default.

    Returns:
        period, cost, change_previous (MoM, or QoQ for quarters, in %), change_year (YoY, %),
        index.
    """
    ordered = series.sort_values("period").reset_index(drop=True)
    by_period = ordered.set_index("period")["cost"]
    quarterly = ordered["period"].str.contains("Q").any()
    year_lag = 4 if quarterly else 12

    def change(lag: int) -> np.ndarray:
        before = by_period.reindex([previous_period(p, lag) for p in ordered["period"]])
        return (ordered["cost"].to_numpy() / before.to_numpy() - 1) * 100

    base = base_period or str(ordered["period"].iloc[0])
    if base not in by_period.index:
        raise ValueError(f"base period {base} has no cost")
    return ordered.assign(
        change_previous=change(1),
        change_year=change(year_lag),
        index=ordered["cost"] / by_period[base] * 100,
    )


def contributions(category_costs: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """Return how much each food category added to the change between two periods.

    Args:
        category_costs: period, category, weekly_cost.

    Returns:
        category, cost_start, cost_end, change, contribution_points (percentage points of
        the total change), share_of_change (its part of the change, summing to 1).
    """
    wide = category_costs.pivot_table(
        index="category", columns="period", values="weekly_cost", aggfunc="sum"
    ).fillna(0.0)
    before, after = wide[start], wide[end]
    delta = after - before
    total_before, total_delta = before.sum(), delta.sum()
    return (
        pd.DataFrame(
            {
                "category": wide.index.astype(str),
                "cost_start": before.to_numpy(),
                "cost_end": after.to_numpy(),
                "change": delta.to_numpy(),
                "contribution_points": (delta / total_before * 100).to_numpy(),
                "share_of_change": (delta / total_delta).to_numpy()
                if total_delta
                else np.zeros(len(delta)),
            }
        )
        .sort_values("change", ascending=False, key=abs)
        .reset_index(drop=True)
    )


def beside_cpi(series: pd.DataFrame, cpi: pd.DataFrame, base_period: str) -> pd.DataFrame:
    """Return the basket index beside the food CPI rebased to the same period (= 100).

    Args:
        series: period, cost.
        cpi: period, cpi (e.g. Statistics Canada 18-10-0004-01); may be empty.

    Returns:
        period, index, cpi_index (NaN where the CPI has no value).
    """
    indexed = changes(series, base_period)[["period", "index"]]
    if cpi.empty:
        return indexed.assign(cpi_index=np.nan)
    by_period = cpi.set_index("period")["cpi"].astype("float64")
    base = by_period.get(base_period, np.nan)
    rebased = by_period / base * 100
    return indexed.assign(cpi_index=rebased.reindex(indexed["period"]).to_numpy())


@dataclass(frozen=True)
class ChangeDrivers:
    """Which categories drove the change from one period to another."""

    start: str
    end: str
    categories: pd.DataFrame  # the columns of contributions()


@dataclass(frozen=True)
class TrendReport:
    """A cost series with its changes, its index and the CPI beside it, and what drove it."""

    base_period: str
    # period, cost, the series' other columns, change_previous, change_year, index, cpi,
    # cpi_index (NaN where the CPI has no value, or none was imported)
    series: pd.DataFrame
    drivers: list[ChangeDrivers]


def trend_report(
    costs: pd.DataFrame,
    cpi: pd.DataFrame,
    category_costs: pd.DataFrame,
    base_period: str | None = None,
    period_from: str | None = None,
    period_to: str | None = None,
) -> TrendReport:
    """Return the trend of a cost series between two periods, beside the CPI, with its drivers.

    Changes are computed on the whole series, so the first period shown still has its
    change from the month (and year) before. The drivers compare the last period shown with
    the one before and the one a year before, where both have a cost, leaving out categories
    with no cost at either end.

    Args:
        costs: period, cost (one row per period), and any columns to keep.
        cpi: period, cpi; may be empty.
        category_costs: period, category, weekly_cost.
        base_period: the period the index and the CPI equal 100 in; the first shown by default.

    Raises:
        InvalidInput: a period is malformed, or the base period has no cost.
        NoData: no cost between period_from and period_to.
    """
    for given in (base_period, period_from, period_to):
        if given is not None:
            check_period(given)
    ordered = costs.sort_values("period").reset_index(drop=True)
    periods = ordered["period"].astype(str)
    shown = (periods >= (period_from or "")) & (periods <= (period_to or "9999"))
    if not shown.any():
        raise NoData(f"no cost between {period_from or 'the start'} and {period_to or 'the end'}")
    base = base_period or str(periods[shown].iloc[0])
    if base not in set(periods):
        raise InvalidInput(f"base period {base} has no cost")
    beside = beside_cpi(ordered[["period", "cost"]], cpi[["period", "cpi"]], base)
    raw_cpi = cpi.set_index("period")["cpi"].astype("float64") if not cpi.empty else None
    series = changes(ordered, base).merge(beside[["period", "cpi_index"]], on="period")
    series.insert(
        len(series.columns) - 1,
        "cpi",
        raw_cpi.reindex(series["period"]).to_numpy() if raw_cpi is not None else np.nan,
    )
    series = series[shown.to_numpy()].reset_index(drop=True)

    end = str(series["period"].iloc[-1])
    year_lag = 4 if "Q" in end else 12
    categorised = set(category_costs["period"].astype(str))
    drivers = []
    for lag in (1, year_lag):
        start = previous_period(end, lag)
        if {start, end} <= set(periods) & categorised:
            pair = category_costs[category_costs["period"].isin([start, end])]
            table = contributions(pair, start, end)
            # Categories the scope never buys (infant formula for the family) drove nothing.
            bought = (table["cost_start"] != 0) | (table["cost_end"] != 0)
            drivers.append(ChangeDrivers(start, end, table[bought].reset_index(drop=True)))
    return TrendReport(base_period=base, series=series, drivers=drivers)
