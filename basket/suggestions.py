"""Suggest basket items for products the rules did not match, by fuzzy name similarity."""

from __future__ import annotations

import pandas as pd
from rapidfuzz import fuzz, process

from basket.text import fold

SUGGESTION_COLUMNS = ["product_id", "item_id", "score"]
DEFAULT_MIN_SCORE = 60.0


def suggest_items(
    products: pd.DataFrame,
    items: pd.DataFrame,
    min_score: float = DEFAULT_MIN_SCORE,
    per_product: int = 3,
) -> pd.DataFrame:
    """Return up to `per_product` likely items per product, best first, for a person to review.

    Args:
        products: product_id, name.
        items: item_id, name_fr, name_en.

    Returns:
        product_id, item_id, score (0-100, rapidfuzz token_set_ratio on folded text).
    """
    choices: list[str] = []
    owners: list[int] = []
    for item_id, name_fr, name_en in items[["item_id", "name_fr", "name_en"]].itertuples(
        index=False, name=None
    ):
        for name in (name_fr, name_en):
            if isinstance(name, str) and name.strip():
                choices.append(fold(name))
                owners.append(int(item_id))
    rows: list[tuple[int, int, float]] = []
    for product_id, name in products[["product_id", "name"]].itertuples(index=False, name=None):
        best: dict[int, float] = {}
        for _, score, index in process.extract(
            fold(str(name)), choices, scorer=fuzz.token_set_ratio, limit=per_product * 2
        ):
            if score >= min_score:
                item_id = owners[index]
                best[item_id] = max(best.get(item_id, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda pair: -pair[1])[:per_product]
        rows.extend((int(product_id), item_id, round(score, 1)) for item_id, score in ranked)
    return pd.DataFrame(rows, columns=SUGGESTION_COLUMNS).astype(
        {"product_id": "int64", "item_id": "int64", "score": "float64"}
    )
