"""Units of weight, volume and count as written on labels, with exact factors to g, mL and units."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

BaseUnit = Literal["g", "mL", "unit"]

GRAMS_PER_POUND = Decimal("453.59237")  # exact, by the 1959 international agreement
GRAMS_PER_OUNCE = Decimal("28.349523125")  # exact, a sixteenth of the pound

# Spelling (lower case) -> (how we print it, base unit, how many base units it is).
# "oz" alone is missing on purpose: on a drink it may be a fluid ounce, so it is rejected.
UNITS: dict[str, tuple[str, BaseUnit, Decimal]] = {
    **{w: ("g", "g", Decimal(1)) for w in ("g", "gr", "gram", "grams", "gramme", "grammes")},
    **{
        w: ("kg", "g", Decimal(1000))
        for w in (
            "kg",
            "kgs",
            "kilo",
            "kilos",
            "kilogram",
            "kilograms",
            "kilogramme",
            "kilogrammes",
        )
    },
    **{
        w: ("lb", "g", GRAMS_PER_POUND) for w in ("lb", "lbs", "livre", "livres", "pound", "pounds")
    },
    **{w: ("oz", "g", GRAMS_PER_OUNCE) for w in ("oz wt", "net wt oz", "onces poids")},
    "mg": ("mg", "g", Decimal("0.001")),
    **{
        w: ("mL", "mL", Decimal(1))
        for w in ("ml", "millilitre", "millilitres", "milliliter", "milliliters")
    },
    "cl": ("cL", "mL", Decimal(10)),
    **{w: ("L", "mL", Decimal(1000)) for w in ("l", "lt", "litre", "litres", "liter", "liters")},
    **{
        w: ("unit", "unit", Decimal(1))
        for w in (
            "ea",
            "each",
            "ch",
            "chacun",
            "chacune",
            "unit",
            "units",
            "unité",
            "unités",
            "un",
            "pk",
            "pack",
            "pc",
            "pcs",
            "pce",
            "pces",
            "pièce",
            "pièces",
            "count",
            "ct",
            "rouleau",
            "rouleaux",
            "roll",
            "rolls",
            "feuille",
            "feuilles",
            "sheet",
            "sheets",
            "egg",
            "eggs",
            "oeuf",
            "oeufs",
            "œuf",
            "œufs",
            "sachet",
            "sachets",
            "bag",
            "bags",
            "portion",
            "portions",
            "tranche",
            "tranches",
            "slice",
            "slices",
            "item",
            "items",
        )
    },
    **{w: ("dozen", "unit", Decimal(12)) for w in ("dozen", "doz", "douzaine", "douzaines", "dz")},
}
AMBIGUOUS_UNITS = frozenset({"oz", "once", "onces", "fl oz", "fl. oz", "floz", "pt", "qt", "gal"})

# What a price per weight or volume is normalised to (Open Prices' price_per).
PER_KG = Decimal(1000)
PER_L = Decimal(1000)


def unit_info(word: str) -> tuple[str, BaseUnit, Decimal] | None:
    """Return how a unit is printed, its base unit and its factor, or None when unknown."""
    return UNITS.get(word.strip().lower())
