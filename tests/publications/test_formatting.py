"""The French formatting helpers the command line and the coupon values share."""

from __future__ import annotations

from publications.formatting import (
    format_money,
    format_month,
    format_percent_change,
    shift_period,
)


def plain_spaces(text: str) -> str:
    """Turn Babel's no-break spaces into plain ones, to compare without caring which it used."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_money_is_formatted_the_quebec_way() -> None:
    assert plain_spaces(format_money(3.49)) == "3,49 $"
    assert plain_spaces(format_money(1286.5)) == "1 286,50 $"
    # The separator must not be a breakable space, or "1" and "286,50 $" could land on two lines.
    assert format_money(1286.5)[1] in ("\u00a0", "\u202f")
    assert format_money(float("nan")) == "n.d."


def test_percent_change_carries_its_sign() -> None:
    assert plain_spaces(format_percent_change(0.012)) == "+1,2 %"
    assert plain_spaces(format_percent_change(-0.0081)) == "-0,8 %"
    assert plain_spaces(format_percent_change(0.0004)) == "0,0 %"


def test_months_are_named_in_french() -> None:
    assert format_month("2026-11") == "novembre 2026"
    assert format_month("2026-08") == "août 2026"
    assert shift_period("2026-01", -1) == "2025-12"
    assert shift_period("2026-11", -12) == "2025-11"
