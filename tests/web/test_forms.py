"""The form readers every page shares: days and numbers typed in, and the values shown again."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from web.forms import (
    DAY_EXAMPLE,
    checked_day,
    day_field,
    day_or_none,
    parse_count,
    parse_day,
    parse_decimal,
    typed_values,
    whole_number,
)


def test_typed_values_are_trimmed_and_leave_the_csrf_token_out() -> None:
    assert typed_values({"csrf": "token", "name": "  Lise ", "day": ""}) == {
        "name": "Lise",
        "day": "",
    }


def test_a_day_is_read_or_its_message_is_put_under_its_field() -> None:
    errors: dict[str, str] = {}
    shout = str.upper  # stands in for her language's gettext
    assert checked_day({"held_on": " 2026-12-03 "}, "held_on", errors, shout) == date(2026, 12, 3)
    assert errors == {}
    assert checked_day({"held_on": "3 décembre"}, "held_on", errors, shout) is None
    assert checked_day({}, "closes_on", errors, shout, "day?") is None
    assert errors == {"held_on": DAY_EXAMPLE.upper(), "closes_on": "DAY?"}


def test_the_three_ways_a_day_can_be_wrong() -> None:
    assert parse_day("") is None
    with pytest.raises(ValueError):
        parse_day("2026-13-01")
    assert day_or_none("2026-13-01") is None
    errors: dict[str, str] = {}
    assert day_field(" ", "since", errors) is None and errors == {}
    assert day_field(" ", "since", errors, required=True) is None
    assert day_field("31/03/2026", "until", errors) is None
    assert set(errors) == {"since", "until"}


def test_numbers_typed_the_french_or_the_english_way() -> None:
    assert whole_number(" 12 ", 1, 20) == 12
    assert whole_number("21", 1, 20) is None
    assert whole_number("douze", 1, 20) is None
    assert parse_decimal("62,5") == Decimal("62.5")
    assert parse_decimal("1\xa0062.5") == Decimal("1062.5")
    with pytest.raises(ValueError):
        parse_decimal("beaucoup")
    assert parse_count("") is None and parse_count("3") == 3
    with pytest.raises(ValueError):
        parse_count("-1")
