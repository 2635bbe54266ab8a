"""Match store products to basket items by each item's specification (words and size range).

Specification columns of an item:
- ``keywords``: ";"-separated terms that must all appear in the product name; a term may
  offer alternatives separated by "|" ("riz;brun|complet").
- ``excluded_words``: ";"-separated terms none of which may appear.
- ``size_min``/``size_max``: the accepted package size, in the item's ``purchase_unit``.
Terms match whole words, ignoring case and accents, so "lait" does not find "laitue":
list the forms a word takes ("surgelé|surgelés|surgelée|surgelées").
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import pandas as pd

from basket.text import fold

MATCH_COLUMNS = ["product_id", "item_id"]


@lru_cache(maxsize=4096)
def _term_pattern(term: str) -> re.Pattern[str]:
    alternatives = [re.escape(fold(option)) for option in term.split("|") if option.strip()]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def _terms(spec: str) -> list[str]:
    return [term.strip() for term in (spec or "").split(";") if term.strip()]


def name_meets_specification(name: str, keywords: str, excluded_words: str) -> bool:
    """Tell whether a product name holds every keyword term and no excluded term."""
    folded = fold(name)
    required = _terms(keywords)
    if not required:
        return False  # an item without keywords would match everything: never match it
    if not all(_term_pattern(term).search(folded) for term in required):
        return False
    return not any(_term_pattern(term).search(folded) for term in _terms(excluded_words))


def size_in_range(size: float, unit: str, purchase_unit: str, low: float, high: float) -> bool:
    """Tell whether a package size is in the item's range and in the item's unit."""
    if unit != purchase_unit or math.isnan(size):
        return False
    if not math.isnan(low) and size < low:
        return False
    return math.isnan(high) or size <= high


def _as_float(value: float | None) -> float:
    # Sizes come from the database as None, NaN or numbers; a missing size never matches.
    return math.nan if value is None else float(value)


def match_products(products: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Return every (product, item) pair where the product meets the item's specification.

    Args:
        products: product_id, name, size (float), size_unit (g, mL or unit).
        items: item_id, keywords, excluded_words, size_min, size_max, purchase_unit.

    Returns:
        product_id, item_id; one row per match, sorted.
    """
    rows: list[tuple[int, int]] = []
    item_specs = list(
        items[
            ["item_id", "keywords", "excluded_words", "size_min", "size_max", "purchase_unit"]
        ].itertuples(index=False, name=None)
    )
    for product_id, name, size, unit in products[
        ["product_id", "name", "size", "size_unit"]
    ].itertuples(index=False, name=None):
        for item_id, keywords, excluded, low, high, purchase_unit in item_specs:
            if size_in_range(
                _as_float(size), unit, purchase_unit, _as_float(low), _as_float(high)
            ) and name_meets_specification(name, keywords, excluded):
                rows.append((int(product_id), int(item_id)))
    return pd.DataFrame(sorted(rows), columns=MATCH_COLUMNS, dtype="int64")
