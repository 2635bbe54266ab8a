"""A trend splits the family that was stored, and the configured one only when none was."""

from __future__ import annotations

import pandas as pd

from services.trends import stored_members

CONFIGURED = ["male_19_50", "female_19_50"]


def test_the_newest_stored_family_wins_over_the_configured_one() -> None:
    costs = pd.DataFrame(
        {"period": ["2026-01", "2026-02"], "family": [None, "male_19_50,female_4_8"]}
    )
    assert stored_members(costs, "family", CONFIGURED) == ["male_19_50", "female_4_8"]


def test_costs_stored_without_a_family_fall_back_to_the_configured_one() -> None:
    costs = pd.DataFrame({"period": ["2026-01"], "family": [None]})
    assert stored_members(costs, "family", CONFIGURED) == CONFIGURED


def test_a_group_series_sums_that_group_alone() -> None:
    costs = pd.DataFrame({"period": ["2026-01"], "family": ["male_19_50,female_4_8"]})
    assert stored_members(costs, "female_4_8", CONFIGURED) == ["female_4_8"]
