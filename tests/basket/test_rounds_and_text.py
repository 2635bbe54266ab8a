"""Known answers for PPNE rounds (quarters from months) and for text computed from the method."""

import dataclasses
import math

import pandas as pd
import pytest

from basket.periods import normalise_period, quarter_months, quarterly_costs, round_name
from basket.presets import preset
from basket.text import daily_rule, monthly_rule, persons_text
from core.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2026-Q4", "2026-Q4"),
        ("2026-q1", "2026-Q1"),
        ("2026-11", "2026-11"),
        ("octobre 2026", "2026-Q4"),
        ("October-2021", "2021-Q4"),
        ("2027-janvier", "2027-Q1"),
        ("avril 2026", "2026-Q2"),
        ("july 2026", "2026-Q3"),
    ],
)
def test_periods_quarters_and_named_rounds(text: str, period: str) -> None:
    assert normalise_period(text) == period


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-Q5", "novembre 2026", "2026", "2026-11\n", " 2026-Q4", "oct\n2026"]
)
def test_other_periods_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        normalise_period(text)


def test_a_round_holds_its_three_months_and_is_named_by_its_survey() -> None:
    assert quarter_months("2026-Q4") == ["2026-10", "2026-11", "2026-12"]
    assert round_name("2021-Q4") == "octobre 2021"


def monthly(weekly: list[float | None], statuses: list[str]) -> pd.DataFrame:
    months = ["2026-10", "2026-11", "2026-12"][: len(weekly)]
    costs = [math.nan if w is None else w for w in weekly]
    return pd.DataFrame(
        {
            "region_id": 1,
            "period": months,
            "weekly_cost": costs,
            "monthly_cost": [c * 4.33 for c in costs],
            "status": statuses,
            "warning": [""] * len(months),
        }
    )


def test_a_quarter_from_three_months_is_their_mean() -> None:
    # (200 + 210 + 226) / 3 = 212 a week.
    quarter = quarterly_costs(monthly([200.0, 210.0, 226.0], ["ok"] * 3), ["region_id"])
    row = quarter.iloc[0]
    assert (row["period"], row["weekly_cost"], row["status"]) == ("2026-Q4", 212.0, "published")
    assert row["monthly_cost"] == pytest.approx(212.0 * 4.33)
    assert row["months"] == "2026-10,2026-11,2026-12"


def test_a_partial_or_withheld_quarter_is_flagged() -> None:
    two = quarterly_costs(monthly([200.0, 210.0], ["published", "warning"]), ["region_id"])
    assert (two.iloc[0]["weekly_cost"], two.iloc[0]["status"]) == (205.0, "warning")
    assert two.iloc[0]["warning"].startswith("2 of 3 months priced (2026-10, 2026-11)")
    # A withheld month is left out of the mean; a round without any figure is withheld.
    gap = quarterly_costs(
        monthly([200.0, None, 220.0], ["published", "withheld", "published"]), ["region_id"]
    )
    assert gap.iloc[0]["weekly_cost"] == 210.0
    none = quarterly_costs(monthly([None], ["withheld"]), ["region_id"])
    assert none.iloc[0]["status"] == "withheld" and math.isnan(none.iloc[0]["weekly_cost"])


def test_the_ppne_presets_monthly_text_is_computed_from_its_factor() -> None:
    # ppne: 365 days / 7 / 12 months = 4.3452... a week's cost per month, not 4.33.
    assert preset("ppne").monthly_per_week == pytest.approx(4.345238, abs=1e-6)
    assert monthly_rule("ppne") == "weekly cost x 4.345"
    assert monthly_rule("ppne", french=True) == "coût hebdomadaire × 4,345"
    assert monthly_rule("nfb", french=True) == "coût hebdomadaire × 4,33"
    assert daily_rule("nfb", 4, french=True) == "coût hebdomadaire ÷ 28"
    assert daily_rule("ppne", 3) == "weekly cost / 21"
    assert (persons_text(4), persons_text(1), persons_text(5)) == (
        "quatre personnes",
        "une personne",
        "cinq personnes",
    )


def test_the_engine_costs_a_round_from_its_three_months() -> None:
    # One store, one item bought once a week: 10 $ in October, 12 $ in November, 14 $ in
    # December; the round's price is their mean, 12 $ (and its figure 12 $ a week).
    from basket.engine import EngineInputs, compute_basket
    from basket.protocol import NFB

    observations = pd.DataFrame(
        {
            "store_id": [1, 1, 1],
            "item_id": [100, 100, 100],
            "period": ["2026-10", "2026-11", "2026-12"],
            "price": [10.0, 12.0, 14.0],
            "product_size": 1.0,
            "purchase_size": 1.0,
            "price_kind": "regular",
            "observation_id": [7, 8, 9],
        }
    )
    inputs = EngineInputs(
        observations,
        pd.DataFrame({"store_id": [1], "kind": ["regular"]}),
        pd.DataFrame({"store_id": [1], "region_id": [1]}),
        pd.DataFrame({"region_id": [1], "parent_id": [None]}),
        pd.DataFrame(
            {"item_id": [100], "group_code": ["adult"], "weekly_amount": [1.0],
             "purchase_size": [1.0]}
        ),
        1,
    )  # fmt: skip
    protocol = NFB.with_changes(
        frequency="quarter", minimum_stores=1, reference_family=("adult",),
        size_factors=((1, 1.0),),
    )  # fmt: skip
    result = compute_basket(inputs, protocol)
    assert result.store_prices[["period", "item_price", "observation_id"]].values.tolist() == [
        ["2026-Q4", 12.0, 9]
    ]
    family = result.costs[result.costs["scope"] == "family"].iloc[0]
    assert (family["period"], family["weekly_cost"]) == ("2026-Q4", 12.0)
    assert family["status"] == "published"
    # Without December, the round rests on two months and says so.
    partial = compute_basket(
        dataclasses.replace(inputs, observations=observations.iloc[:2]), protocol
    ).costs.iloc[0]
    assert (partial["weekly_cost"], partial["status"]) == (11.0, "warning")
    assert partial["warning"] == "2 of 3 months priced (2026-10, 2026-11)"
