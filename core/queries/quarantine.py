"""Readers of the items the collection pipelines refused."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, select

from core.models import QuarantinedItem


def quarantined_items(session: Session, run_id: int | None = None) -> Sequence[QuarantinedItem]:
    """Return the quarantined items, of one collection run if given, oldest first."""
    statement = select(QuarantinedItem).order_by(QuarantinedItem.id)
    if run_id is not None:
        statement = statement.where(QuarantinedItem.run_id == run_id)
    return session.exec(statement).all()
