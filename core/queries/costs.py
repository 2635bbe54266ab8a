"""Readers of stored basket costs: by family, by group, by region and period."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from core.basket_versions import version_covers, versions_in_effect
from core.errors import NoData
from core.models import (
    BasketCost,
    BasketVersion,
    Region,
)
from core.queries.basket import latest_version, version_for_period
from core.queries.frames import read_frame


def family_costs_frame(
    session: Session,
    version_code: str | None = None,
    include_withheld: bool = False,
    frequency: str | None = None,
) -> pd.DataFrame:
    """Return the stored family costs of every region and period, newest basket by default.

    Withheld figures (stored without a cost) are left out unless asked for: what reads this
    frame headlines and tabulates figures. `frequency` "month" or "quarter" keeps only
    months (YYYY-MM) or only PPNE rounds (YYYY-Qn); both may be stored side by side.

    Returns:
        region_code, region_name, region_level, period, weekly_cost, monthly_cost,
        stores_priced, items_priced, items_total, imputed_share, status, warning, preset,
        family (group codes, comma-separated; None before migration 0007).
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
            BasketCost.warning,
            BasketCost.preset,
            BasketCost.family,
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
        "warning",
        "preset",
        "family",
    ]
    if not include_withheld:
        statement = statement.where(BasketCost.weekly_cost.is_not(None))
    frame = read_frame(session, statement, columns)
    if frequency is not None:
        rounds = frame["period"].astype(str).str.contains("Q", regex=False)
        frame = frame[rounds == (frequency == "quarter")].reset_index(drop=True)
    for column in ("weekly_cost", "monthly_cost"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame


def family_cost_row(
    session: Session, region_code: str, period: str | None
) -> tuple[BasketCost, Region, BasketVersion]:
    """Return the stored family cost of a region for a period (the latest when None).

    The cost is read from the basket version in effect for its period, so a version
    recomputed over months a newer one has since taken over never answers for them.

    Raises:
        RegionNotFound: the region code is unknown.
        NoData: nothing has been computed for that region and period.
    """
    from core.regions import region_by_code

    region = region_by_code(session, region_code)
    if period:
        versions = [version_for_period(session, period)]
    else:  # the newest version first: the latest period is usually its own
        versions = list(reversed(versions_in_effect(session))) or [latest_version(session)]
    found: tuple[BasketCost, BasketVersion] | None = None
    for version in versions:
        statement = select(BasketCost).where(
            BasketCost.version_id == version.id,
            BasketCost.region_id == region.id,
            BasketCost.scope == "family",
        )
        if period:
            statement = statement.where(BasketCost.period == period)
        for cost in session.execute(statement.order_by(BasketCost.period.desc())).scalars():
            if version_covers(version, cost.period):
                if found is None or cost.period > found[0].period:
                    found = (cost, version)
                break
    if found is None:
        when = f"period {period}" if period else "any period"
        raise NoData(f"no basket cost computed for region {region_code!r} and {when}")
    return found[0], region, found[1]


def costs_in_effect_frame(
    session: Session, region_id: int, include_withheld: bool = False
) -> pd.DataFrame:
    """Return a region's stored costs of every scope, each period from the version in effect.

    Withheld figures (NaN costs) are left out unless asked for.

    Returns:
        the columns of stored_costs_frame, with version_id and basket_version (its code).
    """
    frames = []
    for version in versions_in_effect(session) or [latest_version(session)]:
        assert version.id is not None
        stored = stored_costs_frame(session, version.id, region_id)
        if not include_withheld:
            stored = stored[stored["weekly_cost"].notna()]
        covered = stored["period"].map(lambda period, v=version: version_covers(v, period))
        frames.append(
            stored[covered.astype(bool)].assign(version_id=version.id, basket_version=version.code)
        )
    kept = [frame for frame in frames if not frame.empty] or frames[:1]
    return pd.concat(kept, ignore_index=True).sort_values(
        "period", kind="stable", ignore_index=True
    )


def stored_costs_frame(
    session: Session, version_id: int, region_id: int | None = None
) -> pd.DataFrame:
    """Return stored costs of every scope (groups and family) of a version.

    Returns:
        region_id, period, scope, weekly_cost, monthly_cost, imputed_share, stores_priced,
        items_priced, items_total, status, warning, preset, family (the reference family's
        group codes, comma-separated; None before migration 0007), item_share, cost_share,
        source_region_id (None before migration 0013), computed_at, costs as floats (NaN
        when withheld).
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
        "family",
        "item_share",
        "cost_share",
        "source_region_id",
        "computed_at",
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
