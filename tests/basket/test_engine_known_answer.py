"""A known answer: prices for a few items in a few stores, costs worked out on paper."""

import pandas as pd
import pytest

from basket.engine import EngineInputs, compute_basket
from basket.protocol import NFB

# City 1 holds neighbourhood 10 (stores 1 and 2) and neighbourhood 20 (store 3).
# Store 4 is a convenience store in neighbourhood 20: left out by default.
STORES = pd.DataFrame(
    {"store_id": [1, 2, 3, 4], "kind": ["regular", "discount", "regular", "convenience"]}
)
STORE_REGIONS = pd.DataFrame(
    {"store_id": [1, 1, 2, 2, 3, 3, 4, 4], "region_id": [10, 1, 10, 1, 20, 1, 20, 1]}
)
REGIONS = pd.DataFrame({"region_id": [1, 10, 20], "parent_id": [None, 1, 1]})
# Item 100: milk, 2 L; item 200: oats, 1 kg; item 300: eggs, 12.
QUANTITIES = pd.DataFrame(
    {
        "item_id": [100, 200, 300, 100, 200, 300],
        "group_code": ["adult"] * 3 + ["child"] * 3,
        "weekly_amount": [4000.0, 500.0, 12.0, 3000.0, 250.0, 6.0],
        "purchase_size": [2000.0, 1000.0, 12.0] * 2,
    }
)


def to_the_cent(expected: float) -> object:
    # Stricter than the cent: float order of operations alone may differ.
    return pytest.approx(expected, abs=1e-9)


def observations() -> pd.DataFrame:
    rows = [
        # store, item, price, product size, purchase size, kind
        (1, 100, 5.49, 2000.0, 2000.0, "regular"),
        (1, 100, 2.99, 1000.0, 2000.0, "regular"),  # 5.98 per 2 L: not the lowest
        (1, 200, 4.29, 1000.0, 1000.0, "regular"),
        (1, 300, 4.49, 12.0, 12.0, "regular"),
        (2, 100, 5.19, 2000.0, 2000.0, "regular"),
        (2, 100, 3.99, 2000.0, 2000.0, "sale"),  # sale prices are not used by default
        (2, 200, 2.49, 1000.0, 1000.0, "regular"),
        (2, 300, 4.29, 12.0, 12.0, "regular"),
        (3, 100, 5.79, 2000.0, 2000.0, "regular"),
        (3, 200, 2.79, 1000.0, 1000.0, "regular"),
        # store 3 has no eggs: neighbourhood 20 takes the city's price
        (4, 100, 7.99, 2000.0, 2000.0, "regular"),  # convenience store
    ]
    frame = pd.DataFrame(
        rows,
        columns=["store_id", "item_id", "price", "product_size", "purchase_size", "price_kind"],
    )
    return frame.assign(period="2026-10")


def test_regional_and_household_costs_to_the_cent() -> None:
    protocol = NFB.with_changes(minimum_stores=2, reference_family=("adult", "adult", "child"))
    inputs = EngineInputs(observations(), STORES, STORE_REGIONS, REGIONS, QUANTITIES, 3)
    result = compute_basket(inputs, protocol)
    costs = result.costs.set_index(["region_id", "scope"])

    milk_10 = (5.49 + 5.19) / 2
    oats_10 = (4.29 + 2.49) / 2
    eggs_10 = (4.49 + 4.29) / 2
    adult_10 = milk_10 * 4000 / 2000 + oats_10 * 500 / 1000 + eggs_10 * 12 / 12
    child_10 = milk_10 * 3000 / 2000 + oats_10 * 250 / 1000 + eggs_10 * 6 / 12
    assert costs.loc[(10, "adult"), "weekly_cost"] == to_the_cent(adult_10)
    assert costs.loc[(10, "child"), "weekly_cost"] == to_the_cent(child_10)
    # A family of three: the size factor is 1.05.
    family_10 = (2 * adult_10 + child_10) * 1.05
    assert costs.loc[(10, "family"), "weekly_cost"] == to_the_cent(family_10)
    assert costs.loc[(10, "family"), "monthly_cost"] == to_the_cent(family_10 * 4.33)

    milk_1 = (5.49 + 5.19 + 5.79) / 3
    oats_1 = (4.29 + 2.49 + 2.79) / 3
    eggs_1 = (4.49 + 4.29) / 2
    adult_1 = milk_1 * 2 + oats_1 * 0.5 + eggs_1
    assert costs.loc[(1, "adult"), "weekly_cost"] == to_the_cent(adult_1)

    # Neighbourhood 20: one store (below the minimum of 2), eggs from the city.
    adult_20 = 5.79 * 2 + 2.79 * 0.5 + eggs_1
    child_20 = 5.79 * 1.5 + 2.79 * 0.25 + eggs_1 * 0.5
    assert costs.loc[(20, "adult"), "weekly_cost"] == to_the_cent(adult_20)
    family_20 = (2 * adult_20 + child_20) * 1.05
    assert costs.loc[(20, "family"), "weekly_cost"] == to_the_cent(family_20)
    assert costs.loc[(20, "family"), "imputed_share"] == pytest.approx(
        (2 * eggs_1 + eggs_1 * 0.5) * 1.05 / family_20
    )
    assert costs.loc[(20, "family"), "status"] == "warning"
    assert costs.loc[(10, "family"), "status"] == "published"
    eggs = result.region_prices.set_index(["region_id", "item_id"]).loc[(20, 300)]
    assert (eggs["imputation"], eggs["source_region_id"]) == ("parent", 1)
