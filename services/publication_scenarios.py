"""Affordability scenarios for the editions: a user's sourced incomes and rents, costed baskets.

The CSV names each scenario in French and English, its members (SEX:AGE), which member is
pregnant, and a monthly income and rent each with its source; the basket is costed here for
the edition's region and month (publications/data/income-scenarios-example.csv shows the form).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd
from sqlmodel import Session

from basket.protocol import CostingProtocol
from core.errors import InvalidInput
from services.households import household_cost, member_numbers

COLUMNS = ("scenario_fr", "scenario_en", "members", "pregnant", "monthly_income",
           "income_source", "monthly_rent", "rent_source")  # fmt: skip
EXAMPLE = resources.files("publications") / "data" / "income-scenarios-example.csv"


def read_income_scenarios(source: Path | None) -> pd.DataFrame:
    """Read a scenarios CSV (the shipped example when None), amounts as numbers.

    Raises:
        InvalidInput: the file is missing, lacks a column, or holds a bad amount.
    """
    path = Path(str(EXAMPLE)) if source is None else source
    if not path.exists():
        raise InvalidInput(f"no scenarios file at {path}")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [column for column in COLUMNS if column not in table.columns]
    if missing:
        raise InvalidInput(f"{path.name} lacks the columns {', '.join(missing)}")
    for column in ("monthly_income", "monthly_rent"):
        numbers = pd.to_numeric(table[column], errors="coerce")
        if numbers.isna().any():
            row = int(numbers.isna().to_numpy().argmax())
            raise InvalidInput(f"{path.name} row {row + 2}, column {column}: not an amount")
        table[column] = numbers.astype(float)
    return table


def cost_scenarios(
    session: Session, protocol: CostingProtocol, table: pd.DataFrame, region: str, period: str
) -> pd.DataFrame:
    """Add each scenario's monthly basket, money left and shares of income.

    Returns:
        the table's columns with scenario (its own name kept in both languages),
        monthly_food, money_left, rent_share, food_share.
    """
    food = []
    for row in table.to_dict("records"):
        cost = household_cost(
            session, protocol, str(row["members"]), region, period,
            pregnant=member_numbers(str(row["pregnant"])),
        )  # fmt: skip
        food.append(float(cost.figures.monthly))
    costed = table.assign(monthly_food=food)
    income = costed["monthly_income"].where(costed["monthly_income"] > 0)
    costed["money_left"] = (
        costed["monthly_income"] - costed["monthly_rent"] - costed["monthly_food"]
    )
    costed["rent_share"] = costed["monthly_rent"] / income
    costed["food_share"] = costed["monthly_food"] / income
    return costed
