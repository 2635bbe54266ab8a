"""Weekly cost of every age-sex group from regional prices, with the share resting on imputation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class GridAxes:
    """The axes of a regional price grid, and the order putting its rows on them."""

    region_ids: np.ndarray
    periods: pd.Index  # the labels in their sorted order (categorical: its categories' order)
    item_ids: np.ndarray
    order: np.ndarray  # the rows in region, period, item order


def grid_axes(region_prices: pd.DataFrame) -> GridAxes:
    """Return the grid's sorted regions, periods and items, and its rows in that order.

    One sort of an integer key: sorting hundreds of thousands of rows on a text column
    several times over was a good part of a run.

    Raises:
        ValueError: the grid does not hold every region, item and period exactly once.
    """
    region, region_ids = pd.factorize(region_prices["region_id"], sort=True)
    period, periods = pd.factorize(region_prices["period"], sort=True)
    item, item_ids = pd.factorize(region_prices["item_id"], sort=True)
    if len(region_ids) * len(periods) * len(item_ids) != len(region_prices):
        raise ValueError("region_prices must hold every region, item and period once")
    key = (region.astype("int64") * len(periods) + period) * len(item_ids) + item
    return GridAxes(
        np.asarray(region_ids),
        pd.Index(periods),
        np.asarray(item_ids),
        np.argsort(key, kind="stable"),
    )


def quantity_matrix(quantities: pd.DataFrame, item_ids: np.ndarray) -> pd.DataFrame:
    """Return purchase sizes per week, items x groups (weekly_amount / purchase_size).

    Args:
        quantities: item_id, group_code, weekly_amount, purchase_size.
        item_ids: the items, in the order of the rows wanted.
    """
    per_week = quantities.assign(per_week=quantities["weekly_amount"] / quantities["purchase_size"])
    table = per_week.pivot_table(
        index="item_id", columns="group_code", values="per_week", aggfunc="sum"
    )
    return table.reindex(item_ids).fillna(0.0)


def group_weekly_costs(region_prices: pd.DataFrame, quantities: pd.DataFrame) -> pd.DataFrame:
    """Return each group's weekly cost in every region and period, and its imputed part.

    Items still missing after imputation add nothing: items_priced says how many were used.

    Args:
        region_prices: the full grid from impute_region_prices: region_id, item_id, period,
            item_price (NaN when missing), imputed (bool).
        quantities: item_id, group_code, weekly_amount, purchase_size.

    Returns:
        region_id, period, group_code, weekly_cost, imputed_cost, items_priced.
    """
    axes = grid_axes(region_prices)
    region_ids, periods, item_ids = axes.region_ids, axes.periods, axes.item_ids
    rows = len(region_ids) * len(periods)
    price = region_prices["item_price"].to_numpy(dtype="float64")[axes.order]
    price = price.reshape(rows, len(item_ids))
    imputed = region_prices["imputed"].to_numpy(dtype=bool)[axes.order].reshape(price.shape)
    matrix = quantity_matrix(quantities, item_ids)
    weights = matrix.to_numpy()
    priced = np.nan_to_num(price)
    # One matrix product per figure: (region-periods x items) @ (items x groups).
    weekly = priced @ weights
    imputed_part = np.where(imputed, priced, 0.0) @ weights
    groups = matrix.columns.to_numpy()
    index = pd.MultiIndex.from_product(
        [region_ids, periods, groups], names=["region_id", "period", "group_code"]
    ).to_frame(index=False)
    items_priced = np.repeat((~np.isnan(price)).sum(axis=1), len(groups))
    return index.assign(
        group_code=index["group_code"].astype(str),
        weekly_cost=weekly.ravel(),
        imputed_cost=imputed_part.ravel(),
        items_priced=items_priced.astype("int64"),
    )


def category_weekly_costs(
    region_prices: pd.DataFrame,
    quantities: pd.DataFrame,
    items: pd.DataFrame,
    group_codes: list[str],
    size_factor: float = 1.0,
) -> pd.DataFrame:
    """Return a set of members' weekly cost split by food category, per region and period.

    Args:
        region_prices: region_id, item_id, period, item_price.
        quantities: item_id, group_code, weekly_amount, purchase_size.
        items: item_id, category.
        group_codes: one group code per member.
        size_factor: the household-size factor a household's cost is multiplied by.

    Returns:
        region_id, period, category, weekly_cost.
    """
    counts = pd.Series(group_codes).value_counts()
    members = quantities[quantities["group_code"].isin(counts.index)]
    per_week = members["weekly_amount"] / members["purchase_size"]
    needed = (
        members.assign(per_week=per_week * members["group_code"].map(counts).to_numpy())
        .groupby("item_id", as_index=False)
        .agg(per_week=("per_week", "sum"))
    )
    lines = region_prices.merge(needed, on="item_id").merge(items[["item_id", "category"]])
    lines = lines.assign(
        weekly_cost=lines["item_price"].fillna(0.0) * lines["per_week"] * size_factor
    )
    return lines.groupby(["region_id", "period", "category"], as_index=False, sort=True).agg(
        weekly_cost=("weekly_cost", "sum")
    )
