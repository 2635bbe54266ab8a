"""Households: members to age-sex groups, the household-size factor, and household costs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from basket.protocol import NFB_SIZE_FACTORS
from core.errors import InvalidInput

MEMBER_COLUMNS = ["member", "sex", "age", "state", "months"]
# Oldest age accepted: beyond it an age is a typing error (M:140), not a person.
MAX_AGE = 120
# Under one year, the group follows the age in months (F:4m): nothing but breast milk or
# formula before 6 months, first foods from 6 (Health Canada).
INFANT_GROUPS = {"infant_0_5": range(0, 6), "infant_6_11": range(6, 12)}


def parse_members(
    text: str, pregnant: Iterable[int] = (), breastfeeding: Iterable[int] = ()
) -> pd.DataFrame:
    """Return one row per member of "M:40,F:39,M:14,F:9"; states name members from 1.

    A baby's age is written in months, "F:4m" (0 to 11); "F:0" is refused, since a baby of
    4 months and one of 8 are fed differently.

    Returns:
        member (1, 2...), sex (M or F), age (int, years), state (none, pregnant,
        breastfeeding), months (the age in months under one year, else -1).
    """
    rows = []
    for number, part in enumerate(filter(None, (p.strip() for p in text.split(","))), 1):
        sex, _, age = part.partition(":")
        sex, age = sex.strip().upper(), age.strip().lower()
        in_months = age.endswith("m") and age[:-1].isdigit()
        if sex not in ("M", "F") or not (age.isdigit() or in_months):
            raise InvalidInput(f"member {part!r} is not written SEX:AGE, e.g. F:39 or F:4m")
        if in_months and int(age[:-1]) >= 12:
            raise InvalidInput(f"member {part!r}: months go from 0 to 11; from 12, write years")
        if in_months:
            rows.append((number, sex, 0, "none", int(age[:-1])))
            continue
        if int(age) > MAX_AGE:
            raise InvalidInput(f"member {part!r}: age {int(age)} is out of range 0 to {MAX_AGE}")
        if int(age) == 0:
            raise InvalidInput(
                f"member {part!r}: give a baby's age in months, e.g. {sex}:4m or {sex}:8m"
            )
        rows.append((number, sex, int(age), "none", -1))
    if not rows:
        raise InvalidInput("a household needs at least one member")
    if all(row[2] == 0 for row in rows):
        # A household-size factor for a baby alone (1.20) would cost a household that
        # cannot exist: a baby is costed with the people who feed her.
        raise InvalidInput("a household of babies alone cannot be costed: add its adults")
    members = pd.DataFrame(rows, columns=MEMBER_COLUMNS)
    for state, numbers in (("pregnant", pregnant), ("breastfeeding", breastfeeding)):
        for number in numbers:
            if not 1 <= number <= len(members) or members.at[number - 1, "sex"] != "F":
                raise InvalidInput(f"member {number} cannot be {state}: no woman at that place")
            members.at[number - 1, "state"] = state
    return members


def assign_groups(members: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """Return the members with the code of the basket's age-sex group each belongs to.

    Args:
        members: member, sex, age, state (from parse_members).
        groups: code, sex (F, M or A for any), age_min, age_max (None: no limit), state.

    Returns:
        member, sex, age, state, group_code.
    """
    codes = []
    for member in members.itertuples(index=False):  # a household has a handful of members
        fits = groups[
            groups["sex"].isin([member.sex, "A"])
            & (groups["age_min"] <= member.age)
            & (groups["age_max"].isna() | (groups["age_max"].fillna(999) >= member.age))
            & (groups["state"] == member.state)
        ]
        if member.age == 0:
            months = int(getattr(member, "months", -1))
            babies = [code for code, span in INFANT_GROUPS.items() if months in span]
            fits = fits[fits["code"].isin(babies)]
        if fits.empty:
            raise InvalidInput(
                f"no age-sex group for member {member.member} "
                f"({member.sex}, {member.age}, {member.state}) in this basket"
            )
        codes.append(str(fits.sort_values("age_min", ascending=False)["code"].iloc[0]))
    return members.assign(group_code=codes)


def household_size_factor(
    size: int, factors: Sequence[tuple[int, float]] = NFB_SIZE_FACTORS
) -> float:
    """Return the factor for a household of this size (1: 1.20 ... 7+: 0.90 by default)."""
    if size < 1:
        raise InvalidInput("a household has at least one person")
    chosen = factors[0][1]
    for smallest, factor in factors:
        if size >= smallest:
            chosen = factor
    return chosen


def household_weekly_costs(
    group_costs: pd.DataFrame,
    group_codes: Sequence[str],
    factors: Sequence[tuple[int, float]] = NFB_SIZE_FACTORS,
) -> pd.DataFrame:
    """Return a household's weekly cost: the sum of its members' costs x the size factor.

    Args:
        group_costs: region_id, period, group_code, weekly_cost, imputed_cost.
        group_codes: one group code per member (codes may repeat).

    Returns:
        region_id, period, weekly_cost, imputed_cost, size_factor; only where every
        member's group has a cost.
    """
    counts = pd.Series(list(group_codes)).value_counts()
    weights = counts.rename_axis("group_code").rename("members").reset_index()
    present = group_costs.merge(weights, on="group_code")
    factor = household_size_factor(len(group_codes), factors)
    summed = (
        present.assign(
            weekly_cost=present["weekly_cost"] * present["members"] * factor,
            imputed_cost=present["imputed_cost"] * present["members"] * factor,
            groups=1,
        )
        .groupby(["region_id", "period"], as_index=False, sort=True)
        .agg(
            weekly_cost=("weekly_cost", "sum"),
            imputed_cost=("imputed_cost", "sum"),
            groups=("groups", "sum"),
        )
    )
    complete = summed[summed["groups"] == len(weights)].drop(columns="groups")
    return complete.assign(size_factor=factor).reset_index(drop=True)
