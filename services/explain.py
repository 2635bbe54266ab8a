"""How a region's figure was obtained: items, stores, observations and imputations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlmodel import Session

from basket.group_costs import quantity_matrix
from basket.households import household_size_factor
from basket.lineage import explain_region, with_conversions
from basket.protocol import CostingProtocol
from basket.regional import eligible_store_prices
from core.errors import InvalidInput, NoData
from core.money import to_money
from core.queries.basket import basket_items_frame, version_for_period, weekly_quantities_frame
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
    # The reference family's weekly amount of the item, in purchase sizes (size factor
    # applied), and what it costs at the region's price: the item's share of the figure.
    family_units: float | None = None
    family_cost: float | None = None


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
    units = _family_units(session, protocol, version.id)
    rows = []
    for row in lineage.to_dict("records"):
        observed = row["imputation"] != "missing"
        amount = units.get(row["item_id"], 0.0)
        price = _float(row["region_price"])
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
                family_units=amount,
                family_cost=None if price is None else price * amount,
            )
        )
    return RegionLineage(region=region, period=period, basket_version=version.code, rows=rows)


def _family_units(session: Session, protocol: CostingProtocol, version_id: int) -> pd.Series:
    """Return the reference family's purchase sizes per week by item id, as the engine sums
    them: each member's group, times the household-size factor."""
    members = [code for code in protocol.reference_family if code]
    quantities = weekly_quantities_frame(session, version_id)
    matrix = quantity_matrix(quantities, np.sort(quantities["item_id"].unique()))
    counts = pd.Series(members).value_counts().reindex(matrix.columns, fill_value=0)
    factor = household_size_factor(len(members), protocol.size_factors)
    return (matrix @ counts) * factor


def _float(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def _int(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)


# The lineage as a public table: its columns and their Table Schema types.
LINEAGE_TABLE_COLUMNS = {
    "item": "string", "region_price": "decimal", "imputation": "string",
    "source_region": "string", "source_period": "string", "store": "string",
    "store_price": "decimal", "observation_id": "integer", "product": "string",
    "conversion": "string", "family_units": "number", "family_cost": "decimal",
}  # fmt: skip


def lineage_rows(lineage: RegionLineage) -> list[dict[str, Any]]:
    """Return the lineage's rows as the API and `ppne explain --json` give them: money as
    two-decimal strings, the family's weekly purchase sizes to four decimals."""
    return [
        {
            "item": row.item,
            "region_price": _money(row.region_price),
            "imputation": row.imputation,
            "source_region": row.source_region,
            "source_period": row.source_period,
            "store": row.store,
            "store_price": _money(row.store_price),
            "observation_id": row.observation_id,
            "product": row.product,
            "conversion": row.conversion,
            "family_units": None if row.family_units is None else round(row.family_units, 4),
            "family_cost": _money(row.family_cost),
        }
        for row in lineage.rows
    ]


def lineage_view(lineage: RegionLineage) -> dict[str, Any]:
    """Return the lineage as one JSON object: region, period, basket version and rows."""
    return {
        "region": lineage.region,
        "period": lineage.period,
        "basket_version": lineage.basket_version,
        "currency": "CAD",
        "rows": lineage_rows(lineage),
    }


def _money(value: float | None) -> str | None:
    return None if value is None else f"{to_money(value):.2f}"
