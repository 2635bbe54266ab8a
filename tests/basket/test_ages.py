"""All ages from birth: babies by months, a 1-year-old costed, impossible members refused."""

from importlib import resources

import pandas as pd
import pytest

from basket.households import assign_groups, household_weekly_costs, parse_members
from core.errors import InvalidInput


def shipped_groups() -> pd.DataFrame:
    path = resources.files("core") / "data" / "reference_basket" / "groups.csv"
    with path.open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype={"age_max": "Int64"})


@pytest.mark.parametrize(
    ("members", "groups"),
    [
        ("F:39,M:1", ["female_19_50", "child_1"]),
        ("F:39,F:4m", ["female_19_50", "infant_0_5"]),
        ("F:39,M:0m", ["female_19_50", "infant_0_5"]),
        ("F:39,M:8m", ["female_19_50", "infant_6_11"]),
        ("F:39,M:2", ["female_19_50", "male_2_3"]),
        ("M:120", ["male_51_plus"]),
    ],
)
def test_every_age_from_birth_has_its_group(members: str, groups: list[str]) -> None:
    assigned = assign_groups(parse_members(members), shipped_groups())
    assert assigned["group_code"].tolist() == groups


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ("M:140", "age 140 is out of range 0 to 120"),
        ("F:39,F:0", "give a baby's age in months, e.g. F:4m"),
        ("F:0m", "a household of babies alone cannot be costed"),
        ("F:39,F:14m", "months go from 0 to 11"),
        ("F:-3", "is not written SEX:AGE"),
    ],
)
def test_impossible_members_are_refused_in_one_line(members: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as refused:
        parse_members(members)
    assert "\n" not in str(refused.value)


def test_a_one_year_old_is_costed() -> None:
    # Known answer: a woman (50 $ a week) and her son aged 1 (20 $): (50 + 20) x 1.10 = 77 $.
    groups = assign_groups(parse_members("F:30,M:1"), shipped_groups())
    costs = pd.DataFrame(
        {
            "region_id": [1, 1],
            "period": ["2026-10", "2026-10"],
            "group_code": ["female_19_50", "child_1"],
            "weekly_cost": [50.0, 20.0],
            "imputed_cost": [0.0, 0.0],
        }
    )
    household = household_weekly_costs(costs, groups["group_code"].tolist())
    assert household["weekly_cost"].iloc[0] == pytest.approx(77.0)
    assert household["size_factor"].iloc[0] == 1.10
