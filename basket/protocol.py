"""The costing protocol: every rule of the method as a named setting, with NFB defaults."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from core.errors import InvalidInput

# Household-size factors on the sum of members' costs (NFB practice and USDA food plans):
# (smallest household size the factor applies to, factor), in increasing size.
NFB_SIZE_FACTORS: tuple[tuple[int, float], ...] = (
    (1, 1.20),
    (2, 1.10),
    (3, 1.05),
    (4, 1.00),
    (5, 0.95),
    (7, 0.90),
)


@dataclass(frozen=True)
class CostingProtocol:
    """How a basket is costed; defaults follow the Nutritious Food Basket practice.

    Every field is documented in docs/engine.md with its source.
    """

    # Price kinds a store's lowest price is taken from (NFB: regular shelf prices).
    price_kinds: tuple[str, ...] = ("regular",)
    # Regional price of an item: "mean" of the eligible stores (NFB) or "median".
    regional_statistic: str = "mean"
    # Store kinds left out of regional prices (NFB: no convenience, no membership warehouse).
    excluded_store_kinds: tuple[str, ...] = ("convenience", "warehouse")
    # Fewest stores a region needs; below it the figure is flagged "warn" or "withhold".
    minimum_stores: int = 6
    below_minimum: str = "warn"
    # Coverage: the share of the basket's items priced, and of its cost (weighted by the
    # previous period's prices where they exist), below which a figure carries a warning,
    # and below which it is withheld (docs/engine.md, "Coverage rules").
    warn_below_share: float = 0.95
    withhold_below_share: float = 0.80
    # A parent region whose stores all lie in one child: "note" it, or "withhold" it.
    single_child_parent: str = "note"
    # Babies under 6 months: priced on "formula" (the basket's infant_0_5 group) or on
    # "breast_milk" (nothing to buy: the group costs 0 $). A documented choice, not a fact.
    infant_feeding: str = "formula"
    # A missing regional price is carried forward up to this many periods ...
    carry_forward_periods: int = 2
    # ... then taken from the parent region.
    parent_fallback: bool = True
    # Open Prices rule: over 3x or under 1/3 of the median of at least 3 comparable prices.
    outlier_ratio: float = 3.0
    outlier_minimum_prices: int = 3
    # "month" or "quarter" (PPNE quarters start in October, January, April and July).
    frequency: str = "month"
    # Conversions preset: nfb, usda or ppne (basket/presets.py).
    preset: str = "nfb"
    # Household-size factors, configurable.
    size_factors: tuple[tuple[int, float], ...] = field(default=NFB_SIZE_FACTORS)
    # Reference family, as group codes (NFB: man and woman 31-50, boy 14-18, girl 4-8).
    reference_family: tuple[str, ...] = (
        "male_19_50",
        "female_19_50",
        "male_14_18",
        "female_4_8",
    )

    def __post_init__(self) -> None:
        checks = {
            "regional_statistic": (self.regional_statistic, ("mean", "median")),
            "below_minimum": (self.below_minimum, ("warn", "withhold")),
            "frequency": (self.frequency, ("month", "quarter")),
            "single_child_parent": (self.single_child_parent, ("note", "withhold")),
            "infant_feeding": (self.infant_feeding, ("formula", "breast_milk")),
            "preset": (self.preset, ("nfb", "usda", "ppne")),
        }
        for name, (value, allowed) in checks.items():
            if value not in allowed:
                raise InvalidInput(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
        if self.carry_forward_periods < 0 or self.minimum_stores < 1:
            raise InvalidInput("carry_forward_periods must be >= 0 and minimum_stores >= 1")
        if not 0 <= self.withhold_below_share <= self.warn_below_share <= 1:
            raise InvalidInput(
                "coverage shares must satisfy 0 <= withhold_below_share <= warn_below_share <= 1"
            )
        if self.outlier_ratio <= 1:
            raise InvalidInput("outlier_ratio must be above 1")

    def with_changes(self, **changes: Any) -> CostingProtocol:
        """Return a copy with some settings changed (validated again)."""
        return replace(self, **changes)


NFB = CostingProtocol()
