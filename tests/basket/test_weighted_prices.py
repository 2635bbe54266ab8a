"""Prices per kg, 100 g, lb, L or 100 mL costed at the item's purchase size (issue 11)."""

import math

import pandas as pd
import pytest

from basket.choice import choose_products
from basket.engine import EngineInputs, compute_basket
from basket.lineage import with_conversions
from basket.outliers import flag_outliers, normalised_prices
from basket.protocol import NFB
from basket.store_prices import lowest_price_per_store, usable_observations
from basket.units import conversion_text, purchase_size_prices

# Region 1 holds stores 1 and 2. Item 100: bananas, bought by the 1 000 g; item 200:
# cheddar, 400 g; item 300: cantaloupe, bought by count (1 unit); item 400: milk, 2 000 mL.
STORES = pd.DataFrame({"store_id": [1, 2], "kind": ["regular", "regular"]})
STORE_REGIONS = pd.DataFrame({"store_id": [1, 2], "region_id": [1, 1]})
REGIONS = pd.DataFrame({"region_id": [1], "parent_id": [None]})
QUANTITIES = pd.DataFrame(
    {
        "item_id": [100, 200],
        "group_code": ["adult", "adult"],
        "weekly_amount": [1500.0, 200.0],
        "purchase_size": [1000.0, 400.0],
    }
)


def frame(rows: list[tuple]) -> pd.DataFrame:
    columns = ["observation_id", "store_id", "item_id", "price", "price_per", "product_size",
               "purchase_size", "purchase_unit"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns).assign(period="2026-10", price_kind="regular")


def test_a_weighted_item_priced_only_per_kg_is_costed() -> None:
    # Bananas sold by weight only: 1,52 $/kg in store 1, 1,60 $/kg in store 2 (no size).
    observations = frame(
        [
            (1, 1, 100, 1.52, "kg", math.nan, 1000.0, "g"),
            (2, 2, 100, 1.60, "kg", math.nan, 1000.0, "g"),
            (3, 1, 200, 5.99, "unit", 400.0, 400.0, "g"),
            (4, 2, 200, 6.49, "unit", 400.0, 400.0, "g"),
        ]
    )
    protocol = NFB.with_changes(minimum_stores=2, reference_family=("adult",))
    inputs = EngineInputs(observations, STORES, STORE_REGIONS, REGIONS, QUANTITIES, 2)
    result = compute_basket(inputs, protocol)
    adult = result.costs.set_index("scope").loc["adult"]
    # By hand: bananas (1.52 + 1.60) / 2 = 1.56 $ per 1 000 g, 1 500 g a week = 2.34 $;
    # cheddar (5.99 + 6.49) / 2 = 6.24 $ per 400 g, 200 g a week = 3.12 $. Total 5.46 $.
    assert adult["weekly_cost"] == pytest.approx(5.46, abs=1e-9)
    assert adult["items_priced"] == 2
    bananas = result.store_prices[result.store_prices["item_id"] == 100]
    assert bananas["item_price"].tolist() == pytest.approx([1.52, 1.60])
    assert bananas["observation_id"].tolist() == [1, 2]


def test_a_price_per_100_g_competes_with_a_packaged_price() -> None:
    # Cheddar, bought by the 400 g. Store 1: a 400 g block at 6.49 $, and the deli at
    # 1.49 $/100 g (5.96 $ per 400 g: lower, it wins). Store 2: a 400 g block at 5.79 $
    # against 1.59 $/100 g (6.36 $ per 400 g: the block wins).
    observations = frame(
        [
            (1, 1, 200, 6.49, "unit", 400.0, 400.0, "g"),
            (2, 1, 200, 1.49, "100g", math.nan, 400.0, "g"),
            (3, 2, 200, 5.79, "unit", 400.0, 400.0, "g"),
            (4, 2, 200, 1.59, "100g", math.nan, 400.0, "g"),
        ]
    )
    flagged = flag_outliers(normalised_prices(observations))
    lowest = lowest_price_per_store(usable_observations(flagged))
    assert lowest["item_price"].tolist() == pytest.approx([5.96, 5.79])
    assert lowest["observation_id"].tolist() == [2, 3]


def test_a_price_per_lb_uses_the_exact_pound() -> None:
    # 2.94 $/lb for a 1 000 g purchase size: 2.94 x 1000 / 453.59237 = 6.48158... $.
    priced = purchase_size_prices(frame([(1, 1, 100, 2.94, "lb", math.nan, 1000.0, "g")]))
    assert priced["item_price"].iloc[0] == pytest.approx(2.94 * 1000 / 453.59237, abs=1e-12)
    assert priced["item_price"].iloc[0] == pytest.approx(6.4816, abs=1e-4)


def test_per_litre_and_per_100_ml_prices_convert_to_the_millilitres_bought() -> None:
    priced = purchase_size_prices(
        frame(
            [
                (1, 1, 400, 2.45, "L", math.nan, 2000.0, "mL"),  # 4.90 $ per 2 L
                (2, 1, 400, 0.25, "100mL", math.nan, 2000.0, "mL"),  # 5.00 $ per 2 L
            ]
        )
    )
    assert priced["item_price"].tolist() == pytest.approx([4.90, 5.00])
    assert priced["refusal"].tolist() == ["", ""]


def test_prices_that_cannot_be_converted_are_refused_with_a_reason() -> None:
    priced = purchase_size_prices(
        frame(
            [
                (1, 1, 300, 1.99, "kg", math.nan, 1.0, "unit"),  # cantaloupe, bought by count
                (2, 1, 400, 2.20, "kg", math.nan, 2000.0, "mL"),  # milk per kg: mass vs volume
                (3, 1, 100, 1.10, "L", math.nan, 1000.0, "g"),  # bananas per L
                (4, 1, 100, 1.10, "dozen", math.nan, 1000.0, "g"),  # not a price unit
                (5, 1, 300, 3.99, "unit", 1.0, 1.0, "unit"),  # the package: fine
            ]
        )
    )
    refusals = priced["refusal"].tolist()
    assert "bought by count (unit)" in refusals[0] and "weight per piece" in refusals[0]
    assert "(mass) but the item is bought by volume (mL)" in refusals[1]
    assert "density" in refusals[1]
    assert "(volume) but the item is bought by mass (g)" in refusals[2]
    assert "'dozen' is not a unit" in refusals[3]
    assert refusals[4] == ""
    assert priced["item_price"].isna().tolist() == [True, True, True, True, False]
    # Refused prices never reach the cost, nor count among the comparable prices.
    usable = usable_observations(flag_outliers(priced))
    assert usable["observation_id"].tolist() == [5]


def test_a_refused_price_is_not_counted_for_the_outlier_median() -> None:
    # Three comparable prices are needed to judge: two convertible ones are too few, so the
    # 9.00 $ is not flagged although a refused price makes a third row.
    priced = purchase_size_prices(
        frame(
            [
                (1, 1, 100, 1.50, "kg", math.nan, 1000.0, "g"),
                (2, 2, 100, 9.00, "kg", math.nan, 1000.0, "g"),
                (3, 2, 100, 1.40, "L", math.nan, 1000.0, "g"),
            ]
        )
    )
    flagged = flag_outliers(priced)
    assert flagged["outlier"].tolist() == [False, False, False]
    assert flagged["judged_median"].isna().all()


def test_outliers_keep_the_median_they_were_judged_against() -> None:
    priced = frame(
        [
            (1, 1, 100, 1.50, "kg", math.nan, 1000.0, "g"),
            (2, 2, 100, 1.60, "kg", math.nan, 1000.0, "g"),
            (3, 2, 100, 0.90, "unit", 500.0, 1000.0, "g"),  # 1.80 $ per 1 000 g
            (4, 1, 100, 9.00, "kg", math.nan, 1000.0, "g"),
        ]
    )
    flagged = flag_outliers(normalised_prices(priced))
    # Median of 1.50, 1.60, 1.80, 9.00 is 1.70; 9.00 > 3 x 1.70.
    assert flagged["outlier"].tolist() == [False, False, False, True]
    assert flagged["judged_median"].tolist() == pytest.approx([1.70] * 4)


def test_choice_of_product_counts_a_price_per_kg() -> None:
    observations = frame(
        [
            (1, 1, 100, 1.52, "kg", math.nan, 1000.0, "g"),
            (2, 1, 100, 2.29, "unit", 1360.0, 1000.0, "g"),  # 1.6838 $ per 1 000 g
        ]
    ).assign(store_product_id=[7, 8])
    chosen = choose_products(observations)
    assert (chosen["store_product_id"].iloc[0], chosen["candidates"].iloc[0]) == (7, 2)
    assert chosen["item_price"].iloc[0] == pytest.approx(1.52)


def test_lineage_shows_the_conversion() -> None:
    assert conversion_text(1.52, "kg", 1000.0, "g") == "1.520 $/kg x 1000 g = 1.5200 $"
    assert conversion_text(1.49, "100g", 400.0, "g") == "1.490 $/100g x 400 g = 5.9600 $"
    assert conversion_text(5.99, "unit", 400.0, "g") == ""
    lineage = pd.DataFrame(
        {
            "price": [1.52, 5.99, math.nan],
            "price_per": ["kg", "unit", None],
            "purchase_size": [1000.0, 400.0, 1.0],
            "purchase_unit": ["g", "g", "unit"],
        }
    )
    assert with_conversions(lineage)["conversion"].tolist() == [
        "1.520 $/kg x 1000 g = 1.5200 $",
        "",
        "",
    ]
