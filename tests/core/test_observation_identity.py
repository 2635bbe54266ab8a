"""core.observations: one content hash whatever way a price was written or where it came from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from core.observations import canonical_price, content_hash

NOON = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def digest(**overrides: object) -> str:
    values: dict[str, object] = {
        "store_code": "maxi-lachine",
        "chain": "loblaw",
        "sku": "123",
        "observed_at": NOON,
        "price_kind": "regular",
        "price": "3.49",
        "currency": "CAD",
        "price_per": "unit",
        "available": True,
    }
    return content_hash(**{**values, **overrides})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "text"),
    [("3.49", "3.49"), ("3.490", "3.49"), (Decimal("3.49"), "3.49"), ("3", "3.00"),
     (Decimal("1.995"), "1.995"), ("8.7964", "8.796"), ("0.0005", "0.001")],
)  # fmt: skip
def test_canonical_price_is_one_text_per_stored_value(value: str | Decimal, text: str) -> None:
    assert canonical_price(value) == text


def test_the_same_price_written_differently_hashes_the_same() -> None:
    assert digest(price="3.49") == digest(price="3.490") == digest(price=Decimal("3.49"))


def test_the_day_is_the_utc_day() -> None:
    montreal = timezone(timedelta(hours=-5))
    late_evening = datetime(2026, 1, 14, 20, 0, tzinfo=montreal)  # 01:00 UTC on the 15th
    assert digest(observed_at=late_evening) == digest()
    assert digest(observed_at=NOON + timedelta(hours=11)) == digest()
    assert digest(observed_at=NOON + timedelta(hours=12)) != digest()


@pytest.mark.parametrize(
    "change",
    [{"store_code": "iga-lachine"}, {"chain": "sobeys"}, {"sku": "456"}, {"price_kind": "sale"},
     {"price": "3.50"}, {"currency": "USD"}, {"price_per": "kg"}, {"available": False}],
)  # fmt: skip
def test_every_part_of_the_identity_counts(change: dict[str, object]) -> None:
    assert digest(**change) != digest()


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        digest(observed_at=datetime(2026, 1, 15, 12, 0))
