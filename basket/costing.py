"""Thin basket costing: lowest price per store, mean over a region's stores, times quantities.

The method of the Nutritious Food Basket practice (see docs and DOMAIN.md): the cost of an
item in a store and month is the lowest price of a product matching it, normalised to the
item's purchase size; a region's item price is the mean over its stores; a group's weekly
cost is the sum over items of price x weekly amount / purchase size; the family's is the sum
over its members; monthly = weekly x 4.33.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

WEEKS_PER_MONTH = 4.33


def lowest_price_per_store(observations: pd.DataFrame) -> pd.DataFrame:
    """Return the lowest purchase-size price of each item in each store and period.

    Args:
        observations: store_id, item_id, period, price (float, for the product's package),
            product_size, purchase_size (both in the item's purchase unit).

    Returns:
        store_id, item_id, period, item_price (price of one purchase size).
    """
    normalised = observations.assign(
        item_price=observations["price"]
        * observations["purchase_size"]
        / observations["product_size"]
    )
    return (
        normalised.groupby(["store_id", "item_id", "period"], as_index=False)
        .agg(item_price=("item_price", "min"))
        .sort_values(["store_id", "item_id", "period"], ignore_index=True)
    )


def regional_item_prices(store_prices: pd.DataFrame, store_regions: pd.DataFrame) -> pd.DataFrame:
    """Return each item's mean store price in every region containing the stores.

    Args:
        store_prices: store_id, item_id, period, item_price (from lowest_price_per_store).
        store_regions: store_id, region_id; a store appears once for its own region and
            once for each region above it, so parents average over all their stores.

    Returns:
        region_id, item_id, period, item_price, stores (how many stores priced the item).
    """
    in_regions = store_prices.merge(store_regions, on="store_id")
    return (
        in_regions.groupby(["region_id", "item_id", "period"], as_index=False)
        .agg(item_price=("item_price", "mean"), stores=("store_id", "nunique"))
        .sort_values(["region_id", "item_id", "period"], ignore_index=True)
    )


def group_weekly_costs(region_prices: pd.DataFrame, quantities: pd.DataFrame) -> pd.DataFrame:
    """Return the weekly cost of each age-sex group in each region and period.

    Items without a price in a region and period are left out of that sum: the caller
    reports how many items were priced beside the cost.

    Args:
        region_prices: region_id, item_id, period, item_price.
        quantities: item_id, group_code, weekly_amount, purchase_size.

    Returns:
        region_id, period, group_code, weekly_cost.
    """
    priced = region_prices.merge(quantities, on="item_id")
    priced = priced.assign(
        line_cost=priced["item_price"] * priced["weekly_amount"] / priced["purchase_size"]
    )
    return (
        priced.groupby(["region_id", "period", "group_code"], as_index=False)
        .agg(weekly_cost=("line_cost", "sum"))
        .sort_values(["region_id", "period", "group_code"], ignore_index=True)
    )


def family_weekly_costs(group_costs: pd.DataFrame, members: Sequence[str]) -> pd.DataFrame:
    """Return the weekly cost of a family: the sum of its members' group costs.

    Args:
        group_costs: region_id, period, group_code, weekly_cost.
        members: one group code per member; a code may repeat (two children of 4-8).

    Returns:
        region_id, period, weekly_cost.
    """
    member_counts = pd.Series(members).value_counts().rename_axis("group_code")
    weights = member_counts.rename("members").reset_index()
    present = group_costs.merge(weights, on="group_code")
    present = present.assign(weighted=present["weekly_cost"] * present["members"])
    return present.groupby(["region_id", "period"], as_index=False).agg(
        weekly_cost=("weighted", "sum")
    )


def coverage(
    region_prices: pd.DataFrame, store_prices: pd.DataFrame, store_regions: pd.DataFrame
) -> pd.DataFrame:
    """Return how many items and stores were priced in each region and period.

    Returns:
        region_id, period, items_priced, stores_priced.
    """
    items = region_prices.groupby(["region_id", "period"], as_index=False).agg(
        items_priced=("item_id", "nunique")
    )
    stores = (
        store_prices.merge(store_regions, on="store_id")
        .groupby(["region_id", "period"], as_index=False)
        .agg(stores_priced=("store_id", "nunique"))
    )
    return items.merge(stores, on=["region_id", "period"], how="outer")


def monthly_from_weekly(weekly: pd.Series, weeks_per_month: float = WEEKS_PER_MONTH) -> pd.Series:
    """Convert weekly costs to monthly ones (Nutritious Food Basket convention: x 4.33)."""
    return weekly * weeks_per_month


def basket_costs(
    store_prices: pd.DataFrame,
    store_regions: pd.DataFrame,
    quantities: pd.DataFrame,
    family_members: Sequence[str],
    items_total: int,
    weeks_per_month: float = WEEKS_PER_MONTH,
) -> pd.DataFrame:
    """Return the cost of every group and of the family, in every region and period.

    Args:
        store_prices: from lowest_price_per_store.
        store_regions: store_id, region_id (a store under each of its regions).
        quantities: item_id, group_code, weekly_amount, purchase_size.
        family_members: group codes of the reference family.
        items_total: how many items the basket has, reported beside items priced.

    Returns:
        region_id, period, scope (group code or "family"), weekly_cost, monthly_cost,
        stores_priced, items_priced, items_total.
    """
    region_prices = regional_item_prices(store_prices, store_regions)
    groups = group_weekly_costs(region_prices, quantities).rename(columns={"group_code": "scope"})
    family = family_weekly_costs(
        groups.rename(columns={"scope": "group_code"}), family_members
    ).assign(scope="family")
    costs = pd.concat([groups, family], ignore_index=True)
    costs = costs.merge(
        coverage(region_prices, store_prices, store_regions), on=["region_id", "period"]
    )
    costs = costs.assign(
        monthly_cost=monthly_from_weekly(costs["weekly_cost"], weeks_per_month),
        items_total=items_total,
    )
    columns = [
        "region_id",
        "period",
        "scope",
        "weekly_cost",
        "monthly_cost",
        "stores_priced",
        "items_priced",
        "items_total",
    ]
    return costs[columns].sort_values(["region_id", "period", "scope"], ignore_index=True)
