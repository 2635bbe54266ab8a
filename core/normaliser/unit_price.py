"""Cross-check a stated unit price ("$0.17/100ml") against the shelf price divided by the size."""

from __future__ import annotations

from decimal import Decimal

from core.normaliser.prices import ParsedPrice, parse_price
from core.normaliser.sizes import ParsedSize, parse_size
from core.normaliser.units import unit_info

CENTS = Decimal("0.01")


def check_unit_price(
    price: Decimal, size: ParsedSize, stated: ParsedPrice, tolerance: Decimal = Decimal("0.05")
) -> str | None:
    """Return None when the stated unit price agrees with price ÷ size, else a reason naming both.

    Args:
        tolerance: the relative gap allowed (0.05 is 5 %); a gap within the stated figure's own
            rounding (half its last digit) is always allowed, so "$0.02/100ml" is not flagged.
    """
    if size.status != "ok" or size.total is None or size.unit is None:
        return f"cannot check: size {size.raw!r} was rejected ({size.reason})"
    if (
        stated.status != "ok"
        or stated.amount is None
        or stated.per_unit is None
        or stated.per_quantity is None
    ):
        return f"cannot check: {stated.raw!r} is not a unit price"
    info = unit_info(stated.per_unit)
    assert info is not None  # parse_price only keeps units it knows
    printed, base, factor = info
    if base != size.unit:
        return f"stated per {printed} but the size is in {size.unit}"
    basis = stated.per_quantity * factor
    computed = price / size.total * basis
    gap = abs(computed - stated.amount)
    rounding = Decimal(1).scaleb(stated.amount.as_tuple().exponent) / 2  # type: ignore[arg-type]
    if gap <= rounding or gap <= tolerance * stated.amount:
        return None
    label = (
        f"{stated.per_quantity.normalize():f} {printed}" if stated.per_quantity != 1 else printed
    )
    return (
        f"stated ${stated.amount}/{label} but price ÷ size gives "
        f"${computed.quantize(CENTS)}/{label}"
    )


def parse_price_and_size(text: str) -> tuple[ParsedSize, ParsedPrice]:
    """Split a package string such as "4 l, $0.17/100ml" into its size and its unit price."""
    size_text, comma, price_text = text.rpartition(",")
    if not comma:
        return parse_size(text), parse_price("")
    return parse_size(size_text), parse_price(price_text)
