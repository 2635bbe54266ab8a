"""The price and size normaliser: exact readings, reasoned rejections, its score on real strings."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from shared_files import realdata
from typer.testing import CliRunner

from cli.normalise import normalise_app
from core.errors import InvalidInput
from core.normaliser import (
    check_unit_price,
    measure,
    parse_price,
    parse_price_and_size,
    parse_size,
)

D = Decimal
FOUR = D("0.0001")


@pytest.mark.parametrize(
    ("text", "amount", "kind"),
    [
        ("$3.99", D("3.99"), "shelf"),
        ("3,99 $", D("3.99"), "shelf"),
        ("3.99$", D("3.99"), "shelf"),
        ("66¢", D("0.66"), "shelf"),
        ("1 299,00 $", D("1299.00"), "shelf"),
        ("1\u00a0299,00\u00a0$", D("1299.00"), "shelf"),
        ("$1,299.00", D("1299.00"), "shelf"),
        ("Was $4.99 Now $3.49", D("3.49"), "sale"),
        ("Now 75¢", D("0.75"), "sale"),
        ("$2.50 Member Price", D("2.50"), "member"),
        ("Prix membre 2,50 $", D("2.50"), "member"),
        ("$3.00 Non-Members", D("3.00"), "shelf"),
        ("3.99", D("3.99"), "shelf"),
    ],
)
def test_amounts_in_english_and_french(text: str, amount: Decimal, kind: str) -> None:
    price = parse_price(text)
    assert (price.status, price.amount, price.currency, price.kind) == ("ok", amount, "CAD", kind)


def test_sale_keeps_the_regular_price() -> None:
    price = parse_price("Was $4.99 Now $3.49")
    assert price.regular_amount == D("4.99")


@pytest.mark.parametrize(
    ("text", "quantity", "total", "each"),
    [
        ("2/$5.00", 2, D("5.00"), D("2.50")),
        ("2 pour 5 $", 2, D("5"), D("2.5")),
        ("10 pour 3 $", 10, D("3"), D("0.30")),
        ("3 for $10", 3, D("10"), D("3.3333")),  # not exact: four places, the total stays exact
    ],
)
def test_multi_buy_gives_the_price_of_one(
    text: str, quantity: int, total: Decimal, each: Decimal
) -> None:
    price = parse_price(text)
    assert (price.status, price.kind, price.quantity, price.total, price.amount) == (
        "ok",
        "multibuy",
        quantity,
        total,
        each,
    )


@pytest.mark.parametrize(
    ("text", "per_quantity", "per_unit", "per_kg"),
    [
        ("$3.99/lb", D(1), "lb", (D("3.99") / D("0.45359237")).quantize(FOUR)),
        ("0,89 $/100 g", D(100), "g", D("8.90")),
        ("9,99 la livre", D(1), "lb", (D("9.99") / D("0.45359237")).quantize(FOUR)),
        ("5,49$/kg", D(1), "kg", D("5.49")),
        ("43¢/100g", D(100), "g", D("4.30")),
    ],
)
def test_per_weight_prices_convert_exactly_to_kg(
    text: str, per_quantity: Decimal, per_unit: str, per_kg: Decimal
) -> None:
    price = parse_price(text)
    assert (price.status, price.per_quantity, price.per_unit, price.price_per) == (
        "ok",
        per_quantity,
        per_unit,
        "kg",
    )
    assert price.price_per_kg == per_kg


def test_pound_conversion_is_exact() -> None:
    assert parse_price("$3.99/lb").price_per_kg == D("8.7964")


def test_per_volume_price_is_per_litre() -> None:
    price = parse_price("$0.17/100ml")
    assert (price.price_per, price.price_per_l, price.per_unit) == ("L", D("1.70"), "mL")


@pytest.mark.parametrize(
    ("text", "kind", "reason"),
    [
        ("SAVE $0.43", "saving", "a saving or discount, not a price"),
        ("économisez 0,38 $", "saving", "a saving or discount, not a price"),
        ("40% OFF", "saving", "a saving or discount, not a price"),
        ("Check Store", "unavailable", "not a price: marked unavailable"),
        ("N/A", "unavailable", "not a price: marked unavailable"),
        ("entre 16 $ et 20 $", "range", "a price range or starting price"),
        ("Starting at $3.99", "range", "a price range or starting price"),
        ("£6.95 - £9.95", "range", "a price range"),
        ("", "unknown", "empty"),
        ("Prix membre", "unknown", "no amount found"),
        ("1,299", "unknown", "ambiguous decimal separator in '1,299'"),
        ("3,49 $ 1,75 $", "unknown", "several amounts: A A"),
        ("13800 ₶", "unknown", "unsupported or ambiguous currency '₶'"),
        ("$0.00", "unknown", "a zero price: a placeholder, not what the item costs"),
        ("3.99 kg", "unknown", "numbers but no currency to tell which is the price"),
    ],
)
def test_non_prices_are_rejected_with_a_reason(text: str, kind: str, reason: str) -> None:
    price = parse_price(text)
    assert (price.status, price.amount, price.kind, price.reason) == (
        "rejected",
        None,
        kind,
        reason,
    )


@pytest.mark.parametrize(
    ("text", "currency"),
    [("€13.95", "EUR"), ("US$:12.99", "USD"), ("SGD4.90 $", "SGD"), ("£94.50 GBP", "GBP")],
)
def test_currencies_are_iso_codes(text: str, currency: str) -> None:
    assert parse_price(text).currency == currency


def test_bare_dollar_follows_the_default_currency() -> None:
    assert parse_price("$3.99", default_currency="USD").currency == "USD"
    assert parse_price("$3.99", default_currency="EUR").status == "rejected"


@pytest.mark.parametrize(
    ("text", "count", "each", "unit", "total"),
    [
        ("4 l", 1, D(4000), "mL", D(4000)),
        ("6x200 ml", 6, D(200), "mL", D(1200)),
        ("6x200.0 ml", 6, D(200), "mL", D(1200)),
        ("12 x 355 mL", 12, D(355), "mL", D(4260)),
        ("0.605 KG", 1, D(605), "g", D(605)),
        ("400 g", 1, D(400), "g", D(400)),
        ("1 lb", 1, D("453.59237"), "g", D("453.59237")),
        ("1,5 l", 1, D(1500), "mL", D(1500)),
        ("dozen", 1, D(12), "unit", D(12)),
        ("1 douzaine", 1, D(12), "unit", D(12)),
        ("12 rouleaux", 1, D(12), "unit", D(12)),
        ("12 unités", 1, D(12), "unit", D(12)),
        ("12 pk", 1, D(12), "unit", D(12)),
    ],
)
def test_sizes(text: str, count: int, each: Decimal, unit: str, total: Decimal) -> None:
    size = parse_size(text)
    assert (size.status, size.count, size.each, size.unit, size.total) == (
        "ok",
        count,
        each,
        unit,
        total,
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12", "no unit"),
        ("N/A", "no size given"),
        ("16 oz", "ambiguous unit 'oz' (weight or volume?)"),
        ("3 bunches", "unknown unit 'bunches'"),
    ],
)
def test_unclear_sizes_are_rejected(text: str, reason: str) -> None:
    size = parse_size(text)
    assert (size.status, size.total, size.reason) == ("rejected", None, reason)


def test_inconsistent_unit_price_is_flagged() -> None:
    size, stated = parse_price_and_size("6x200.0 ml, $565.83/100ml")
    reason = check_unit_price(D("6.79"), size, stated)
    assert reason == "stated $565.83/100 mL but price ÷ size gives $0.57/100 mL"


def test_consistent_unit_price_passes() -> None:
    size, stated = parse_price_and_size("4 l, $0.17/100ml")
    assert check_unit_price(D("6.88"), size, stated) is None


def test_unit_price_in_another_dimension_is_flagged() -> None:
    size, stated = parse_price_and_size("500 g, $0.17/100ml")
    assert check_unit_price(D("6.88"), size, stated) == "stated per mL but the size is in g"


def test_real_package_strings_mostly_agree_with_their_price() -> None:
    import json

    path = realdata("pages", "pcexpress_ca", "nofrills_search_tiles_2026-01.jsonl")
    flagged = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            tile = json.loads(line)["raw_source"]["data"]
            sizing, price = tile.get("packageSizing"), (tile.get("pricing") or {}).get("price")
            if sizing and price:
                size, stated = parse_price_and_size(sizing)
                if reason := check_unit_price(D(price), size, stated):
                    flagged.append((sizing, reason))
    assert (
        "6x200.0 ml, $565.83/100ml",
        "stated $565.83/100 mL but price ÷ size gives $0.57/100 mL",
    ) in flagged
    assert len(flagged) <= 5, flagged


def test_wrong_answers_stay_under_half_a_percent_on_real_strings() -> None:
    path = realdata("price_strings", "price_parser_examples.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        result = measure(csv.DictReader(handle))
    assert result.total == 1191
    assert len(result.wrong) / result.total < 0.005, [w.raw for w in result.wrong]
    assert result.correct > result.total * 0.6


def test_prices_command_writes_one_row_per_string(tmp_path: Path) -> None:
    source = tmp_path / "prices.csv"
    source.write_text("raw_string,store\n$3.99/lb,a\n2 pour 5 $,b\nN/A,c\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(normalise_app, ["prices", str(source), "--output", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["raw_string"], r["amount"], r["status"], r["kind"]) for r in rows] == [
        ("$3.99/lb", "3.99", "ok", "unit_price"),
        ("2 pour 5 $", "2.5", "ok", "multibuy"),
        ("N/A", "", "rejected", "unavailable"),
    ]
    assert rows[0]["price_per_kg"] == "8.7964"
    assert rows[2]["reason"] == "not a price: marked unavailable"


def test_prices_command_needs_a_raw_string_column(tmp_path: Path) -> None:
    source = tmp_path / "prices.csv"
    source.write_text("price\n$3.99\n", encoding="utf-8")
    result = CliRunner().invoke(normalise_app, ["prices", str(source)])
    assert isinstance(result.exception, InvalidInput)
    assert "no raw_string column" in str(result.exception)


def test_prices_command_writes_formula_like_raw_strings_as_text(tmp_path: Path) -> None:
    source = tmp_path / "prices.csv"
    source.write_text('raw_string\n"=HYPERLINK(""http://x"",""clic"")"\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(normalise_app, ["prices", str(source), "--output", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(newline="", encoding="utf-8") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["raw_string"] == '\'=HYPERLINK("http://x","clic")'
