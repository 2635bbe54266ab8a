"""Readers of the stored price-spike alerts."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session

from core.models import StoredPriceAlert
from core.queries.frames import read_frame

ALERT_COLUMNS = [
    "period", "level", "entity", "region", "item", "basket_version", "method", "months",
    "score", "band", "computed_at",
]  # fmt: skip


def stored_alerts_frame(
    session: Session,
    period: str,
    level: str,
    bands: Sequence[str] = (),
    region: str | None = None,
    item: str | None = None,
) -> pd.DataFrame:
    """Return the stored alerts of a month at one level, highest score first.

    Args:
        bands: keep these bands only (every band when empty).
        region: keep the series of this region (a store's own region at store level).

    Returns:
        ALERT_COLUMNS.
    """
    table = StoredPriceAlert
    statement = select(*(getattr(table, c) for c in ALERT_COLUMNS)).where(
        table.period == period, table.level == level
    )
    if bands:
        statement = statement.where(table.band.in_(list(bands)))
    if region is not None:
        statement = statement.where(table.region == region)
    if item is not None:
        statement = statement.where(table.item == item)
    order = statement.order_by(table.score.desc(), table.entity, table.item)
    return read_frame(session, order, ALERT_COLUMNS)


def alert_months(session: Session) -> list[str]:
    """Return the months alerts were stored for, oldest first."""
    statement = select(StoredPriceAlert.period).group_by(StoredPriceAlert.period)
    return sorted(str(p) for p in session.execute(statement).scalars())


def latest_alert_month(session: Session) -> str | None:
    """Return the latest month alerts were stored for, or None."""
    found = session.execute(select(func.max(StoredPriceAlert.period))).scalar()
    return None if found is None else str(found)
