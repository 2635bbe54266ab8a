"""Money as published: Decimal, rounded to the cent half up."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_money(value: float) -> Decimal:
    """Round an engine float to the cent, half up, as published figures are."""
    return Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_UP)


def to_money_or_none(value: float) -> Decimal | None:
    """Round an engine float to the cent; None where the engine has no figure (NaN)."""
    # The engine marks a missing figure NaN (None from an object column).
    return None if value is None or math.isnan(value) else to_money(value)
