"""Trends of a cost series: month-over-month, year-over-year, an index, category contributions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from basket.periods import previous_period


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
