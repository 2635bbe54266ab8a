"""Conversion presets between weekly, monthly, annual and per-person-per-day costs."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import InvalidInput

BASES = ("weekly", "monthly", "annual", "daily")


@dataclass(frozen=True)
class Preset:
    """A named convention: each figure as a multiple of the household's weekly cost."""

    name: str
    monthly_per_week: float
    annual_per_week: float
    source: str

    def daily_per_week(self) -> float:
        """Return the household's daily cost per weekly dollar."""
        # ppne counts the year as 365 days; the others as 52 weeks of 7 days.
        return self.annual_per_week / 365 if self.name == "ppne" else 1 / 7


PRESETS = {
    # Canadian NFB practice: monthly = weekly x 4.33, annual = weekly x 52.
    "nfb": Preset("nfb", 4.33, 52.0, "Nutritious Food Basket practice (Ontario, Health Canada)"),
    # USDA food plans: monthly = weekly x 52 / 12, annual = 52 weeks.
    "usda": Preset("usda", 52 / 12, 52.0, "USDA Food Plans: Cost of Food reports"),
    # PPNE (Alima): annual = daily x 365, monthly = annual / 12, daily = weekly / 7.
    "ppne": Preset("ppne", 365 / 7 / 12, 365 / 7, "Alima's PPNE releases"),
}


def preset(name: str) -> Preset:
    """Return the preset with this name (nfb, usda or ppne)."""
    try:
        return PRESETS[name]
    except KeyError:
        raise InvalidInput(f"preset must be one of {', '.join(PRESETS)}, not {name!r}") from None


def check_amount(amount: float, basis: str) -> float:
    """Return a cost someone typed if it is a positive, finite amount; raise InvalidInput."""
    if not amount > 0 or amount == float("inf"):
        raise InvalidInput(f"the {basis} cost must be a positive amount, not {amount:g}")
    return amount


def convert(amount: float, basis: str, persons: int, preset_name: str = "nfb") -> dict[str, float]:
    """Return weekly, monthly, annual and per-person-per-day figures of one household cost.

    Args:
        amount: the household's cost over the `basis` (weekly, monthly, annual or daily).
        persons: household members, for the per person per day figure.
    """
    if basis not in BASES:
        raise InvalidInput(f"basis must be one of {', '.join(BASES)}, not {basis!r}")
    if persons < 1:
        raise InvalidInput("a household has at least one person")
    # NaN fails every comparison: refuse a negative amount, NaN included (zero converts to
    # zero: a coupon total may be nothing; `check_amount` refuses it where a cost is asked).
    if not amount >= 0 or amount == float("inf"):
        raise InvalidInput(f"the {basis} cost must be a positive amount, not {amount:g}")
    chosen = preset(preset_name)
    per_week = {
        "weekly": 1.0,
        "monthly": chosen.monthly_per_week,
        "annual": chosen.annual_per_week,
        "daily": chosen.daily_per_week(),
    }
    weekly = amount / per_week[basis]
    return {
        "weekly": weekly,
        "monthly": weekly * chosen.monthly_per_week,
        "annual": weekly * chosen.annual_per_week,
        "per_person_per_day": weekly * chosen.daily_per_week() / persons,
    }
