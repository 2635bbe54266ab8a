"""Write the price-spike alerts of computed months, replacing those stored for them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session

from core.models import StoredPriceAlert
from core.models.base import utc_now
from core.writers.columns import insert_columns

ALERT_FIELDS = (
    "period", "level", "entity", "region", "item", "basket_version", "method", "months",
    "score", "band",
)  # fmt: skip


def replace_alerts(
    session: Session, periods: Sequence[str], alerts: Sequence[dict[str, Any]]
) -> int:
    """Replace the stored alerts of these months (every level) by `alerts`; return rows written.

    Args:
        periods: the months computed; their alerts are deleted first, so a re-run of the
            same months leaves one row per series, and a month now without any keeps none.
        alerts: one mapping per series with ALERT_FIELDS.
    """
    session.execute(delete(StoredPriceAlert).where(StoredPriceAlert.period.in_(list(periods))))
    if not alerts:
        return 0
    columns: dict[str, list[Any]] = {name: [row[name] for row in alerts] for name in ALERT_FIELDS}
    columns["computed_at"] = [utc_now()] * len(alerts)
    insert_columns(session, StoredPriceAlert.__table__, columns)
    return len(alerts)
