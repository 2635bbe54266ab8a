"""Readers of Statistics Canada's food CPI, imported as reference series."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from core.models import (
    ReferenceSeries,
    ReferenceValue,
    Region,
)
from core.queries.frames import read_frame
from core.regions import region_by_code

# Statistics Canada's food CPI table, the product read by default and its GEOs by region code.
CPI_TABLE = "18-10-0004-01"
CPI_FOOD = "Food"
CPI_GEOS = {"montreal-cma": "Montréal, Quebec", "quebec": "Quebec"}
CPI_CANADA = "Canada"


def cpi_geos(session: Session, region_code: str) -> list[str]:
    """Return the StatCan GEOs whose food CPI stands for a region, closest first.

    A region inherits the GEO of its nearest ancestor in CPI_GEOS (Montreal's boroughs and
    neighbourhoods: "Montréal, Quebec", the census metropolitan area the CPI publishes), then
    the broader ones, ending with "Canada".

    Raises:
        RegionNotFound: the region code is unknown.
    """

    region = region_by_code(session, region_code)
    tree = {
        region_id: (code, parent_id)
        for region_id, code, parent_id in session.execute(
            select(Region.id, Region.code, Region.parent_id)
        ).all()
    }
    geos: list[str] = []
    current: int | None = region.id
    while current is not None:
        code, current = tree[current]
        if code in CPI_GEOS and CPI_GEOS[code] not in geos:
            geos.append(CPI_GEOS[code])
    return [*geos, CPI_CANADA]


def food_cpi_frame(
    session: Session, geos: str | Sequence[str], product: str = CPI_FOOD
) -> pd.DataFrame:
    """Return the imported CPI (table 18-10-0004-01) of the first GEO that has any value.

    Args:
        geos: StatCan GEOs, closest first (see cpi_geos); later ones are fallbacks.
        product: "Products and product groups" as published ("Food" by default).

    Returns:
        period, cpi (float, NaN where StatCan published no value), geo (the GEO used);
        empty when none of the GEOs has this product imported.
    """
    columns = ["period", "cpi", "geo"]
    wanted = [geos] if isinstance(geos, str) else list(geos)
    statement = (
        select(
            ReferenceSeries.region, ReferenceSeries.uom, ReferenceValue.period, ReferenceValue.value
        )
        .join(ReferenceValue, ReferenceValue.series_id == ReferenceSeries.id)
        .where(
            ReferenceSeries.table_id == CPI_TABLE,
            ReferenceSeries.kind == "index",
            ReferenceSeries.product == product,
            ReferenceSeries.region.in_(wanted),
        )
    )
    frame = read_frame(session, statement, ["geo", "uom", "period", "cpi"])
    frame["cpi"] = pd.to_numeric(frame["cpi"]).astype("float64")
    for geo in wanted:
        series = frame[frame["geo"] == geo]
        if series["cpi"].notna().any():
            # A rebased table (another "2002=100") is a second series: keep the fullest one.
            uom = series.groupby("uom")["cpi"].count().sort_index().idxmax()
            kept = series[series["uom"] == uom].sort_values("period")
            return kept[columns].reset_index(drop=True)
    return pd.DataFrame({"period": [], "cpi": [], "geo": []}).astype(
        {"period": object, "cpi": "float64", "geo": object}
    )
