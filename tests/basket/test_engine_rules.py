"""Every rule of the costing protocol on small hand-built frames."""

import math

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from basket.affordability import affordability_table
from basket.alerts import alps_score, band, price_alerts, robust_score
from basket.group_costs import category_weekly_costs
from basket.households import (
    assign_groups,
    household_size_factor,
    household_weekly_costs,
    parse_members,
)
from basket.imputation import impute_region_prices
from basket.outliers import flag_outliers
from basket.periods import check_period, month_to_quarter, period_range
from basket.presets import convert
from basket.protocol import NFB, CostingProtocol
from basket.regional import eligible_store_prices, region_store_counts, regional_item_prices
from basket.store_prices import lowest_price_per_store, usable_observations
from basket.trends import beside_cpi, changes, contributions, trend_report
from core.errors import InvalidInput, NoData


def test_outliers_over_three_times_or_under_a_third_of_the_median_of_three() -> None:
    priced = pd.DataFrame(
        {
            "item_id": [1, 1, 1, 1, 1, 2, 2],
            "period": ["2026-01"] * 7,
            "item_price": [2.0, 2.2, 2.1, 7.0, 0.6, 1.0, 9.0],
        }
    )
    result = flag_outliers(priced)
    # Item 1: median of 2.0, 2.2, 2.1, 7.0, 0.6 is 2.1; 7.0 > 3 x 2.1 and 0.6 < 2.1 / 3.
    # Item 2 has only two prices: nothing is flagged.
    assert result["outlier"].tolist() == [False, False, False, True, True, False, False]


def test_lowest_regular_price_per_store_keeps_its_observation() -> None:
    flagged = pd.DataFrame(
        {
            "observation_id": [11, 12, 13, 14],
            "store_id": [1, 1, 1, 1],
            "item_id": [5, 5, 5, 5],
            "period": ["2026-01"] * 4,
            "item_price": [3.0, 2.5, 1.0, 0.5],
            "price_kind": ["regular", "regular", "sale", "regular"],
            "outlier": [False, False, False, True],
        }
    )
    regular = lowest_price_per_store(usable_observations(flagged))
    expected = pd.DataFrame(
        {"store_id": [1], "item_id": [5], "period": ["2026-01"], "item_price": [2.5]}
    ).assign(observation_id=[12])
    assert_frame_equal(regular, expected)
    with_sales = NFB.with_changes(price_kinds=("regular", "sale"))
    lowest = lowest_price_per_store(usable_observations(flagged, with_sales))
    assert lowest["item_price"].tolist() == [1.0]


def store_prices() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "store_id": [1, 2, 3, 4],
            "item_id": [7, 7, 7, 7],
            "period": ["2026-01"] * 4,
            "item_price": [2.0, 3.0, 10.0, 4.0],
        }
    )


def test_regional_mean_or_median_over_eligible_stores_only() -> None:
    stores = pd.DataFrame(
        {"store_id": [1, 2, 3, 4], "kind": ["regular", "discount", "convenience", "regular"]}
    )
    store_regions = pd.DataFrame({"store_id": [1, 2, 3, 4], "region_id": [9, 9, 9, 9]})
    eligible = eligible_store_prices(store_prices(), stores)
    mean = regional_item_prices(eligible, store_regions)
    expected = pd.DataFrame(
        {
            "region_id": [9],
            "item_id": [7],
            "period": ["2026-01"],
            "item_price": [(2.0 + 3.0 + 4.0) / 3],
            "stores": [3],
        }
    )
    assert_frame_equal(mean, expected)
    median = regional_item_prices(
        eligible, store_regions, NFB.with_changes(regional_statistic="median")
    )
    assert median["item_price"].tolist() == [3.0]


def test_minimum_stores_warns_or_withholds() -> None:
    store_regions = pd.DataFrame({"store_id": [1, 2, 3, 4, 1, 2], "region_id": [1, 1, 1, 1, 2, 2]})
    protocol = NFB.with_changes(minimum_stores=3)
    counts = region_store_counts(store_prices(), store_regions, protocol)
    assert counts["stores_priced"].tolist() == [4, 2]
    assert counts["status"].tolist() == ["ok", "warning"]
    assert counts["warning"].iloc[1] == "priced in 2 stores, fewer than the minimum of 3"
    withheld = region_store_counts(
        store_prices(), store_regions, protocol.with_changes(below_minimum="withhold")
    )
    assert withheld["status"].tolist() == ["ok", "withheld"]


def test_imputation_carries_forward_k_periods_then_takes_the_parent() -> None:
    regions = pd.DataFrame({"region_id": [1, 2], "parent_id": [None, 1]})
    observed = pd.DataFrame(
        {
            "region_id": [1, 1, 1, 1, 2],
            "item_id": [5, 5, 5, 5, 5],
            "period": ["2026-01", "2026-02", "2026-03", "2026-04", "2026-01"],
            "item_price": [2.0, 2.1, 2.2, 2.3, 1.9],
            "stores": [4, 4, 4, 4, 2],
        }
    )
    result = impute_region_prices(observed, regions, NFB.with_changes(carry_forward_periods=2))
    child = result[result["region_id"] == 2].reset_index(drop=True)
    expected = pd.DataFrame(
        {
            "region_id": [2, 2, 2, 2],
            "item_id": [5, 5, 5, 5],
            "period": ["2026-01", "2026-02", "2026-03", "2026-04"],
            # Observed; carried forward twice; then the parent's price of April.
            "item_price": [1.9, 1.9, 1.9, 2.3],
            "stores": [2, 0, 0, 0],
            "imputation": ["observed", "carried_forward", "carried_forward", "parent"],
            "imputed": [False, True, True, True],
            "source_region_id": [2, 2, 2, 1],
            "source_period": ["2026-01", "2026-01", "2026-01", "2026-04"],
        }
    )
    assert_frame_equal(child, expected, check_dtype=False)
    no_parent = impute_region_prices(
        observed, regions, NFB.with_changes(carry_forward_periods=0, parent_fallback=False)
    )
    assert no_parent[no_parent["region_id"] == 2]["imputation"].tolist() == [
        "observed",
        "missing",
        "missing",
        "missing",
    ]


def test_coverage_is_the_share_of_cost_on_imputed_prices() -> None:
    from basket.group_costs import group_weekly_costs

    grid = pd.DataFrame(
        {
            "region_id": [1, 1],
            "item_id": [1, 2],
            "period": ["2026-01", "2026-01"],
            "item_price": [3.0, 5.0],
            "imputed": [False, True],
        }
    )
    quantities = pd.DataFrame(
        {
            "item_id": [1, 2],
            "group_code": ["g", "g"],
            "weekly_amount": [2.0, 1.0],
            "purchase_size": [1.0, 1.0],
        }
    )
    costs = group_weekly_costs(grid, quantities)
    assert costs["weekly_cost"].tolist() == pytest.approx([3.0 * 2 + 5.0 * 1])
    assert (costs["imputed_cost"] / costs["weekly_cost"]).tolist() == pytest.approx([5.0 / 11.0])


@pytest.mark.parametrize(
    ("size", "factor"),
    [(1, 1.20), (2, 1.10), (3, 1.05), (4, 1.00), (5, 0.95), (6, 0.95), (7, 0.90), (11, 0.90)],
)
def test_household_size_factors(size: int, factor: float) -> None:
    assert household_size_factor(size) == factor


def test_household_size_factors_are_configurable() -> None:
    assert household_size_factor(2, ((1, 1.3), (2, 1.0))) == 1.0


def test_members_become_groups_with_pregnancy() -> None:
    groups = pd.DataFrame(
        {
            "code": ["male_19_50", "female_19_50", "pregnant_19_50", "male_14_18", "female_9_13"],
            "sex": ["M", "F", "F", "M", "F"],
            "age_min": [19, 19, 19, 14, 9],
            "age_max": [50.0, 50.0, 50.0, 18.0, 13.0],
            "state": ["none", "none", "pregnant", "none", "none"],
        }
    )
    members = assign_groups(parse_members("M:40,F:39,M:14,F:9", pregnant=[2]), groups)
    assert members["group_code"].tolist() == [
        "male_19_50",
        "pregnant_19_50",
        "male_14_18",
        "female_9_13",
    ]
    with pytest.raises(InvalidInput):
        parse_members("M:40,F:39", pregnant=[1])
    with pytest.raises(InvalidInput):
        parse_members("X40")


def test_household_cost_sums_members_times_the_factor() -> None:
    group_costs = pd.DataFrame(
        {
            "region_id": [1, 1],
            "period": ["2026-01"] * 2,
            "group_code": ["a", "b"],
            "weekly_cost": [50.0, 40.0],
            "imputed_cost": [5.0, 0.0],
        }
    )
    result = household_weekly_costs(group_costs, ["a", "b", "b"])
    assert result["weekly_cost"].tolist() == pytest.approx([(50.0 + 40.0 * 2) * 1.05])
    assert result["imputed_cost"].tolist() == pytest.approx([5.0 * 1.05])


def test_presets() -> None:
    nfb = convert(100.0, "weekly", 4, "nfb")
    assert nfb["monthly"] == pytest.approx(100.0 * 4.33)
    assert nfb["annual"] == pytest.approx(100.0 * 52)
    assert nfb["per_person_per_day"] == pytest.approx(100.0 / 7 / 4)
    usda = convert(100.0, "weekly", 4, "usda")
    assert usda["monthly"] == pytest.approx(100.0 * 52 / 12)
    ppne = convert(11286.81, "annual", 4, "ppne")
    assert ppne["monthly"] == pytest.approx(11286.81 / 12)
    assert ppne["per_person_per_day"] == pytest.approx(11286.81 / (365 * 4))
    assert ppne["weekly"] == pytest.approx(11286.81 / 365 * 7)
    back = convert(nfb["monthly"], "monthly", 4, "nfb")
    assert back["weekly"] == pytest.approx(100.0)
    with pytest.raises(InvalidInput):
        convert(1.0, "weekly", 1, "other")


def test_protocol_rejects_unknown_settings() -> None:
    with pytest.raises(InvalidInput):
        CostingProtocol(regional_statistic="mode")
    with pytest.raises(InvalidInput):
        CostingProtocol(below_minimum="hide")


def test_quarters_follow_the_ppne_surveys() -> None:
    months = pd.Series(["2026-01", "2026-03", "2026-04", "2026-07", "2026-10", "2026-12"])
    assert month_to_quarter(months).tolist() == [
        "2026-Q1",
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
        "2026-Q4",
    ]
    assert period_range(pd.Series(["2025-Q4", "2026-Q2"])) == ["2025-Q4", "2026-Q1", "2026-Q2"]


def test_alps_bands_flag_a_known_spike() -> None:
    months = np.arange(2020 * 12, 2020 * 12 + 40)
    rng = np.random.default_rng(1)
    seasonal = 0.2 * np.sin(2 * np.pi * (months % 12) / 12)
    prices = 3.0 + 0.01 * (months - months[0]) + seasonal + rng.normal(0, 0.02, 40)
    calm = alps_score(months, prices)
    spiked = prices.copy()
    spiked[-1] += 0.5  # 25 times the noise
    assert band(np.array([calm]), (0.25, 1.0, 2.0))[0] in ("normal", "stress", "alert")
    assert alps_score(months, spiked) >= 2.0
    assert band(np.array([0.1, 0.5, 1.5, 2.5]), (0.25, 1.0, 2.0)).tolist() == [
        "normal",
        "stress",
        "alert",
        "crisis",
    ]


def test_robust_alert_on_a_short_series() -> None:
    prices = np.array([2.00, 2.02, 2.01, 2.03, 2.02, 2.04, 2.03, 2.05, 2.60])
    assert robust_score(prices) > 4
    assert abs(robust_score(prices[:-1])) < 2
    frame = pd.DataFrame(
        {
            "entity_id": [1] * 9,
            "item_id": [3] * 9,
            "period": [f"2026-{m:02d}" for m in range(1, 10)],
            "item_price": prices,
        }
    )
    alerts = price_alerts(frame, "2026-09")
    assert alerts[["method", "months", "band"]].values.tolist() == [["robust", 9, "crisis"]]


def test_affordability_table() -> None:
    scenarios = pd.DataFrame(
        {
            "scenario": ["family", "single"],
            "members": ["M:40,F:39,M:14,F:9", "M:30"],
            "monthly_income": [4000.0, None],
            "income_assistance": [0.0, 900.0],
            "income_credits": [0.0, 100.0],
            "monthly_rent": [1500.0, 800.0],
            "monthly_food": [None, 300.0],
        }
    )
    table = affordability_table(scenarios, pd.Series([1200.0, 450.0]))
    expected = pd.DataFrame(
        {
            "scenario": ["family", "single"],
            "members": ["M:40,F:39,M:14,F:9", "M:30"],
            "monthly_income": [4000.0, 900.0 + 100.0],
            "monthly_rent": [1500.0, 800.0],
            "monthly_food": [1200.0, 300.0],
            "money_left": [4000.0 - 1500.0 - 1200.0, 1000.0 - 800.0 - 300.0],
            "rent_pct_income": [1500.0 / 4000.0 * 100, 800.0 / 1000.0 * 100],
            "food_pct_income": [1200.0 / 4000.0 * 100, 300.0 / 1000.0 * 100],
        }
    )
    assert_frame_equal(table, expected)


def test_trends_mom_yoy_index_and_cpi() -> None:
    periods = [str(p) for p in pd.period_range("2025-01", "2026-02", freq="M")]
    costs = [100.0 + n for n in range(len(periods))]
    result = changes(pd.DataFrame({"period": periods, "cost": costs}), base_period="2025-01")
    last = result.iloc[-1]
    assert last["change_previous"] == pytest.approx((113.0 / 112.0 - 1) * 100)
    assert last["change_year"] == pytest.approx((113.0 / 101.0 - 1) * 100)
    assert last["index"] == pytest.approx(113.0 / 100.0 * 100)
    assert math.isnan(result.iloc[0]["change_previous"])
    cpi = pd.DataFrame({"period": ["2025-01", "2026-02"], "cpi": [180.0, 189.0]})
    beside = beside_cpi(pd.DataFrame({"period": periods, "cost": costs}), cpi, "2025-01")
    assert beside.iloc[-1]["cpi_index"] == pytest.approx(189.0 / 180.0 * 100)


def test_contributions_say_which_foods_drove_a_change() -> None:
    categories = pd.DataFrame(
        {
            "period": ["2026-01", "2026-01", "2026-02", "2026-02"],
            "category": ["fruits", "dairy", "fruits", "dairy"],
            "weekly_cost": [40.0, 60.0, 46.0, 58.0],
        }
    )
    result = contributions(categories, "2026-01", "2026-02")
    assert result["category"].tolist() == ["fruits", "dairy"]
    assert result["contribution_points"].tolist() == pytest.approx(
        [(46.0 - 40.0) / 100.0 * 100, (58.0 - 60.0) / 100.0 * 100]
    )
    assert result["share_of_change"].tolist() == pytest.approx([6.0 / 4.0, -2.0 / 4.0])


def cost_series(first: str, last: str, start: float = 100.0) -> pd.DataFrame:
    periods = [str(p) for p in pd.period_range(first, last, freq="M")]
    return pd.DataFrame({"period": periods, "cost": [start + n for n in range(len(periods))]})


def test_trend_report_shows_a_window_with_changes_from_before_it() -> None:
    costs = cost_series("2025-01", "2026-03")
    cpi = pd.DataFrame({"period": ["2026-01", "2026-02", "2026-03"], "cpi": [180.0, np.nan, 189.0]})
    categories = pd.DataFrame(
        {
            "period": ["2025-03", "2025-03", "2026-02", "2026-02", "2026-03", "2026-03"] * 2,
            "category": ["fruits", "dairy"] * 3 + ["baby_cereal"] * 6,
            "weekly_cost": [50.0, 52.0, 56.0, 57.0, 60.0, 54.0] + [0.0] * 6,
        }
    )
    report = trend_report(costs, cpi, categories, period_from="2026-01", period_to="2026-03")
    assert report.base_period == "2026-01"  # the first period shown
    series = report.series
    assert series["period"].tolist() == ["2026-01", "2026-02", "2026-03"]
    # January's changes come from December and from January a year before, outside the window.
    assert series["change_previous"].iloc[0] == pytest.approx((112.0 / 111.0 - 1) * 100)
    assert series["change_year"].iloc[0] == pytest.approx((112.0 / 100.0 - 1) * 100)
    assert series["index"].tolist() == pytest.approx([100.0, 113.0 / 112 * 100, 114.0 / 112 * 100])
    assert series["cpi_index"].iloc[0] == 100.0
    assert math.isnan(series["cpi_index"].iloc[1])  # missing stays missing, never zero
    assert math.isnan(series["cpi"].iloc[1])
    assert series["cpi_index"].iloc[2] == pytest.approx(189.0 / 180.0 * 100)
    # Drivers of March: from February, and from March a year before.
    assert [(d.start, d.end) for d in report.drivers] == [
        ("2026-02", "2026-03"),
        ("2025-03", "2026-03"),
    ]
    month = report.drivers[0].categories.set_index("category")
    assert month.index.tolist() == ["fruits", "dairy"]  # baby cereal: bought at neither end
    assert month.loc["fruits", "change"] == pytest.approx(4.0)
    assert month.loc["dairy", "contribution_points"] == pytest.approx(-3.0 / 113.0 * 100)


def test_trend_report_base_period_and_missing_cpi() -> None:
    costs = cost_series("2026-01", "2026-04")
    empty_cpi = pd.DataFrame({"period": [], "cpi": []})
    no_categories = pd.DataFrame({"period": [], "category": [], "weekly_cost": []})
    report = trend_report(costs, empty_cpi, no_categories, base_period="2026-02")
    assert report.series["index"].tolist() == pytest.approx(
        [100 / 1.01, 100, 102 / 1.01, 103 / 1.01]
    )
    assert report.series["cpi_index"].isna().all() and report.series["cpi"].isna().all()
    assert report.drivers == []
    # A CPI without a value in the base period cannot be rebased: every index is missing.
    cpi = pd.DataFrame({"period": ["2026-01", "2026-02", "2026-03"], "cpi": [1.0, np.nan, 3.0]})
    rebased = trend_report(costs, cpi, no_categories, base_period="2026-02").series
    assert rebased["cpi_index"].isna().all() and rebased["cpi"].iloc[0] == 1.0
    with pytest.raises(InvalidInput, match="base period 2025-12 has no cost"):
        trend_report(costs, empty_cpi, no_categories, base_period="2025-12")
    with pytest.raises(InvalidInput, match="YYYY-MM"):
        trend_report(costs, empty_cpi, no_categories, period_from="2026-13")
    with pytest.raises(NoData, match="no cost between 2027-01"):
        trend_report(costs, empty_cpi, no_categories, period_from="2027-01")


def test_check_period_takes_months_and_quarters() -> None:
    assert check_period("2026-10") == "2026-10"
    assert check_period("2026-Q4") == "2026-Q4"
    for wrong in ("2026-13", "2026-Q5", "26-10", "2026/10"):
        with pytest.raises(InvalidInput):
            check_period(wrong)


def test_category_costs_sum_members_and_apply_the_size_factor() -> None:
    prices = pd.DataFrame(
        {"region_id": [1, 1, 1], "item_id": [10, 11, 12], "period": ["2026-01"] * 3,
         "item_price": [2.0, 3.0, np.nan]}
    )  # fmt: skip
    quantities = pd.DataFrame(
        {"item_id": [10, 10, 11, 12], "group_code": ["a", "b", "a", "a"],
         "weekly_amount": [500.0, 1000.0, 2.0, 1.0], "purchase_size": [1000.0, 1000.0, 1.0, 1.0]}
    )  # fmt: skip
    items = pd.DataFrame({"item_id": [10, 11, 12], "category": ["fruits", "dairy", "dairy"]})
    result = category_weekly_costs(prices, quantities, items, ["a", "a", "b"], size_factor=1.05)
    expected = pd.DataFrame(
        {
            "region_id": [1, 1],
            "period": ["2026-01", "2026-01"],
            "category": ["dairy", "fruits"],
            # dairy: 3.00 x 2 a week x 2 members (item 12 has no price: adds nothing);
            # fruits: 2.00 x (0.5 + 0.5 + 1.0) purchase sizes a week; both x 1.05.
            "weekly_cost": [3.0 * 2 * 2 * 1.05, 2.0 * 2.0 * 1.05],
        }
    )
    assert_frame_equal(result, expected)
