"""Product-to-basket-item matches: suggest them, list the review queue, record decisions."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from basket.matching import match_products
from basket.suggestions import suggest_items
from core.errors import InvalidInput
from core.queries.basket import basket_item_names_frame, basket_items_frame, latest_version
from core.queries.matching import review_queue_frame, unmatched_products_frame
from core.writers.matches import decide_match, save_rule_matches, save_suggestions

MATCH_STATUSES = ("suggested", "approved", "rejected")
DECISIONS = ("approved", "rejected")


@dataclass(frozen=True)
class SuggestionSummary:
    """What one suggestion pass matched by the rules and queued for review."""

    rule_matches: int
    suggestions: int


@dataclass(frozen=True)
class MatchForReview:
    """A product matched to a basket item, as a reviewer sees it."""

    match_id: int
    chain: str
    sku: str
    product: str
    size: Decimal | None
    size_unit: str | None
    item_code: str
    item_name: str
    score: float | None
    method: str


@dataclass(frozen=True)
class Decision:
    """A reviewer's decision on one match."""

    match_id: int
    status: str


def queue_suggestions(session: Session, version_id: int) -> int:
    """Suggest items for the products still unmatched after the rules; return the count."""
    suggestions = suggest_items(
        unmatched_products_frame(session, version_id), basket_item_names_frame(session, version_id)
    )
    return save_suggestions(session, suggestions)


def suggest_matches(session: Session) -> SuggestionSummary:
    """Match new products by the rules, queue fuzzy suggestions for the rest, and commit."""
    version = latest_version(session)
    assert version.id is not None
    items = basket_items_frame(session, version.id)
    matched = save_rule_matches(
        session, match_products(unmatched_products_frame(session, version.id), items)
    )
    queued = queue_suggestions(session, version.id)
    session.commit()
    return SuggestionSummary(matched, queued)


def review_queue(session: Session, status: str = "suggested") -> list[MatchForReview]:
    """Return the matches in a status (suggested by default), best score first.

    Raises:
        InvalidInput: the status is not one of MATCH_STATUSES.
    """
    if status not in MATCH_STATUSES:
        raise InvalidInput(f"unknown status {status!r}: use one of {', '.join(MATCH_STATUSES)}")
    return [
        MatchForReview(
            match_id=int(row["match_id"]),
            chain=str(row["chain"]),
            sku=str(row["sku"]),
            product=str(row["product"]),
            size=_present(row["size"]),
            size_unit=_present(row["size_unit"]),
            item_code=str(row["item_code"]),
            item_name=str(row["item_name"]),
            score=_present(row["score"]),
            method=str(row["method"]),
        )
        for row in review_queue_frame(session, status).to_dict("records")
    ]


def decide(session: Session, match_id: int, status: str) -> Decision:
    """Approve or reject a match, keep the decision, and commit.

    Raises:
        InvalidInput: the status is not approved or rejected.
        NotFound: no match has this id.
    """
    if status not in DECISIONS:
        raise InvalidInput(f"a decision is {' or '.join(DECISIONS)}, not {status!r}")
    match = decide_match(session, match_id, status)
    session.commit()
    return Decision(match_id, match.status)


def _present(value: Any) -> Any:
    """Return None for a missing value (None or NaN in a frame), the value otherwise."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value
