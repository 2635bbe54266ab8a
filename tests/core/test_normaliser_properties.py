"""Fuzzing the normaliser: random text is read or refused with a reason, never a crash."""

from __future__ import annotations

import os
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.normaliser import check_unit_price, parse_price, parse_price_and_size, parse_size
from core.normaliser.prices import LARGEST_AMOUNT

# Fast enough for every run of the suite (PPNE_FUZZ_EXAMPLES=20000 digs deeper on demand);
# no example database is written into the worktree.
FUZZ = settings(
    max_examples=int(os.environ.get("PPNE_FUZZ_EXAMPLES", "200")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Pieces that price and size strings are made of, so random joins reach the deep layouts.
FRAGMENTS = [
    "$",
    "€",
    "£",
    "¢",
    "CAD",
    "cad",
    "US$",
    "C$",
    "kr",
    "zł",
    "/",
    "-",
    "(",
    ")",
    "+",
    "%",
    "x",
    "×",
    "kg",
    "g",
    "lb",
    "ml",
    "L",
    "l",
    "oz",
    "ea",
    "douzaine",
    "unités",
    "la",
    "le",
    "les",
    "à",
    "partir",
    "de",
    "livre",
    "pour",
    "for",
    "Reg.",
    "Was",
    "Now",
    "Member",
    "Prix",
    "membre",
    "save",
    "N/A",
    "0",
    "00",
    "0,0",
    "1",
    "2",
    "3",
    ".",
    ",",
    " ",
    "\u00a0",
    "'",
    "99",
    "1,299",
    "3,99",
    "2.99",
    ".75",
    "50,-",
    "1e999",
    "NaN",
    "Infinity",
    "9" * 30,
    "0.0001",
    "1000000",
    "½",
    "٣",
    "\t",
    "\n",
]
PRICE_LIKE = st.lists(st.sampled_from(FRAGMENTS), max_size=8).map(" ".join) | st.lists(
    st.sampled_from(FRAGMENTS), max_size=8
).map("".join)
ANY_TEXT = st.text(max_size=60) | PRICE_LIKE


def _is_good_amount(value: Decimal | None) -> bool:
    """Tell whether a read amount is finite, above zero and storable in NUMERIC(12,3)."""
    return value is not None and value.is_finite() and 0 < value <= LARGEST_AMOUNT


@FUZZ
@given(ANY_TEXT)
def test_random_text_is_a_price_or_a_reasoned_refusal(text: str) -> None:
    price = parse_price(text)
    if price.status == "ok":
        assert _is_good_amount(price.amount), price
        assert _is_good_amount(price.total), price
        assert price.currency and len(price.currency) == 3, price
        assert price.quantity >= 1
        for per in (price.price_per_kg, price.price_per_l):
            assert per is None or (per.is_finite() and per > 0), price
        assert price.regular_amount is None or price.regular_amount > price.amount  # type: ignore[operator]
    else:
        assert price.status == "rejected"
        assert price.reason, price
        assert price.amount is None


@FUZZ
@given(ANY_TEXT, st.sampled_from(["CAD", "EUR", "JPY", "XYZ", ""]))
def test_any_default_currency_never_breaks_a_reading(text: str, currency: str) -> None:
    price = parse_price(text, default_currency=currency)
    assert price.status == "rejected" or _is_good_amount(price.amount)


@FUZZ
@given(ANY_TEXT)
def test_random_text_is_a_size_or_a_reasoned_refusal(text: str) -> None:
    size = parse_size(text)
    if size.status == "ok":
        assert size.total is not None and size.total.is_finite() and size.total > 0, size
        assert size.each is not None and size.each > 0 and size.count >= 1
        assert size.unit in ("g", "mL", "unit")
    else:
        assert size.reason and size.total is None


@FUZZ
@given(ANY_TEXT, st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10_000), places=2))
def test_the_unit_price_check_answers_none_or_a_reason(text: str, shelf: Decimal) -> None:
    size, stated = parse_price_and_size(text)
    verdict = check_unit_price(shelf, size, stated)
    assert verdict is None or isinstance(verdict, str)


@FUZZ
@given(st.integers(min_value=1, max_value=999_999_999), st.integers(min_value=0, max_value=99))
def test_every_storable_dollar_amount_reads_back_exactly(dollars: int, cents: int) -> None:
    written = f"{dollars}.{cents:02d} $"
    price = parse_price(written)
    if price.status == "ok":
        assert price.amount == Decimal(f"{dollars}.{cents:02d}")
    else:
        # Only a lone separator before three digits may be refused, and there is none here.
        raise AssertionError(f"{written!r} refused: {price.reason}")
