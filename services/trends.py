"""A region's cost trend beside the food CPI, as GET /v1/trends and `ppne trends` give it."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
from sqlmodel import Session

from basket.group_costs import category_weekly_costs
from basket.households import household_size_factor
from basket.periods import is_quarter, month_to_quarter, normalise_period, quarterly_costs
from basket.trends import trend_report
from core.money import to_money
from core.queries.cpi import CPI_FOOD, CPI_TABLE
from core.queries.trends import trend_frames
from services.costs import published_status
from services.revision_cache import RevisionCache
from services.trend_models import CategoryChange, ChangeDriversOut, CpiSource, Trend, TrendPoint


def _number(value: float, digits: int) -> float | None:
    # NaN (no value) and infinity (a change from zero) have no JSON number: both are null.
    return round(float(value), digits) if value is not None and math.isfinite(value) else None


def _by_round(
    costs: pd.DataFrame, categories: pd.DataFrame, cpi: pd.DataFrame, versions: pd.Series
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.Series]:
    """Return monthly costs, category costs and CPI as PPNE rounds (quarters).

    Costs follow basket/periods.py quarterly_costs (the mean of the priced months, flagged
    when fewer than three); category costs and the CPI are the means of their months, as
    Statistics Canada forms a quarter from monthly indices.
    """
    quarters = quarterly_costs(
        costs.rename(columns={"cost": "weekly_cost"}).assign(warning=""), []
    ).rename(columns={"weekly_cost": "cost"})
    quarters = quarters[quarters["cost"].notna()]
    by_round = categories.assign(period=month_to_quarter(categories["period"].astype(str)))
    by_round = by_round.groupby(["region_id", "period", "category"], as_index=False).agg(
        weekly_cost=("weekly_cost", "mean")
    )
    cpi_rounds = cpi
    if not cpi.empty:
        cpi_rounds = (
            cpi.assign(period=month_to_quarter(cpi["period"].astype(str)))
            .groupby(["period", "geo"], as_index=False)
            .agg(cpi=("cpi", "mean"))
        )
    # A round is costed with the basket version of its latest month.
    round_versions = pd.Series(
        versions.to_numpy(), index=month_to_quarter(pd.Series(versions.index.astype(str)))
    )
    round_versions = round_versions.groupby(level=0).last()
    return (
        quarters[["period", "cost", "monthly_cost", "status"]],
        by_round,
        cpi_rounds,
        round_versions,
    )


def stored_members(costs: pd.DataFrame, scope: str, fallback_family: Sequence[str]) -> list[str]:
    """Return the group code of each person whose costs the scope's stored figures sum.

    The family is the one stored with the newest cost read, so the category drivers split
    the figures that were computed, whatever the family is configured as today.
    """
    if scope != "family":
        return [scope]
    stored = costs["family"].dropna()
    if stored.empty:
        # Costs computed before migration 0007 do not say which family they sum: the
        # deployment's configured family is the best guess left.
        return list(fallback_family)
    return str(stored.iloc[-1]).split(",")


# Building a trend reads and reshapes every stored cost and price of the region.
TREND_CACHE_SIZE = 256
_trend_cache: RevisionCache[Trend] = RevisionCache(TREND_CACHE_SIZE)


def clear_trend_cache() -> None:
    """Forget every built trend."""
    _trend_cache.clear()


def build_trend(
    session: Session,
    region: str,
    fallback_family: Sequence[str],
    group: str = "family",
    base_period: str | None = None,
    period_from: str | None = None,
    period_to: str | None = None,
    cpi_product: str = CPI_FOOD,
    base_round: str | None = None,
) -> Trend:
    """Return the stored cost series of a region and group with its trend and the food CPI.

    Args:
        base_round: the index's base for a series by PPNE round when `base_period` is not
            given and the series holds it (PPNE_BASE_PERIOD: the PPNE reports the change
            since October 2021, 2021-Q4).

    The answer is remembered until `ppne compute` stores costs or a CPI import lands (the
    revision of core.queries.trends.costs_revision); see _build_trend for the rest.
    """
    arguments = (region, tuple(fallback_family), group, base_period, period_from, period_to,
                 cpi_product, base_round)  # fmt: skip
    return _trend_cache.get_or_build(session, arguments, lambda: _build_trend(session, *arguments))


def _build_trend(
    session: Session,
    region: str,
    fallback_family: Sequence[str],
    group: str = "family",
    base_period: str | None = None,
    period_from: str | None = None,
    period_to: str | None = None,
    cpi_product: str = CPI_FOOD,
    base_round: str | None = None,
) -> Trend:
    """Return the stored cost series of a region and group with its trend and the food CPI.

    Each period is read from the basket version in effect for it.

    Args:
        fallback_family: the configured family, used only for costs stored without one.

    Raises:
        RegionNotFound, InvalidInput, NoData: see core.queries.trends.trend_frames and
            basket.trends.trend_report.
    """
    base_period, period_from, period_to = (
        normalise_period(p) if p else None for p in (base_period, period_from, period_to)
    )
    frames = trend_frames(session, region, group, cpi_product)
    members = stored_members(frames.costs, frames.scope, fallback_family)
    # The family's stored cost carries the household-size factor; a group's does not.
    factor = household_size_factor(len(members)) if frames.scope == "family" else 1.0
    categories = category_weekly_costs(
        frames.region_prices, frames.quantities, frames.items, members, factor
    )
    costs = frames.costs[["period", "cost", "monthly_cost", "status"]]
    versions = frames.costs.set_index("period")["basket_version"]
    cpi = frames.cpi
    asked = [p for p in (base_period, period_from, period_to) if p]
    if any(is_quarter(p) for p in asked) and not costs["period"].map(is_quarter).any():
        costs, categories, cpi, versions = _by_round(costs, categories, cpi, versions)
    by_round = costs["period"].map(is_quarter).any()
    if base_period is None and base_round and by_round and base_round in set(costs["period"]):
        base_period = base_round  # the change since the PPNE's base round
    report = trend_report(costs, cpi, categories, base_period, period_from, period_to)
    geo = str(frames.cpi["geo"].iloc[0]) if not frames.cpi.empty else None
    series = [
        TrendPoint(
            period=str(row["period"]),
            basket_version=str(versions[row["period"]]),
            weekly_cost=to_money(row["cost"]),
            monthly_cost=to_money(row["monthly_cost"]),
            status=published_status(row["status"]),
            change_base=round(float(row["index"]) - 100, 2),
            change_previous=_number(row["change_previous"], 2),
            change_year=_number(row["change_year"], 2),
            index=round(float(row["index"]), 2),
            cpi=_number(row["cpi"], 4),
            cpi_index=_number(row["cpi_index"], 2),
        )
        for row in report.series.to_dict("records")
    ]
    return Trend(
        region=frames.region_code,
        region_name=frames.region_name,
        group=frames.scope,
        basket_version=series[-1].basket_version,
        members=members,
        base_period=report.base_period,
        cpi=CpiSource(
            table=CPI_TABLE,
            product=frames.cpi_product,
            geo=geo,
            geos_searched=frames.cpi_geos,
            fallback=geo is not None and geo != frames.cpi_geos[0],
        ),
        series=series,
        drivers=[
            ChangeDriversOut(
                start=drivers.start,
                end=drivers.end,
                categories=[
                    CategoryChange(
                        category=str(row["category"]),
                        cost_start=to_money(row["cost_start"]),
                        cost_end=to_money(row["cost_end"]),
                        change=to_money(row["change"]),
                        contribution_points=_number(row["contribution_points"], 2),
                        share_of_change=_number(row["share_of_change"], 4),
                    )
                    for row in drivers.categories.to_dict("records")
                ],
            )
            for drivers in report.drivers
        ],
    )
