"""Text folding for matching product names: lower case, no accents, single spaces."""

from __future__ import annotations

import re
import unicodedata

from basket.presets import preset

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Return text in lower case without accents, with runs of spaces made one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_marks = "".join(char for char in decomposed if not unicodedata.combining(char))
    # NFKD turns "œ" into nothing special: spell the ligatures out so "oeufs" finds "œufs".
    spelled = without_marks.replace("œ", "oe").replace("æ", "ae")
    return _SPACES.sub(" ", spelled).strip()


# Numbers as the bulletin writes them in words (the reference family has a handful of people).
FRENCH_NUMBERS = (
    "zéro", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
)  # fmt: skip


def factor_text(value: float, decimal_mark: str = ".") -> str:
    """Return a conversion factor with at most three decimals, trailing zeros dropped."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text.replace(".", decimal_mark)


def monthly_rule(preset_name: str, french: bool = False) -> str:
    """Return how the monthly figure follows from the weekly one with a preset.

    nfb: "weekly cost x 4.33"; ppne: "weekly cost x 4.345" (365 / 7 / 12); in French
    "coût hebdomadaire × 4,345".
    """
    factor = preset(preset_name).monthly_per_week
    if french:
        return f"coût hebdomadaire × {factor_text(factor, ',')}"
    return f"weekly cost x {factor_text(factor)}"


def daily_divisor(preset_name: str, persons: int) -> float:
    """Return what the weekly cost is divided by to give a cost per person per day."""
    return persons / preset(preset_name).daily_per_week()


def daily_rule(preset_name: str, persons: int, french: bool = False) -> str:
    """Return how the per-person-per-day figure follows from the weekly household cost."""
    divisor = factor_text(daily_divisor(preset_name, persons), "," if french else ".")
    if french:
        return f"coût hebdomadaire ÷ {divisor}"
    return f"weekly cost / {divisor}"


def persons_text(persons: int) -> str:
    """Return a household size in French words ("quatre personnes", "une personne")."""
    word = FRENCH_NUMBERS[persons] if 0 <= persons < len(FRENCH_NUMBERS) else str(persons)
    return f"{word} personne" if persons == 1 else f"{word} personnes"
