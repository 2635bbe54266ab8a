"""Readers of past imports and the rows they refused."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlmodel import Session

from core.models import DataImport, RefusedRow


def data_imports(session: Session) -> Sequence[DataImport]:
    """Return every import, oldest first."""
    return session.execute(select(DataImport).order_by(DataImport.id)).scalars().all()


def refused_rows(session: Session, import_id: int) -> Sequence[RefusedRow]:
    """Return the rows an import refused, in the order they were refused."""
    statement = select(RefusedRow).where(RefusedRow.import_id == import_id).order_by(RefusedRow.id)
    return session.execute(statement).scalars().all()
