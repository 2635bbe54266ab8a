"""Readers of stored basket costs: by family, by group, by region and period."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from core.errors import NoData
from core.models import (
    BasketCost,
    BasketVersion,
    Region,
)
from core.queries.basket import latest_version
from core.queries.frames import read_frame


def family_costs_frame(session: Session, version_code: str | None = None) -> pd.DataFrame:
    """Return the stored family costs of every region and period, newest basket by default.

    Returns:
        region_code, region_name, region_level, period, weekly_cost, monthly_cost,
        stores_priced, items_priced, items_total, imputed_share, status.
    """
    version = latest_version(session, version_code)
    statement = (
        select(
            Region.code,
            Region.name,
            Region.level,
            BasketCost.period,
            BasketCost.weekly_cost,
            BasketCost.monthly_cost,
            BasketCost.stores_priced,
            BasketCost.items_priced,
            BasketCost.items_total,
            BasketCost.imputed_share,
            BasketCost.status,
        )
        .join(Region, Region.id == BasketCost.region_id)
        .where(BasketCost.version_id == version.id, BasketCost.scope == "family")
        .order_by(Region.code, BasketCost.period)
    )
    columns = [
        "region_code",
        "region_name",
        "region_level",
        "period",
        "weekly_cost",
        "monthly_cost",
        "stores_priced",
        "items_priced",
        "items_total",
        "imputed_share",
        "status",
    ]
    frame = read_frame(session, statement, columns)
    for column in ("weekly_cost", "monthly_cost"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame


def family_cost_row(
    session: Session, region_code: str, period: str | None
) -> tuple[BasketCost, Region, BasketVersion]:
    """Return the stored family cost of a region for a period (the latest when None).

    Raises:
        RegionNotFound: the region code is unknown.
        NoData: nothing has been computed for that region and period.
    """
    from core.regions import region_by_code

    region = region_by_code(session, region_code)
    version = latest_version(session)
    statement = select(BasketCost).where(
        BasketCost.version_id == version.id,
        BasketCost.region_id == region.id,
        BasketCost.scope == "family",
    )
    if period:
        statement = statement.where(BasketCost.period == period)
    cost = session.execute(statement.order_by(BasketCost.period.desc())).scalars().first()
    if cost is None:
        when = f"period {period}" if period else "any period"
        raise NoData(f"no basket cost computed for region {region_code!r} and {when}")
    return cost, region, version


def stored_costs_frame(
    session: Session, version_id: int, region_id: int | None = None
) -> pd.DataFrame:
    """Return stored costs of every scope (groups and family) of a version.

    Returns:
        region_id, period, scope, weekly_cost, monthly_cost, imputed_share, stores_priced,
        items_priced, items_total, status, warning, preset (costs as floats).
    """
    columns = [
        "region_id",
        "period",
        "scope",
        "weekly_cost",
        "monthly_cost",
        "imputed_share",
        "stores_priced",
        "items_priced",
        "items_total",
        "status",
        "warning",
        "preset",
    ]
    statement = select(*(getattr(BasketCost, c) for c in columns)).where(
        BasketCost.version_id == version_id
    )
    if region_id is not None:
        statement = statement.where(BasketCost.region_id == region_id)
    frame = read_frame(session, statement.order_by(BasketCost.period), columns)
    for column in ("weekly_cost", "monthly_cost"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame
