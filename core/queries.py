"""The one place that turns database rows into the frames the engine reads, and back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd
from sqlalchemy import Float, String, cast, delete, func, select
from sqlmodel import Session

from core.db import insert_sql
from core.models import (
    AgeSexGroup,
    BasketCost,
    BasketItem,
    BasketVersion,
    ChosenProduct,
    ItemRegionPrice,
    ItemStorePrice,
    PriceObservation,
    ProductMatch,
    ReferenceSeries,
    ReferenceValue,
    Region,
    Store,
    StoreProduct,
    WeeklyQuantity,
)
from core.models.base import utc_now

CENT = Decimal("0.01")
# Statistics Canada's food CPI table, the product read by default and its GEOs by region code.
CPI_TABLE = "18-10-0004-01"
CPI_FOOD = "Food"
CPI_GEOS = {"montreal-cma": "Montréal, Quebec", "quebec": "Quebec"}
CPI_CANADA = "Canada"


def _frame(session: Session, statement: Any, columns: list[str]) -> pd.DataFrame:
    rows = session.execute(statement).all()
    return pd.DataFrame([tuple(row) for row in rows], columns=columns)


def basket_items_frame(session: Session, version_id: int) -> pd.DataFrame:
    """Return item_id, code, purchase_size, purchase_unit and the matching specification."""
    statement = select(
        BasketItem.id,
        BasketItem.code,
        BasketItem.purchase_size,
        BasketItem.purchase_unit,
        BasketItem.keywords,
        BasketItem.excluded_words,
        BasketItem.size_min,
        BasketItem.size_max,
    ).where(BasketItem.version_id == version_id)
    columns = [
        "item_id",
        "code",
        "purchase_size",
        "purchase_unit",
        "keywords",
        "excluded_words",
        "size_min",
        "size_max",
    ]
    frame = _frame(session, statement, columns)
    for column in ("purchase_size", "size_min", "size_max"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def unmatched_products_frame(session: Session, version_id: int) -> pd.DataFrame:
    """Return product_id, name, size, size_unit of products with no decision for this basket."""
    decided = (
        select(ProductMatch.store_product_id)
        .join(BasketItem, BasketItem.id == ProductMatch.item_id)
        .where(BasketItem.version_id == version_id)
    )
    statement = select(
        StoreProduct.id, StoreProduct.name, StoreProduct.size, StoreProduct.size_unit
    ).where(StoreProduct.id.not_in(decided))
    frame = _frame(session, statement, ["product_id", "name", "size", "size_unit"])
    frame["size"] = pd.to_numeric(frame["size"], errors="coerce").astype("float64")
    return frame


def save_rule_matches(session: Session, matches: pd.DataFrame) -> int:
    """Store (product_id, item_id) pairs found by the specification rules; return the count."""
    for product_id, item_id in matches[["product_id", "item_id"]].itertuples(index=False):
        session.add(
            ProductMatch(store_product_id=int(product_id), item_id=int(item_id), method="rule")
        )
    session.flush()
    return len(matches)


def store_regions_frame(session: Session) -> pd.DataFrame:
    """Return store_id, region_id for each store's region and every region above it."""
    parents: dict[int, int | None] = {
        region_id: parent_id
        for region_id, parent_id in session.execute(select(Region.id, Region.parent_id)).all()
    }
    rows = []
    for store_id, region_id in session.execute(select(Store.id, Store.region_id)).all():
        current = region_id
        while current is not None:
            rows.append((store_id, current))
            current = parents.get(current)
    return pd.DataFrame(rows, columns=["store_id", "region_id"])


def weekly_quantities_frame(session: Session, version_id: int) -> pd.DataFrame:
    """Return item_id, group_code, weekly_amount, purchase_size for a basket version."""
    statement = (
        select(
            WeeklyQuantity.item_id,
            AgeSexGroup.code,
            WeeklyQuantity.amount,
            BasketItem.purchase_size,
        )
        .join(AgeSexGroup, AgeSexGroup.id == WeeklyQuantity.group_id)
        .join(BasketItem, BasketItem.id == WeeklyQuantity.item_id)
        .where(BasketItem.version_id == version_id)
    )
    frame = _frame(session, statement, ["item_id", "group_code", "weekly_amount", "purchase_size"])
    for column in ("weekly_amount", "purchase_size"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame


def to_money(value: float) -> Decimal:
    """Round an engine float to the cent, half up, as published figures are."""
    return Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_UP)


def _money_or_none(value: float) -> Decimal | None:
    return None if pd.isna(value) else to_money(value)


def replace_costs(session: Session, version_id: int, costs: pd.DataFrame) -> int:
    """Replace stored costs of this version for the periods in the frame; return rows written.

    Withheld figures (NaN cost) are not stored: the API and publications never show them.

    Args:
        costs: region_id, period, scope, weekly_cost, monthly_cost, stores_priced,
            items_priced, items_total, and optionally imputed_share, status, warning, preset.
    """
    periods = sorted(costs["period"].unique().tolist())
    session.execute(
        delete(BasketCost).where(
            BasketCost.version_id == version_id,
            BasketCost.period.in_(periods),
        )
    )
    computed_at = utc_now()
    published = costs[costs["weekly_cost"].notna()]
    session.add_all(
        BasketCost(
            version_id=version_id,
            region_id=int(row["region_id"]),
            period=str(row["period"]),
            scope=str(row["scope"]),
            weekly_cost=to_money(row["weekly_cost"]),
            monthly_cost=to_money(row["monthly_cost"]),
            stores_priced=int(row["stores_priced"]),
            items_priced=int(row["items_priced"]),
            items_total=int(row["items_total"]),
            imputed_share=round(float(row.get("imputed_share", 0.0)), 6),
            status=str(row.get("status", "ok")),
            warning=str(row.get("warning") or "") or None,
            preset=str(row.get("preset", "nfb")),
            computed_at=computed_at,
        )
        for row in published.to_dict("records")
    )
    session.flush()
    return len(published)


def insert_columns(session: Session, table: Any, values: dict[str, list[Any]]) -> None:
    """Insert rows given column by column through the driver's executemany, as plain tuples.

    SQLAlchemy's bulk insert builds and processes a dict per row, which cost more than the
    database's own work for lineage (one row per store or region, item and period). Each
    column still goes through its type's bind processor (Decimal to float on SQLite, UTC
    timestamps), so what is stored is the same.
    """
    names = list(values)
    if not names or not values[names[0]]:
        return
    connection = session.connection()
    dialect = connection.dialect
    columns = []
    for name in names:
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        column = values[name]
        columns.append([None if v is None else process(v) for v in column] if process else column)
    statement = insert_sql(dialect, table.name, tuple(names))
    connection.exec_driver_sql(statement, list(zip(*columns, strict=True)))


def _ints(column: pd.Series) -> list[Any]:
    """Return Python ints, None where missing (or negative: "no region" in the engine)."""
    numbers = pd.to_numeric(column).astype("float64")
    kept = numbers.where(numbers >= 0)
    return [None if pd.isna(v) else int(v) for v in kept.tolist()]


def replace_lineage(
    session: Session, version_id: int, store_prices: pd.DataFrame, region_prices: pd.DataFrame
) -> None:
    """Replace the stored store and region prices of the periods in the frames.

    Args:
        store_prices: store_id, item_id, period, item_price, observation_id.
        region_prices: the imputed grid (region_id, item_id, period, item_price, stores,
            imputation, source_region_id, source_period).
    """
    for model, frame in ((ItemStorePrice, store_prices), (ItemRegionPrice, region_prices)):
        periods = sorted(frame["period"].astype(str).unique().tolist())
        session.execute(
            delete(model).where(model.version_id == version_id, model.period.in_(periods))
        )
    # Column by column, with the conversions done once per column rather than once per row.
    insert_columns(
        session,
        ItemStorePrice.__table__,
        {
            "version_id": [version_id] * len(store_prices),
            "store_id": store_prices["store_id"].astype("int64").tolist(),
            "item_id": store_prices["item_id"].astype("int64").tolist(),
            "period": store_prices["period"].astype(str).tolist(),
            "price": [to_money(price) for price in store_prices["item_price"].tolist()],
            "observation_id": _ints(store_prices["observation_id"]),
        },
    )
    source_period = region_prices["source_period"].astype(object)
    insert_columns(
        session,
        ItemRegionPrice.__table__,
        {
            "version_id": [version_id] * len(region_prices),
            "region_id": region_prices["region_id"].astype("int64").tolist(),
            "item_id": region_prices["item_id"].astype("int64").tolist(),
            "period": region_prices["period"].astype(str).tolist(),
            "price": [_money_or_none(price) for price in region_prices["item_price"].tolist()],
            "stores": region_prices["stores"].astype("int64").tolist(),
            "imputation": region_prices["imputation"].astype(str).tolist(),
            "source_region_id": _ints(region_prices["source_region_id"]),
            "source_period": [
                None if pd.isna(value) or not str(value) else str(value)
                for value in source_period.tolist()
            ],
        },
    )
    session.flush()


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
    frame = _frame(session, statement, columns)
    for column in ("weekly_cost", "monthly_cost"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame


def latest_version(session: Session, version_code: str | None = None) -> BasketVersion:
    """Return the basket version with this code, or the newest one."""
    from core.errors import NoData

    statement = select(BasketVersion)
    if version_code:
        statement = statement.where(BasketVersion.code == version_code)
    version = session.execute(statement.order_by(BasketVersion.id.desc())).scalars().first()
    if version is None:
        raise NoData("no basket definition loaded: run `ppne db upgrade` first")
    return version


def family_cost_row(
    session: Session, region_code: str, period: str | None
) -> tuple[BasketCost, Region, BasketVersion]:
    """Return the stored family cost of a region for a period (the latest when None).

    Raises:
        RegionNotFound: the region code is unknown.
        NoData: nothing has been computed for that region and period.
    """
    from core.errors import NoData
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


def regions_frame(session: Session) -> pd.DataFrame:
    """Return code, name, level and parent_code of every region."""
    parent = Region.__table__.alias("parent")
    statement = (
        select(Region.code, Region.name, Region.level, parent.c.code)
        .outerjoin(parent, parent.c.id == Region.parent_id)
        .order_by(Region.id)
    )
    return _frame(session, statement, ["code", "name", "level", "parent_code"])


def engine_observations_frame(session: Session, version_id: int) -> pd.DataFrame:
    """Return every usable observation of any price kind, for the engine.

    Usable: status ok, in stock, CAD, priced per unit, matched (approved) to an item of
    this basket version. The engine chooses the price kinds and flags outliers itself.

    Returns:
        observation_id, store_id, item_id, period (YYYY-MM, UTC), price, product_size,
        purchase_size (floats), price_kind.
    """
    matched = _frame(
        session,
        select(
            ProductMatch.store_product_id,
            ProductMatch.item_id,
            StoreProduct.size,
            BasketItem.purchase_size,
        )
        .join(StoreProduct, StoreProduct.id == ProductMatch.store_product_id)
        .join(BasketItem, BasketItem.id == ProductMatch.item_id)
        .where(BasketItem.version_id == version_id, ProductMatch.status == "approved"),
        ["store_product_id", "item_id", "product_size", "purchase_size"],
    )
    for column in ("product_size", "purchase_size"):
        matched[column] = pd.to_numeric(matched[column]).astype("float64")
    # One pass over the observations, joined to the few thousand matched products here: on
    # SQLite a join in SQL reads the table in index order, about three times slower; and the
    # driver's plain rows, with month and price computed in SQL, skip building a Decimal
    # and a datetime per row.
    observations = _driver_frame(
        session,
        select(
            PriceObservation.id,
            PriceObservation.store_id,
            PriceObservation.store_product_id,
            _utc_month(session, PriceObservation.observed_at),
            cast(PriceObservation.price, Float),
            PriceObservation.price_kind,
        ).where(
            PriceObservation.status == "ok",
            PriceObservation.available.is_(True),
            PriceObservation.currency == "CAD",
            PriceObservation.price_per == "unit",
        ),
        ["observation_id", "store_id", "store_product_id", "period", "price", "price_kind"],
    )
    observations = observations.astype({"price": "float64", "store_product_id": "int64"})
    matched = matched.astype({"store_product_id": "int64"})
    frame = observations.merge(matched, on="store_product_id", how="inner")
    columns = ["observation_id", "store_id", "item_id", "price", "product_size"]
    return frame[[*columns, "purchase_size", "price_kind", "period"]].reset_index(drop=True)


def _utc_month(session: Session, moment: Any) -> Any:
    """Return the SQL for the YYYY-MM of a stored time, in UTC."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", moment), "YYYY-MM")
    # SQLite keeps times as UTC text, "YYYY-MM-DD HH:MM:SS.ffffff" (core/models/base.py).
    return func.substr(moment, 1, 7, type_=String)


def _driver_frame(session: Session, statement: Any, columns: list[str]) -> pd.DataFrame:
    """Run a statement and build the frame from the driver's rows, with no per-row objects."""
    connection = session.connection()
    compiled = statement.compile(dialect=connection.dialect)
    parameters: Any = compiled.params
    if compiled.positiontup is not None:  # SQLite: "?" markers, values in order
        parameters = tuple(compiled.params[name] for name in compiled.positiontup)
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(str(compiled), parameters)
        return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)
    finally:
        cursor.close()


def stores_frame(session: Session) -> pd.DataFrame:
    """Return store_id, code, name, kind, region_id of every store."""
    statement = select(Store.id, Store.code, Store.name, Store.kind, Store.region_id)
    return _frame(session, statement, ["store_id", "code", "name", "kind", "region_id"])


def region_tree_frame(session: Session) -> pd.DataFrame:
    """Return region_id, code, name, level, parent_id (None at the top) of every region."""
    statement = select(Region.id, Region.code, Region.name, Region.level, Region.parent_id)
    frame = _frame(session, statement, ["region_id", "code", "name", "level", "parent_id"])
    return frame.astype({"parent_id": "Int64"})


def age_sex_groups_frame(session: Session) -> pd.DataFrame:
    """Return code, sex, age_min, age_max (NaN: no limit), state of every age-sex group."""
    statement = select(
        AgeSexGroup.code,
        AgeSexGroup.sex,
        AgeSexGroup.age_min,
        AgeSexGroup.age_max,
        AgeSexGroup.state,
    )
    frame = _frame(session, statement, ["code", "sex", "age_min", "age_max", "state"])
    return frame.astype({"age_max": "float64"})


def item_categories_frame(session: Session, version_id: int) -> pd.DataFrame:
    """Return item_id, code, name_en, category of a basket version's items."""
    statement = select(
        BasketItem.id, BasketItem.code, BasketItem.name_en, BasketItem.category
    ).where(BasketItem.version_id == version_id)
    return _frame(session, statement, ["item_id", "code", "name_en", "category"])


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
    frame = _frame(session, statement.order_by(BasketCost.period), columns)
    for column in ("weekly_cost", "monthly_cost"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame


def region_prices_frame(
    session: Session, version_id: int, region_id: int | None = None, period: str | None = None
) -> pd.DataFrame:
    """Return stored regional item prices with how each was obtained.

    Returns:
        region_id, item_id, period, item_price, stores, imputation, source_region_id,
        source_period.
    """
    columns = [
        "region_id",
        "item_id",
        "period",
        "price",
        "stores",
        "imputation",
        "source_region_id",
        "source_period",
    ]
    statement = select(*(getattr(ItemRegionPrice, c) for c in columns)).where(
        ItemRegionPrice.version_id == version_id
    )
    if region_id is not None:
        statement = statement.where(ItemRegionPrice.region_id == region_id)
    if period is not None:
        statement = statement.where(ItemRegionPrice.period == period)
    frame = _frame(session, statement, columns).rename(columns={"price": "item_price"})
    frame["item_price"] = pd.to_numeric(frame["item_price"]).astype("float64")
    return frame


def store_prices_frame(
    session: Session, version_id: int, period: str | None = None
) -> pd.DataFrame:
    """Return stored store prices: store_id, item_id, period, item_price, observation_id."""
    columns = ["store_id", "item_id", "period", "price", "observation_id"]
    statement = select(*(getattr(ItemStorePrice, c) for c in columns)).where(
        ItemStorePrice.version_id == version_id
    )
    if period is not None:
        statement = statement.where(ItemStorePrice.period == period)
    frame = _frame(session, statement, columns).rename(columns={"price": "item_price"})
    frame["item_price"] = pd.to_numeric(frame["item_price"]).astype("float64")
    return frame


def observation_sources_frame(session: Session, observation_ids: list[int]) -> pd.DataFrame:
    """Return observation_id, product, price, price_kind, observed_at, source_url, method."""
    statement = (
        select(
            PriceObservation.id,
            StoreProduct.name,
            PriceObservation.price,
            PriceObservation.price_kind,
            PriceObservation.observed_at,
            PriceObservation.source_url,
            PriceObservation.method,
        )
        .join(StoreProduct, StoreProduct.id == PriceObservation.store_product_id)
        .where(PriceObservation.id.in_(observation_ids))
    )
    columns = ["observation_id", "product", "price", "price_kind", "observed_at", "source_url"]
    return _frame(session, statement, [*columns, "method"])


def cpi_geos(session: Session, region_code: str) -> list[str]:
    """Return the StatCan GEOs whose food CPI stands for a region, closest first.

    A region inherits the GEO of its nearest ancestor in CPI_GEOS (Montreal's boroughs and
    neighbourhoods: "Montréal, Quebec", the census metropolitan area the CPI publishes), then
    the broader ones, ending with "Canada".

    Raises:
        RegionNotFound: the region code is unknown.
    """
    from core.regions import region_by_code

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
    frame = _frame(session, statement, ["geo", "uom", "period", "cpi"])
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
    session: Session, region_code: str, scope: str = "family", cpi_product: str = CPI_FOOD
) -> TrendFrames:
    """Return the stored costs of a region and scope, its regional prices and the food CPI.

    Raises:
        RegionNotFound: the region code is unknown.
        InvalidInput: the scope is neither "family" nor an age-sex group code.
        NoData: no cost is stored for the region and scope.
    """
    from core.errors import InvalidInput, NoData
    from core.regions import region_by_code
    from core.settings import get_settings

    region = region_by_code(session, region_code)
    version = latest_version(session)
    assert version.id is not None
    groups = set(session.execute(select(AgeSexGroup.code)).scalars())
    if scope == "family":
        members = [code for code in get_settings().reference_family.split(",") if code]
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


def basket_item_names_frame(session: Session, version_id: int) -> pd.DataFrame:
    """Return item_id, code, name_fr, name_en of a basket version's items."""
    statement = select(
        BasketItem.id, BasketItem.code, BasketItem.name_fr, BasketItem.name_en
    ).where(BasketItem.version_id == version_id)
    return _frame(session, statement, ["item_id", "code", "name_fr", "name_en"])


def save_suggestions(session: Session, suggestions: pd.DataFrame) -> int:
    """Store fuzzy (product_id, item_id, score) suggestions awaiting review; return the count."""
    for product_id, item_id, score in suggestions[["product_id", "item_id", "score"]].itertuples(
        index=False
    ):
        session.add(
            ProductMatch(
                store_product_id=int(product_id),
                item_id=int(item_id),
                method="fuzzy",
                status="suggested",
                score=float(score),
            )
        )
    session.flush()
    return len(suggestions)


def review_queue_frame(session: Session, status: str = "suggested") -> pd.DataFrame:
    """Return the matches in a status, best score first.

    Returns:
        match_id, chain, sku, product, size, size_unit, item_code, item_name, score, method.
    """
    statement = (
        select(
            ProductMatch.id,
            StoreProduct.chain,
            StoreProduct.sku,
            StoreProduct.name,
            StoreProduct.size,
            StoreProduct.size_unit,
            BasketItem.code,
            BasketItem.name_fr,
            ProductMatch.score,
            ProductMatch.method,
        )
        .join(StoreProduct, StoreProduct.id == ProductMatch.store_product_id)
        .join(BasketItem, BasketItem.id == ProductMatch.item_id)
        .where(ProductMatch.status == status)
        .order_by(ProductMatch.score.desc(), ProductMatch.id)
    )
    columns = ["match_id", "chain", "sku", "product", "size", "size_unit", "item_code",
               "item_name", "score", "method"]  # fmt: skip
    return _frame(session, statement, columns)


def decide_match(session: Session, match_id: int, status: str) -> ProductMatch:
    """Record a person's decision (approved or rejected) on a match.

    Raises:
        NotFound: no match has this id.
    """
    from core.errors import NotFound

    match = session.get(ProductMatch, match_id)
    if match is None:
        raise NotFound(f"no product match {match_id}")
    match.status = status
    if match.method == "fuzzy":
        match.method = "manual"  # a person decided; the score still says where it came from
    match.decided_at = utc_now()
    session.add(match)
    session.flush()
    return match


def priced_products_frame(
    session: Session, version_id: int, price_kinds: tuple[str, ...] = ("regular",)
) -> pd.DataFrame:
    """Return usable observations with the basket item and product each one prices.

    Usable: status ok, in stock, in CAD, priced per unit, of the given kinds, with a product
    whose approved match links it to an item of this basket version.

    Returns:
        store_id, item_id, period, store_product_id, price, product_size, purchase_size.
    """
    statement = (
        select(
            PriceObservation.store_id,
            ProductMatch.item_id,
            PriceObservation.observed_at,
            PriceObservation.store_product_id,
            PriceObservation.price,
            StoreProduct.size,
            BasketItem.purchase_size,
        )
        .join(StoreProduct, StoreProduct.id == PriceObservation.store_product_id)
        .join(ProductMatch, ProductMatch.store_product_id == StoreProduct.id)
        .join(BasketItem, BasketItem.id == ProductMatch.item_id)
        .where(
            BasketItem.version_id == version_id,
            ProductMatch.status == "approved",
            PriceObservation.status == "ok",
            PriceObservation.available.is_(True),
            PriceObservation.currency == "CAD",
            PriceObservation.price_per == "unit",
            PriceObservation.price_kind.in_(price_kinds),
        )
    )
    columns = ["store_id", "item_id", "observed_at", "store_product_id", "price",
               "product_size", "purchase_size"]  # fmt: skip
    frame = _frame(session, statement, columns)
    frame["period"] = pd.to_datetime(frame["observed_at"], utc=True).dt.strftime("%Y-%m")
    for column in ("price", "product_size", "purchase_size"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame[["store_id", "item_id", "period", "store_product_id", "price", "product_size",
                  "purchase_size"]]  # fmt: skip


def replace_chosen_products(session: Session, version_id: int, chosen: pd.DataFrame) -> int:
    """Replace the recorded product choices of this version for the periods in the frame.

    Args:
        chosen: store_id, item_id, period, store_product_id, price, item_price, candidates.
    """
    periods = sorted(chosen["period"].unique().tolist())
    session.execute(
        delete(ChosenProduct).where(
            ChosenProduct.version_id == version_id, ChosenProduct.period.in_(periods)
        )
    )
    thousandth = Decimal("0.001")
    insert_columns(
        session,
        ChosenProduct.__table__,
        {
            "version_id": [version_id] * len(chosen),
            "store_id": chosen["store_id"].astype("int64").tolist(),
            "item_id": chosen["item_id"].astype("int64").tolist(),
            "period": chosen["period"].astype(str).tolist(),
            "store_product_id": chosen["store_product_id"].astype("int64").tolist(),
            "price": [Decimal(repr(v)).quantize(thousandth) for v in chosen["price"].tolist()],
            "item_price": [
                Decimal(repr(v)).quantize(thousandth) for v in chosen["item_price"].tolist()
            ],
            "candidates": chosen["candidates"].astype("int64").tolist(),
            "chosen_at": [utc_now()] * len(chosen),
        },
    )
    session.flush()
    return len(chosen)
