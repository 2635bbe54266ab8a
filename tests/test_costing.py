"""The thin costing rules on hand-built frames, checked against arithmetic done here."""

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from basket.costing import (
    basket_costs,
    coverage,
    family_weekly_costs,
    group_weekly_costs,
    lowest_price_per_store,
    monthly_from_weekly,
    regional_item_prices,
)


def observations() -> pd.DataFrame:
    # Store 1 sells item 10 in two sizes: 900 g at 2.00 and 450 g at 1.10 (2.20 per 900 g).
    return pd.DataFrame(
        {
            "store_id": [1, 1, 2, 2, 1],
            "item_id": [10, 10, 10, 20, 20],
            "period": ["2026-01"] * 5,
            "price": [2.00, 1.10, 2.60, 5.00, 4.00],
            "product_size": [900.0, 450.0, 900.0, 12.0, 12.0],
            "purchase_size": [900.0, 900.0, 900.0, 12.0, 12.0],
        }
    )


def test_lowest_price_per_store_normalises_to_the_purchase_size() -> None:
    expected = pd.DataFrame(
        {
            "store_id": [1, 1, 2, 2],
            "item_id": [10, 20, 10, 20],
            "period": ["2026-01"] * 4,
            "item_price": [min(2.00, 1.10 * 900 / 450), 4.00, 2.60, 5.00],
        }
    )
    assert_frame_equal(lowest_price_per_store(observations()), expected)


def test_regional_prices_average_stores_and_parents_see_all_their_stores() -> None:
    store_prices = lowest_price_per_store(observations())
    # Store 1 in region 100, store 2 in region 200, both under region 1.
    store_regions = pd.DataFrame({"store_id": [1, 1, 2, 2], "region_id": [100, 1, 200, 1]})
    result = regional_item_prices(store_prices, store_regions)
    parent = result[result["region_id"] == 1].set_index("item_id")
    assert parent.loc[10, "item_price"] == pytest.approx((2.00 + 2.60) / 2)
    assert parent.loc[20, "item_price"] == pytest.approx((4.00 + 5.00) / 2)
    assert parent.loc[10, "stores"] == 2
    own = result[result["region_id"] == 200].set_index("item_id")
    assert own.loc[10, "item_price"] == pytest.approx(2.60)


def test_group_and_family_costs_follow_quantities_and_members() -> None:
    region_prices = pd.DataFrame(
        {
            "region_id": [1, 1],
            "item_id": [10, 20],
            "period": ["2026-01"] * 2,
            "item_price": [2.30, 4.50],
        }
    )
    quantities = pd.DataFrame(
        {
            "item_id": [10, 20, 10, 20],
            "group_code": ["adult", "adult", "child", "child"],
            "weekly_amount": [450.0, 6.0, 225.0, 0.0],
            "purchase_size": [900.0, 12.0, 900.0, 12.0],
        }
    )
    groups = group_weekly_costs(region_prices, quantities)
    adult = 2.30 * 450 / 900 + 4.50 * 6 / 12
    child = 2.30 * 225 / 900
    assert groups["weekly_cost"].tolist() == pytest.approx([adult, child])
    family = family_weekly_costs(groups, ["adult", "adult", "child"])
    assert family["weekly_cost"].tolist() == pytest.approx([2 * adult + child])
    monthly = monthly_from_weekly(family["weekly_cost"])
    assert monthly.tolist() == pytest.approx([(2 * adult + child) * 4.33])


def test_coverage_counts_items_and_stores_priced() -> None:
    store_prices = lowest_price_per_store(observations())
    store_regions = pd.DataFrame({"store_id": [1, 2], "region_id": [1, 1]})
    region_prices = regional_item_prices(store_prices, store_regions)
    result = coverage(region_prices, store_prices, store_regions)
    assert result[["items_priced", "stores_priced"]].values.tolist() == [[2, 2]]


def test_basket_costs_has_groups_and_family_with_coverage() -> None:
    store_prices = lowest_price_per_store(observations())
    store_regions = pd.DataFrame({"store_id": [1, 2], "region_id": [1, 1]})
    quantities = pd.DataFrame(
        {
            "item_id": [10, 20],
            "group_code": ["adult", "adult"],
            "weekly_amount": [900.0, 12.0],
            "purchase_size": [900.0, 12.0],
        }
    )
    result = basket_costs(store_prices, store_regions, quantities, ["adult", "adult"], 3)
    adult = (2.00 + 2.60) / 2 + (4.00 + 5.00) / 2
    assert result["scope"].tolist() == ["adult", "family"]
    assert result["weekly_cost"].tolist() == pytest.approx([adult, 2 * adult])
    assert result["monthly_cost"].tolist() == pytest.approx([adult * 4.33, 2 * adult * 4.33])
    assert result[["stores_priced", "items_priced", "items_total"]].values.tolist() == [
        [2, 2, 3],
        [2, 2, 3],
    ]
