"""The price gate: what a price must be before it may become an observation, and why not."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

# The price column is NUMERIC(12, 3): 9 digits before the point, 3 after. A longer price is
# refused, never rounded: rounding would store a price nobody wrote.
INTEGER_DIGITS = 9
DECIMAL_DIGITS = 3
CURRENCY_CODE = re.compile(r"[A-Z]{3}")
UNITS = ("unit", "kg", "L")
DEFAULT_MINIMUM = Decimal("0.01")
DEFAULT_MAXIMUM = Decimal("10000")


@dataclass(frozen=True)
class PriceBounds:
    """The lowest and highest believable price, per unit a price is given for (unit, kg, L).

    ``per_unit`` overrides ``minimum``/``maximum`` for one unit: {"kg": (low, high)}.
    """

    minimum: Decimal = DEFAULT_MINIMUM
    maximum: Decimal = DEFAULT_MAXIMUM
    per_unit: Mapping[str, tuple[Decimal, Decimal]] = field(default_factory=dict)

    def of(self, price_per: str) -> tuple[Decimal, Decimal]:
        """Return (lowest, highest) believable price given per ``price_per``."""
        return self.per_unit.get(price_per, (self.minimum, self.maximum))


DEFAULT_BOUNDS = PriceBounds()


def value_refusal(price: Decimal | None, *, positive: bool = True) -> str | None:
    """Return why a number cannot be stored as a price (None when it can).

    Not a finite number, not positive (zero allowed when ``positive`` is False, the
    placeholder of an unavailable item), or more digits than the column keeps.
    """
    if price is None:
        return "no price"
    if not isinstance(price, Decimal):
        return f"price {price!r} is not a decimal number"
    if not price.is_finite():
        return f"price {price} is not a finite number"
    if price in _STORABLE:
        return None
    if price.is_signed() or (positive and not price):
        return f"price {price} is not positive"
    if not price:
        return None
    # Counted on the digits as written: normalize() would round a long price first.
    exponent = price.as_tuple().exponent
    decimals = 0 if exponent >= -DECIMAL_DIGITS else _decimals(price)  # type: ignore[operator]
    if decimals > DECIMAL_DIGITS:
        return f"price {_shown(price)} has {decimals} decimals, the column keeps 3 (not rounded)"
    if price.adjusted() >= INTEGER_DIGITS:
        digits = price.adjusted() + 1
        return f"price {_shown(price)} has {digits} digits before the point, the column keeps 9"
    _remember_storable(price)
    return None


# Positive prices found storable, each checked once: a file of millions of rows repeats a few
# thousand prices, and the digit count above took a third of the gate's time. For a non-zero
# price every test depends on its value only (3.5 and 3.50 are both storable or both not), so
# an equal Decimal may skip them; zero never enters, as -0 equals 0 and is refused.
_STORABLE: set[Decimal] = set()
STORABLE_LIMIT = 65_536


def _remember_storable(price: Decimal) -> None:
    if len(_STORABLE) >= STORABLE_LIMIT:
        _STORABLE.clear()
    _STORABLE.add(price)


def price_refusal(
    price: Decimal | None,
    price_per: str,
    currency: str | None,
    *,
    available: bool = True,
    bounds: PriceBounds = DEFAULT_BOUNDS,
) -> str | None:
    """Return why a price may not become an observation, in words, or None when it may.

    An unavailable item keeps a placeholder price (often 0): only its storability is checked.
    """
    refused = value_refusal(price, positive=available)
    if refused is not None:
        return refused
    if price_per not in UNITS:
        return f"price per {price_per!r} is not one of {', '.join(UNITS)}"
    if not currency or not CURRENCY_CODE.fullmatch(currency):
        return f"currency {currency!r} is not a 3-letter code"
    if not available:
        return None
    low, high = bounds.of(price_per)
    if price is not None and price < low:
        return f"{_priced(price, currency, price_per)} is below the lowest believable price, {low}"
    if price is not None and price > high:
        return (
            f"{_priced(price, currency, price_per)} is above the highest believable price, {high}"
        )
    return None


def _priced(price: Decimal, currency: str, price_per: str) -> str:
    # Built only for a refused price: on accepted rows it cost as much as the checks.
    return f"{_shown(price)} {currency} per {price_per}"


def _shown(price: Decimal | None) -> str:
    # A 400-digit price would fill the refusal table and every log line it appears in.
    text = str(price)
    return text if len(text) <= 24 else f"{text[:20]}..."


def _decimals(price: Decimal) -> int:
    # Significant decimals: "3.500" has one, like 3.5.
    _sign, digits, exponent = price.as_tuple()
    places = -int(exponent)
    for digit in reversed(digits):
        if places <= 0 or digit != 0:
            break
        places -= 1
    return max(places, 0)
