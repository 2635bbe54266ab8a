"""The price gate's rules, one finding of issue 10 each: what may not be stored, and why."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from core.observations import ObservationRows, ProductFacts, StoreFacts
from core.observations.gate import PriceBounds, price_refusal, value_refusal


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("9" * 400, "400 digits before the point"),
        ("1e999999", "1000000 digits before the point"),
        ("Infinity", "not a finite number"),
        ("-Infinity", "not a finite number"),
        ("NaN", "not a finite number"),
        ("sNaN", "not a finite number"),
        ("0", "not positive"),
        ("0.0", "not positive"),
        ("-2.99", "not positive"),
        ("99999999999999", "14 digits before the point"),
        ("0.0001", "4 decimals"),
        ("1234567890", "10 digits before the point"),
    ],
)
def test_a_price_the_column_cannot_hold_is_refused_with_words(text: str, words: str) -> None:
    reason = value_refusal(Decimal(text))
    assert reason is not None and words in reason
    assert len(reason) < 120  # a 400-digit price is not repeated in full


@pytest.mark.parametrize("text", ["2.99", "3.500", "0.01", "999999999.999", "1E+2"])
def test_a_storable_price_passes(text: str) -> None:
    assert value_refusal(Decimal(text)) is None


def test_a_litre_of_milk_at_a_hundredth_of_a_cent_or_ten_million_is_refused() -> None:
    low = price_refusal(Decimal("0.001"), "L", "CAD")
    high = price_refusal(Decimal("10000000"), "L", "CAD")
    assert low == "0.001 CAD per L is below the lowest believable price, 0.01"
    assert high == "10000000 CAD per L is above the highest believable price, 10000"
    assert price_refusal(Decimal("1.89"), "L", "CAD") is None


def test_bounds_are_configurable_per_unit() -> None:
    bounds = PriceBounds(per_unit={"kg": (Decimal("0.5"), Decimal("200"))})
    assert price_refusal(Decimal("0.2"), "kg", "CAD", bounds=bounds) is not None
    assert price_refusal(Decimal("0.2"), "unit", "CAD", bounds=bounds) is None
    assert price_refusal(Decimal("300"), "kg", "CAD", bounds=bounds) is not None


def test_currency_must_be_a_three_letter_code_and_unit_known() -> None:
    assert "currency" in (price_refusal(Decimal("2"), "unit", "EURO") or "")
    assert "currency" in (price_refusal(Decimal("2"), "unit", None) or "")
    assert "currency" in (price_refusal(Decimal("2"), "unit", "cad") or "")
    assert "price per" in (price_refusal(Decimal("2"), "lb", "CAD") or "")
    assert price_refusal(Decimal("2"), "unit", "EUR") is None


def test_an_unavailable_item_keeps_its_zero_placeholder() -> None:
    assert price_refusal(Decimal("0"), "unit", "CAD", available=False) is None
    assert price_refusal(Decimal("NaN"), "unit", "CAD", available=False) is not None


def test_observation_rows_never_take_an_infinite_price() -> None:
    rows = ObservationRows("sqlite")
    store = StoreFacts(code="s", chain="c", name="S", region_code="lachine")
    product = ProductFacts(chain="c", sku="1", name="Lait")
    moment = datetime(2026, 1, 5, tzinfo=UTC)
    common = {"observed_at": moment, "raw_price_text": "x", "source_url": "u", "collector": "t"}
    with pytest.raises(ValueError, match="price gate"):
        rows.add(store, product, price=Decimal("Infinity"), method="import", **common)
    rows.add(store, product, price=Decimal("2.99"), method="import", **common)
    assert len(rows) == 1
