"""Issue 10's adversarial price strings: each wrong reading is now a refusal or a right reading."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.normaliser import parse_price, parse_size

D = Decimal


@pytest.mark.parametrize("text", ["1/2 $", "1/100 $", "1/$5"])
def test_a_fraction_is_not_a_price(text: str) -> None:
    price = parse_price(text)
    assert (price.status, price.amount) == ("rejected", None)
    assert price.reason is not None and "fraction" in price.reason


def test_a_multi_buy_with_a_slash_is_still_read() -> None:
    price = parse_price("2/5 $")
    assert (price.status, price.kind, price.quantity, price.amount) == (
        "ok",
        "multibuy",
        2,
        D("2.5"),
    )


@pytest.mark.parametrize("text", ["(3.00 $)", "($3.00)", "(3.00)"])
def test_an_accounting_negative_is_not_a_price(text: str) -> None:
    price = parse_price(text)
    assert price.status == "rejected"
    assert price.reason is not None and "accounting negative" in price.reason


def test_brackets_after_the_price_are_still_read() -> None:
    assert parse_price("$3.99 (ea)").amount == D("3.99")


@pytest.mark.parametrize("text", ["2.99+", "2,99 $+", "$2.99 +"])
def test_a_trailing_plus_is_a_starting_price(text: str) -> None:
    price = parse_price(text)
    assert (price.status, price.kind) == ("rejected", "range")


@pytest.mark.parametrize("text", ["$99999999999999999999", "$1000000000", "1" * 400 + " $"])
def test_an_amount_beyond_the_column_precision_is_refused(text: str) -> None:
    price = parse_price(text)
    assert price.status == "rejected"
    assert price.reason is not None and "9 integer digits" in price.reason


def test_the_largest_storable_amount_is_read() -> None:
    assert parse_price("$999999999.99").amount == D("999999999.99")


def test_a_unit_basis_on_the_regular_price_only_is_ambiguous() -> None:
    # "$3 Reg. $4/lb": is the sale 3 per lb or 3 each? Refused rather than guessed.
    price = parse_price("$3 Reg. $4/lb")
    assert price.status == "rejected"
    assert price.reason is not None and "regular price only" in price.reason


def test_a_sale_with_its_basis_after_the_sale_price_is_still_read() -> None:
    price = parse_price("Was $4 Now $3/lb")
    assert (price.status, price.amount, price.regular_amount, price.per_unit) == (
        "ok",
        D(3),
        D(4),
        "lb",
    )


@pytest.mark.parametrize(
    "text", ["$5.99/1000000kg", "$5.99/0.001g", "$5.99/0.5 ml", "$5.99/200 kg"]
)
def test_a_unit_price_basis_outside_a_sane_range_is_refused(text: str) -> None:
    price = parse_price(text)
    assert (price.status, price.price_per_kg, price.price_per_l) == ("rejected", None, None)
    assert price.reason is not None and "implausible basis" in price.reason


def test_a_unit_price_that_rounds_to_zero_is_refused() -> None:
    price = parse_price("0,001 $/100 kg")
    assert price.status == "rejected"


@pytest.mark.parametrize("text", ["2,99 $ CAD", "$2.99 CAD", "CAD 2,99 $", "CAD$2.99"])
def test_cad_after_the_amount_is_read(text: str) -> None:
    price = parse_price(text)
    assert (price.status, price.amount, price.currency) == ("ok", D("2.99"), "CAD")


def test_cad_in_lower_case_is_read() -> None:
    price = parse_price("3,99 cad")
    assert (price.status, price.amount, price.currency) == ("ok", D("3.99"), "CAD")


def test_a_dollar_with_another_currency_code_is_still_refused() -> None:
    assert parse_price("2,99 $ EUR").status == "rejected"


@pytest.mark.parametrize("text", ["le 2,99 $", "la 2,99 $", "les 2,99 $", "à 2,99 $", "Le 2,99 $"])
def test_a_leading_french_article_is_read(text: str) -> None:
    price = parse_price(text)
    assert (price.status, price.amount, price.currency) == ("ok", D("2.99"), "CAD")


@pytest.mark.parametrize("text", ["à partir de 2,99 $", "A partir de 2,99 $"])
def test_from_a_price_stays_a_starting_price(text: str) -> None:
    assert (parse_price(text).status, parse_price(text).kind) == ("rejected", "range")


def test_a_french_unit_price_keeps_its_article_reading() -> None:
    price = parse_price("9,99 la livre")
    assert (price.status, price.per_unit) == ("ok", "lb")


@pytest.mark.parametrize("text", ["1" * 40 + " g", "9" * 5000 + "x1 g", "1001 kg", "0.001 g"])
def test_an_implausible_size_is_refused_not_raised(text: str) -> None:
    size = parse_size(text)
    assert (size.status, size.total) == ("rejected", None)
