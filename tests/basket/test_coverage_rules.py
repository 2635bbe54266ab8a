"""Known answers for the coverage rules and for territories without a store of their own.

City 1 holds neighbourhood 10 (stores 1 and 2) and neighbourhood 20 (no store). Four items,
one purchase of each a week for an adult: in September every item is priced (milk 10 $,
oats 2 $, eggs 4 $, beans 4 $: 20 $ a week); October prices fewer items.
"""

import math

import pandas as pd
import pytest

from basket.engine import EngineInputs, compute_basket
from basket.protocol import NFB

STORES = pd.DataFrame({"store_id": [1, 2], "kind": ["regular", "regular"]})
STORE_REGIONS = pd.DataFrame({"store_id": [1, 1, 2, 2], "region_id": [10, 1, 10, 1]})
REGIONS = pd.DataFrame(
    {"region_id": [1, 10, 20], "parent_id": [None, 1, 1], "code": ["city", "n10", "n20"]}
)
QUANTITIES = pd.DataFrame(
    {
        "item_id": [100, 200, 300, 400],
        "group_code": ["adult"] * 4,
        "weekly_amount": [1.0, 1.0, 1.0, 1.0],
        "purchase_size": [1.0, 1.0, 1.0, 1.0],
    }
)
SEPTEMBER = {100: 10.0, 200: 2.0, 300: 4.0, 400: 4.0}
# No carrying forward, so an item missing in October is missing, not September's price.
PROTOCOL = NFB.with_changes(
    minimum_stores=1,
    reference_family=("adult",),
    carry_forward_periods=0,
    size_factors=((1, 1.0),),  # a family of one adult: no household-size factor
)


def observations(october: dict[int, float]) -> pd.DataFrame:
    rows = [
        (store, item, price, period)
        for period, prices in (("2026-09", SEPTEMBER), ("2026-10", october))
        for item, price in prices.items()
        for store in (1, 2)
    ]
    frame = pd.DataFrame(rows, columns=["store_id", "item_id", "price", "period"])
    return frame.assign(product_size=1.0, purchase_size=1.0, price_kind="regular")


def family(october: dict[int, float], **changes: object) -> pd.DataFrame:
    inputs = EngineInputs(observations(october), STORES, STORE_REGIONS, REGIONS, QUANTITIES, 4)
    costs = compute_basket(inputs, PROTOCOL.with_changes(**changes)).costs
    return costs[costs["scope"] == "family"].set_index(["region_id", "period"])


def test_full_coverage_is_published() -> None:
    costs = family({100: 11.0, 200: 2.0, 300: 4.0, 400: 4.0})
    september = costs.loc[(10, "2026-09")]
    assert september["status"] == "published"
    assert september["weekly_cost"] == pytest.approx(20.0)
    assert september["item_share"] == 1.0
    assert math.isnan(september["cost_share"])  # a first period has no previous prices
    october = costs.loc[(10, "2026-10")]
    assert (october["status"], october["weekly_cost"]) == ("published", pytest.approx(21.0))
    assert october["cost_share"] == pytest.approx(1.0)


def test_coverage_below_the_minimum_is_withheld_with_its_reason() -> None:
    # Only milk in October: 1 item of 4 (25 %), 10 $ of September's 20 $ (50 %).
    october = family({100: 11.0}).loc[(10, "2026-10")]
    assert october["status"] == "withheld"
    assert math.isnan(october["weekly_cost"]) and math.isnan(october["monthly_cost"])
    assert (october["item_share"], october["cost_share"]) == (0.25, pytest.approx(0.5))
    assert (
        "25% of the items and 50% of the cost priced, below the minimum of 80%"
        in (october["warning"])
    )


def test_coverage_between_the_two_minimums_warns() -> None:
    # Beans missing: 3 items of 4 (75 %), 16 $ of 20 $ (80 %); the smaller share is judged.
    october = family({100: 11.0, 200: 2.0, 300: 4.0}, withhold_below_share=0.7).loc[(10, "2026-10")]
    assert october["status"] == "warning"
    assert october["weekly_cost"] == pytest.approx(17.0)
    assert (october["item_share"], october["cost_share"]) == (0.75, pytest.approx(0.8))
    assert "below the minimum of 95%" in october["warning"]


def test_a_territory_without_a_store_gets_its_parents_prices_flagged() -> None:
    costs = family({100: 11.0, 200: 2.0, 300: 4.0, 400: 4.0})
    alone = costs.loc[(20, "2026-09")]
    assert alone["status"] == "imputed"
    assert alone["weekly_cost"] == pytest.approx(20.0)  # the city's prices
    assert alone["imputed_share"] == 1.0
    assert alone["source_region_id"] == 1
    assert alone["warning"] == "no eligible store in this region: every price is taken from city"


def test_a_parent_whose_stores_lie_in_one_child_says_so_or_is_withheld() -> None:
    city = family({100: 11.0, 200: 2.0, 300: 4.0, 400: 4.0}).loc[(1, "2026-09")]
    assert city["status"] == "warning"
    assert city["warning"] == "its 2 stores all lie in n10"
    assert city["weekly_cost"] == pytest.approx(20.0)
    strict = family({100: 11.0}, single_child_parent="withhold").loc[(1, "2026-09")]
    assert strict["status"] == "withheld"
    assert math.isnan(strict["weekly_cost"])
