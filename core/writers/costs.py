"""Write computed basket costs, replacing those of the same periods."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import delete
from sqlmodel import Session

from core.models import (
    BasketCost,
)
from core.models.base import utc_now
from core.money import to_money_or_none


def replace_costs(
    session: Session, version_id: int, costs: pd.DataFrame, family: Sequence[str]
) -> int:
    """Replace stored costs of this version for the periods in the frame; return rows written.

    Withheld figures (NaN cost) are stored without a cost, with their status and reason, so
    readers say a figure was withheld and why instead of "not found".

    Args:
        costs: region_id, period, scope, weekly_cost, monthly_cost, stores_priced,
            items_priced, items_total, and optionally imputed_share, status, warning, preset.
        family: the reference family's group codes the computation summed, kept beside
            each cost so readers show what produced it.
    """
    periods = sorted(costs["period"].unique().tolist())
    session.execute(
        delete(BasketCost).where(
            BasketCost.version_id == version_id,
            BasketCost.period.in_(periods),
        )
    )
    computed_at = utc_now()
    published = costs
    session.add_all(
        BasketCost(
            version_id=version_id,
            region_id=int(row["region_id"]),
            period=str(row["period"]),
            scope=str(row["scope"]),
            weekly_cost=to_money_or_none(row["weekly_cost"]),
            monthly_cost=to_money_or_none(row["monthly_cost"]),
            stores_priced=int(row["stores_priced"]),
            items_priced=int(row["items_priced"]),
            items_total=int(row["items_total"]),
            imputed_share=round(float(row.get("imputed_share", 0.0)), 6),
            status=str(row.get("status", "ok")),
            warning=str(row.get("warning") or "") or None,
            preset=str(row.get("preset", "nfb")),
            family=",".join(family),
            item_share=_share_or_none(row.get("item_share")),
            cost_share=_share_or_none(row.get("cost_share")),
            source_region_id=_source_or_none(row.get("source_region_id")),
            computed_at=computed_at,
        )
        for row in published.to_dict("records")
    )
    session.flush()
    return len(published)


def _share_or_none(value: object) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 6)


def _source_or_none(value: object) -> int | None:
    # -1 says "no region lent its prices"; a region priced from its own stores names itself.
    return None if value is None or pd.isna(value) or int(value) < 0 else int(value)
