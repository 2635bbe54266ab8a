"""What a trend report reads for one region and scope, in one call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from core.errors import InvalidInput, NoData
from core.models import (
    AgeSexGroup,
)
from core.queries.basket import item_categories_frame, latest_version, weekly_quantities_frame
from core.queries.costs import stored_costs_frame
from core.queries.cpi import CPI_FOOD, cpi_geos, food_cpi_frame
from core.queries.lineage import region_prices_frame


@dataclass(frozen=True)
class TrendFrames:
    """What a trend report reads for one region and scope (basket/trends.py trend_report)."""

    region_code: str
    region_name: str
    basket_version: str
    scope: str  # "family" or an age-sex group code
    members: list[str]  # one group code per person whose costs the scope sums
    costs: pd.DataFrame  # period, cost (weekly), monthly_cost, status
    region_prices: pd.DataFrame  # region_prices_frame of the region
    quantities: pd.DataFrame  # weekly_quantities_frame
    items: pd.DataFrame  # item_categories_frame
    cpi: pd.DataFrame  # food_cpi_frame: period, cpi, geo
    cpi_geos: list[str]  # the GEOs looked for, closest first
    cpi_product: str


def trend_frames(
    session: Session,
    region_code: str,
    family: Sequence[str],
    scope: str = "family",
    cpi_product: str = CPI_FOOD,
) -> TrendFrames:
    """Return the stored costs of a region and scope, its regional prices and the food CPI.

    Args:
        family: the group codes of the reference family whose costs "family" sums.

    Raises:
        RegionNotFound: the region code is unknown.
        InvalidInput: the scope is neither "family" nor an age-sex group code.
        NoData: no cost is stored for the region and scope.
    """
    from core.regions import region_by_code

    region = region_by_code(session, region_code)
    version = latest_version(session)
    assert version.id is not None
    groups = set(session.execute(select(AgeSexGroup.code)).scalars())
    if scope == "family":
        members = list(family)
    elif scope in groups:
        members = [scope]
    else:
        raise InvalidInput(f"unknown group {scope!r}: family or an age-sex group code")
    stored = stored_costs_frame(session, version.id, region.id)
    costs = stored.loc[
        stored["scope"] == scope, ["period", "weekly_cost", "monthly_cost", "status"]
    ]
    if costs.empty:
        raise NoData(f"no {scope} cost stored for region {region_code!r}: run `ppne compute`")
    geos = cpi_geos(session, region_code)
    return TrendFrames(
        region_code=region.code,
        region_name=region.name,
        basket_version=version.code,
        scope=scope,
        members=members,
        costs=costs.rename(columns={"weekly_cost": "cost"}).reset_index(drop=True),
        region_prices=region_prices_frame(session, version.id, region.id),
        quantities=weekly_quantities_frame(session, version.id),
        items=item_categories_frame(session, version.id),
        cpi=food_cpi_frame(session, geos, cpi_product),
        cpi_geos=geos,
        cpi_product=cpi_product,
    )
