"""What a trend report reads for one region and scope, in one call."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session

from core.errors import InvalidInput, NoData
from core.models import AgeSexGroup, BasketCost, ReferenceValue
from core.queries.basket import item_categories_frame, weekly_quantities_frame
from core.queries.costs import costs_in_effect_frame
from core.queries.cpi import CPI_FOOD, cpi_geos, food_cpi_frame
from core.queries.lineage import region_prices_frame


@dataclass(frozen=True)
class TrendFrames:
    """What a trend report reads for one region and scope (basket/trends.py trend_report).

    Each period comes from the basket version in effect for it; the prices, quantities and
    items of every version read are stacked (item ids differ between versions).
    """

    region_code: str
    region_name: str
    scope: str  # "family" or an age-sex group code
    # period, cost (weekly), monthly_cost, status, family (stored group codes, comma-separated,
    # None before migration 0007), basket_version (code of the version in effect)
    costs: pd.DataFrame
    region_prices: pd.DataFrame  # region_prices_frame of the region
    quantities: pd.DataFrame  # weekly_quantities_frame
    items: pd.DataFrame  # item_categories_frame
    cpi: pd.DataFrame  # food_cpi_frame: period, cpi, geo
    cpi_geos: list[str]  # the GEOs looked for, closest first
    cpi_product: str


def trend_frames(
    session: Session,
    region_code: str,
    scope: str = "family",
    cpi_product: str = CPI_FOOD,
) -> TrendFrames:
    """Return the stored costs of a region and scope, its regional prices and the food CPI.

    Raises:
        RegionNotFound: the region code is unknown.
        InvalidInput: the scope is neither "family" nor an age-sex group code.
        NoData: no cost is stored for the region and scope.
    """
    from core.regions import region_by_code

    region = region_by_code(session, region_code)
    assert region.id is not None
    groups = set(session.execute(select(AgeSexGroup.code)).scalars())
    if scope != "family" and scope not in groups:
        raise InvalidInput(f"unknown group {scope!r}: family or an age-sex group code")
    stored = costs_in_effect_frame(session, region.id)
    costs = stored.loc[
        stored["scope"] == scope,
        ["period", "weekly_cost", "monthly_cost", "status", "family", "version_id",
         "basket_version"],
    ]  # fmt: skip
    if costs.empty:
        raise NoData(f"no {scope} cost stored for region {region_code!r}: run `ppne compute`")
    prices, quantities, items = [], [], []
    for version_id, periods in costs.groupby("version_id")["period"]:
        version_prices = region_prices_frame(session, int(version_id), region.id)
        prices.append(version_prices[version_prices["period"].isin(set(periods))])
        quantities.append(weekly_quantities_frame(session, int(version_id)))
        items.append(item_categories_frame(session, int(version_id)))
    geos = cpi_geos(session, region_code)
    return TrendFrames(
        region_code=region.code,
        region_name=region.name,
        scope=scope,
        costs=costs.drop(columns="version_id")
        .rename(columns={"weekly_cost": "cost"})
        .reset_index(drop=True),
        region_prices=_stacked(prices),
        quantities=_stacked(quantities),
        items=_stacked(items),
        cpi=food_cpi_frame(session, geos, cpi_product),
        cpi_geos=geos,
        cpi_product=cpi_product,
    )


def _stacked(frames: list[pd.DataFrame]) -> pd.DataFrame:
    # Concatenating an empty frame with others is deprecated in pandas: leave empty ones out.
    kept = [frame for frame in frames if not frame.empty] or frames[:1]
    return pd.concat(kept, ignore_index=True)


def costs_revision(session: Session) -> tuple[object, ...]:
    """Return a cheap mark of the stored costs and CPI values that changes when either does.

    `ppne compute` stamps every cost it stores (newest `computed_at`) and a deletion lowers
    the count; a CPI import adds reference values (highest id, count).
    """
    newest, count = session.execute(
        select(func.max(BasketCost.computed_at), func.count(BasketCost.id))
    ).one()
    reference, references = session.execute(
        select(func.max(ReferenceValue.id), func.count(ReferenceValue.id))
    ).one()
    return (str(newest), int(count), reference, int(references))
