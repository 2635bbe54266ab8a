"""Write product-to-item matches: rule matches, fuzzy suggestions, decisions."""

from __future__ import annotations

import pandas as pd
from sqlmodel import Session

from core.errors import NotFound
from core.models import (
    ProductMatch,
)
from core.models.base import utc_now


def save_rule_matches(session: Session, matches: pd.DataFrame) -> int:
    """Store (product_id, item_id) pairs found by the specification rules; return the count."""
    for product_id, item_id in matches[["product_id", "item_id"]].itertuples(index=False):
        session.add(
            ProductMatch(store_product_id=int(product_id), item_id=int(item_id), method="rule")
        )
    session.flush()
    return len(matches)


def save_suggestions(session: Session, suggestions: pd.DataFrame) -> int:
    """Store fuzzy (product_id, item_id, score) suggestions awaiting review; return the count."""
    for product_id, item_id, score in suggestions[["product_id", "item_id", "score"]].itertuples(
        index=False
    ):
        session.add(
            ProductMatch(
                store_product_id=int(product_id),
                item_id=int(item_id),
                method="fuzzy",
                status="suggested",
                score=float(score),
            )
        )
    session.flush()
    return len(suggestions)


def decide_match(session: Session, match_id: int, status: str) -> ProductMatch:
    """Record a person's decision (approved or rejected) on a match.

    Raises:
        NotFound: no match has this id.
    """

    match = session.get(ProductMatch, match_id)
    if match is None:
        raise NotFound(f"no product match {match_id}")
    match.status = status
    if match.method == "fuzzy":
        match.method = "manual"  # a person decided; the score still says where it came from
    match.decided_at = utc_now()
    session.add(match)
    session.flush()
    return match
