"""Affordability scenarios: income, rent and the basket, from a scenarios CSV file."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from sqlmodel import Session

from basket.affordability import AFFORDABILITY_COLUMNS, affordability_table
from basket.households import parse_members
from basket.protocol import CostingProtocol
from core.errors import InvalidInput
from services.households import HouseholdCost, household_cost

REQUIRED_COLUMNS = ("scenario", "members", "monthly_rent")


@dataclass(frozen=True)
class AffordabilityRow:
    """One scenario: its income, rent and food, what is left, and shares of income in %."""

    scenario: str
    members: str
    # None where a figure cannot be had: no income, or shares of a zero income.
    monthly_income: float | None
    monthly_rent: float | None
    monthly_food: float | None
    money_left: float | None
    rent_pct_income: float | None
    food_pct_income: float | None
    # What the food figure rests on: the household cost's period, basket version and status
    # ("given" when the scenario file set monthly_food; "withheld": no figure to use).
    period: str | None = None
    basket_version: str | None = None
    status: str = "given"


@dataclass(frozen=True)
class Affordability:
    """The scenarios of one file, costed in a region and period."""

    region: str
    period: str | None  # None: each household's latest period
    rows: list[AffordabilityRow]


def _amounts(table: pd.DataFrame, column: str, source: Path) -> pd.Series:
    """Return a column as numbers, naming the file, row and column of the first bad cell."""
    text = table[column]
    numbers = pd.to_numeric(text, errors="coerce")
    bad = text.notna() & text.str.strip().ne("") & numbers.isna()
    if bad.any():
        position = int(bad.to_numpy().argmax())
        # Row numbers as a spreadsheet shows them: the header is row 1.
        raise InvalidInput(
            f"{source.name} row {position + 2}, column {column}: "
            f"{text.iloc[position]!r} is not an amount"
        )
    return numbers.astype("float64")


def read_scenarios(source: Path) -> pd.DataFrame:
    """Read a scenarios CSV, its amounts as numbers; raise InvalidInput naming what is wrong."""
    if not source.exists():
        raise InvalidInput(f"no scenarios file at {source}")
    table = pd.read_csv(source, dtype=str)
    missing = set(REQUIRED_COLUMNS) - set(table.columns)
    if missing:
        raise InvalidInput(f"{source.name} lacks the columns {', '.join(sorted(missing))}")
    sources = [c for c in table.columns if c.startswith("income_")]
    if "monthly_income" not in table.columns and not sources:
        raise InvalidInput(f"{source.name} lacks the column monthly_income (or income_* columns)")
    amounts = [c for c in ("monthly_income", "monthly_rent", "monthly_food") if c in table]
    for column in [*amounts, *sources]:
        table[column] = _amounts(table, column, source)
    for position, members in enumerate(table["members"]):
        try:
            parse_members(str(members) if pd.notna(members) else "")
        except InvalidInput as error:
            raise InvalidInput(
                f"{source.name} row {position + 2}, column members: {error}"
            ) from None
    return table


def affordability(
    session: Session,
    protocol: CostingProtocol,
    scenarios: Path,
    region: str,
    period: str | None = None,
    preset: str = "nfb",
) -> Affordability:
    """Return each scenario's income, rent, basket cost, money left, rent and food as % of income.

    A scenario's monthly_food, when given, stands in for its computed basket.

    Raises:
        InvalidInput: the file is missing, lacks a column, or holds a bad amount (its row
            and column are named); RegionNotFound, NoData: see services.households.
    """
    table = read_scenarios(scenarios)
    override = (
        table["monthly_food"] if "monthly_food" in table else pd.Series([math.nan] * len(table))
    )
    computed: dict[str, HouseholdCost] = {}
    food, sources = [], []
    for n, members in enumerate(table["members"]):
        if pd.notna(override.iloc[n]):
            food.append(float(override.iloc[n]))
            sources.append({})
            continue
        if members not in computed:
            computed[members] = household_cost(
                session, protocol, str(members), region, period, preset, allow_withheld=True
            )
        cost = computed[members]
        # A withheld household cost has no figure: the scenario's food stays unknown (NaN).
        food.append(float(cost.figures.monthly) if cost.figures else math.nan)
        sources.append(
            {"period": cost.period, "basket_version": cost.basket_version, "status": cost.status}
        )
    result = affordability_table(table, pd.Series(food))
    rows = [
        AffordabilityRow(
            scenario=str(row["scenario"]),
            members=str(row["members"]),
            **{column: _amount(row[column]) for column in AFFORDABILITY_COLUMNS[2:]},
            **source,  # type: ignore[arg-type]
        )
        for row, source in zip(result.to_dict("records"), sources, strict=True)
    ]
    return Affordability(region=region, period=period, rows=rows)


def _amount(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)
