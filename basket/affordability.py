"""Affordability scenarios as Ontario's food-costing reports show them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.errors import InvalidInput

AFFORDABILITY_COLUMNS = [
    "scenario",
    "members",
    "monthly_income",
    "monthly_rent",
    "monthly_food",
    "money_left",
    "rent_pct_income",
    "food_pct_income",
]


def scenario_income(scenarios: pd.DataFrame) -> pd.Series:
    """Return each scenario's monthly income: monthly_income, or the sum of income_* columns.

    Income by source (income_wages, income_benefits, income_credits...) is summed when
    monthly_income is absent or empty.
    """
    sources = [c for c in scenarios.columns if c.startswith("income_")]
    by_source = scenarios[sources].apply(pd.to_numeric).fillna(0.0).sum(axis=1)
    if "monthly_income" not in scenarios.columns:
        if not sources:
            raise InvalidInput("scenarios need monthly_income or income_* columns")
        return by_source
    stated = pd.to_numeric(scenarios["monthly_income"])
    return stated.where(stated.notna(), by_source)


def affordability_table(scenarios: pd.DataFrame, basket_monthly: pd.Series) -> pd.DataFrame:
    """Return income, rent, food, money left, and rent and food as % of income.

    Args:
        scenarios: scenario, members, monthly_rent, monthly_income or income_* columns, and
            optionally monthly_food, which overrides the computed basket.
        basket_monthly: the computed monthly basket cost of each scenario, same order.

    Returns:
        AFFORDABILITY_COLUMNS.
    """
    income = scenario_income(scenarios).to_numpy(dtype="float64")
    rent = pd.to_numeric(scenarios["monthly_rent"]).to_numpy(dtype="float64")
    food = basket_monthly.to_numpy(dtype="float64")
    if "monthly_food" in scenarios.columns:
        override = pd.to_numeric(scenarios["monthly_food"]).to_numpy(dtype="float64")
        food = np.where(np.isnan(override), food, override)
    with np.errstate(divide="ignore", invalid="ignore"):
        rent_pct = np.where(income > 0, rent / income * 100, np.nan)
        food_pct = np.where(income > 0, food / income * 100, np.nan)
    return pd.DataFrame(
        {
            "scenario": scenarios["scenario"].astype(str).to_numpy(),
            "members": scenarios["members"].astype(str).to_numpy(),
            "monthly_income": income,
            "monthly_rent": rent,
            "monthly_food": food,
            "money_left": income - rent - food,
            "rent_pct_income": rent_pct,
            "food_pct_income": food_pct,
        }
    )
