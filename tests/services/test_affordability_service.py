"""Affordability scenarios: a bad cell is named by file, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from basket.protocol import CostingProtocol
from core.db import session_scope
from core.errors import InvalidInput
from services.affordability import affordability, read_scenarios

HEADER = "scenario,members,monthly_income,monthly_rent,monthly_food\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenarios.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            'single,M:30,900,700,350\ncouple,"M:30,F:30",1800,900,500\nfamily,M:40,abc,1200,\n',
            "scenarios.csv row 4, column monthly_income: 'abc' is not an amount",
        ),
        (
            "single,M:30,900,seven hundred,350\n",
            "scenarios.csv row 2, column monthly_rent: 'seven hundred' is not an amount",
        ),
        (
            "single,M:30,900,700,1 200\n",
            "scenarios.csv row 2, column monthly_food: '1 200' is not an amount",
        ),
        (
            "single,M:30,900,700,350\nodd,X:30,900,700,\n",
            "scenarios.csv row 3, column members: member 'X:30' is not written SEX:AGE",
        ),
    ],
)
def test_a_bad_cell_names_file_row_and_column(tmp_path: Path, rows: str, message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        read_scenarios(write(tmp_path, HEADER + rows))
    assert str(raised.value).startswith(message)


def test_missing_columns_are_named(tmp_path: Path) -> None:
    with pytest.raises(
        InvalidInput, match=r"scenarios\.csv lacks the columns members, monthly_rent"
    ):
        read_scenarios(write(tmp_path, "scenario,monthly_income\nsingle,900\n"))
    with pytest.raises(InvalidInput, match=r"scenarios\.csv lacks the column monthly_income"):
        read_scenarios(write(tmp_path, "scenario,members,monthly_rent\nsingle,M:30,700\n"))
    with pytest.raises(InvalidInput, match="no scenarios file at"):
        read_scenarios(tmp_path / "absent.csv")


def test_given_food_needs_no_computed_cost(db_url: str, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "scenario,members,income_wages,income_benefits,monthly_rent,monthly_food\n"
        "single,M:30,600,300.50,700,350\nbroke,F:30,0,,500,300\n",
    )
    with session_scope(db_url) as session:
        table = affordability(session, CostingProtocol(), path, "lachine")
    single, broke = table.rows
    assert (single.monthly_income, single.money_left) == (900.5, 900.5 - 700 - 350)
    assert single.food_pct_income == pytest.approx(350 / 900.5 * 100)
    assert (broke.monthly_income, broke.rent_pct_income, broke.food_pct_income) == (0, None, None)
