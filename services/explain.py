"""How a region's figure was obtained: items, stores, observations and imputations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlmodel import Session

from basket.lineage import explain_region, with_conversions
from basket.protocol import CostingProtocol
from basket.regional import eligible_store_prices
from core.errors import InvalidInput, NoData
from core.queries.basket import basket_items_frame, version_for_period
from core.queries.geo import region_tree_frame, store_regions_frame, stores_frame
from core.queries.lineage import observation_sources_frame, region_prices_frame, store_prices_frame
from core.regions import region_by_code


@dataclass(frozen=True)
class LineageRow:
    """One item of the region's figure and one store price it rests on (if any)."""

    item: str  # item code
    region_price: float | None  # None: missing even after imputation
    imputation: str  # observed, carried forward, parent region... or missing
    source_region: str | None  # the region and period the price was observed in
    source_period: str | None
    store: str | None  # store code
    store_price: float | None
    observation_id: int | None
    product: str | None  # the store product observed
    conversion: str = ""  # how a price per kg or L became the store price, "" for a package


@dataclass(frozen=True)
class RegionLineage:
    """The lineage of a region's figure in one period."""

    region: str
    period: str
    basket_version: str  # the version in effect for the period
    rows: list[LineageRow]


def explain(
    session: Session,
    protocol: CostingProtocol,
    region: str,
    period: str,
    item: str | None = None,
) -> RegionLineage:
    """Return the items, stores and observations a region's figure rests on in a period.

    Raises:
        RegionNotFound; NoData: no lineage stored; InvalidInput: no such item in the basket.
    """
    version = version_for_period(session, period)
    assert version.id is not None
    found = region_by_code(session, region)
    prices = region_prices_frame(session, version.id, found.id, period)
    if prices.empty:
        raise NoData(f"no lineage stored for {region} and {period}: run `ppne compute`")
    items = basket_items_frame(session, version.id)
    stores = stores_frame(session)
    store_prices = eligible_store_prices(store_prices_frame(session, version.id), stores, protocol)
    lineage = explain_region(prices, store_prices, store_regions_frame(session))
    sources = observation_sources_frame(
        session, [int(i) for i in lineage["observation_id"].dropna()]
    )
    codes = region_tree_frame(session).set_index("region_id")["code"]
    lineage = lineage.merge(
        items[["item_id", "code", "purchase_size", "purchase_unit"]], on="item_id"
    )
    if item:
        lineage = lineage[lineage["code"] == item]
        if lineage.empty:
            raise InvalidInput(f"no item {item!r} in basket {version.code}")
    lineage = with_conversions(lineage.merge(sources, on="observation_id", how="left"))
    store_codes = stores.set_index("store_id")["code"]
    rows = []
    for row in lineage.to_dict("records"):
        observed = row["imputation"] != "missing"
        store_id, product = row["store_id"], row.get("product")
        rows.append(
            LineageRow(
                item=str(row["code"]),
                region_price=_float(row["region_price"]),
                imputation=str(row["imputation"]),
                source_region=str(codes.get(row["source_region_id"], "")) if observed else None,
                source_period=str(row["source_period"]) if observed else None,
                store=None if pd.isna(store_id) else str(store_codes.get(store_id, "")),
                store_price=_float(row["store_price"]),
                observation_id=_int(row["observation_id"]),
                product=None if pd.isna(product) else str(product),
                conversion=str(row["conversion"]),
            )
        )
    return RegionLineage(region=region, period=period, basket_version=version.code, rows=rows)


def _float(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def _int(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)
