"""One cost as weekly, monthly, annual and per-person-per-day figures, by a preset.

Kept apart from the household use case, and light to import (no pandas, no database), so
`ppne cost convert` starts fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from basket.presets import convert, preset
from core.money import to_money


@dataclass(frozen=True)
class CostFigures:
    """One household cost as weekly, monthly, annual and per-person-per-day figures."""

    preset: str  # the conversion preset: nfb, usda or ppne
    persons: int
    weekly: Decimal
    monthly: Decimal
    annual: Decimal
    per_person_per_day: Decimal


def convert_cost(amount: float, basis: str, persons: int, preset: str = "nfb") -> CostFigures:
    """Return one household cost given over a basis (weekly, monthly...) as every figure."""
    figures = {
        name: to_money(value) for name, value in convert(amount, basis, persons, preset).items()
    }
    return CostFigures(preset=preset, persons=persons, **figures)


def weeks_per_month(preset_name: str) -> float:
    """How many weeks a month counts under a preset (nfb 4.33, ppne 365 / 7 / 12)."""
    return preset(preset_name).monthly_per_week
