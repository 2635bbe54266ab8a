"""Price-spike alerts by store or region: ALPS with 36+ monthly prices, a robust z-score else.

`ppne compute` stores them for the months it computed (store_alerts); /v1/alerts and
`ppne alerts` read what is stored, and `ppne alerts` fits the series itself for a month
computed before alerts were stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC

import numpy as np
import pandas as pd
from sqlalchemy import exists, select
from sqlmodel import Session

from basket.alerts import ALPS_MINIMUM_MONTHS, ROBUST_MINIMUM_CHANGES
from basket.alerts import price_alerts as score_price_alerts
from basket.periods import check_month
from core.errors import InvalidInput
from core.models import BasketItem, StoredPriceAlert
from core.queries.alerts import alert_months, latest_alert_month, stored_alerts_frame
from core.queries.basket import item_categories_frame, version_for_period
from core.queries.geo import region_tree_frame, stores_frame
from core.queries.lineage import region_prices_frame, store_prices_frame
from core.regions import region_by_code
from core.writers.alerts import replace_alerts

LEVELS = ("store", "region")
BANDS = ("normal", "stress", "alert", "crisis")
SPIKE_BANDS = BANDS[1:]


@dataclass(frozen=True)
class PriceAlert:
    """The alert of one item's price series in one store or region."""

    entity: str  # store or region code
    item: str  # item code
    method: str  # alps or robust
    months: int  # prices in the series
    score: float
    band: str  # normal, stress, alert or crisis


@dataclass(frozen=True)
class _Series:
    """One level's monthly price series of a basket version, with the codes to name them."""

    prices: pd.DataFrame  # entity_id, item_id, period (YYYY-MM), item_price
    entities: pd.Series  # code by entity id
    regions: pd.Series  # region code by entity id (a store's own region)
    items: pd.Series  # code by item id


def price_alerts(
    session: Session, period: str, level: str = "region", all_bands: bool = False
) -> list[PriceAlert]:
    """Return the price series in stress, alert or crisis in a month, highest score first.

    The prices are those of the basket version in effect for the month.

    Args:
        level: store or region.
        all_bands: also return the series whose band is normal.
    """
    _check_level(level)
    version = version_for_period(session, period)
    assert version.id is not None
    found = _scored(_series(session, version.id, level), period)
    if not all_bands:
        found = found[found["band"] != "normal"]
    return [_alert(row) for row in found.to_dict("records")]


def stored_or_computed_alerts(
    session: Session, period: str, level: str = "region", all_bands: bool = False
) -> list[PriceAlert]:
    """Return the alerts stored for the month, or fit them when none was stored for it.

    A month computed before alerts were stored (or by a run that stored none) is fitted
    here, so `ppne alerts` answers as it always did.
    """
    _check_level(level)
    check_month(period)
    stored = exists().where(StoredPriceAlert.period == period, StoredPriceAlert.level == level)
    if not session.execute(select(stored)).scalar():
        return price_alerts(session, period, level, all_bands)
    bands = BANDS if all_bands else SPIKE_BANDS
    frame = stored_alerts_frame(session, period, level, bands)
    return [_alert(row) for row in frame.to_dict("records")]


def store_alerts(session: Session, months: Iterable[str]) -> int:
    """Fit and store the alerts of every series, both levels, in these months; return rows.

    Every band is stored (normal too), each month from the basket version in effect for it;
    the months' earlier alerts are replaced. Series too short for either method store none.
    """
    months = sorted(set(months))
    cached: dict[tuple[int, str], _Series] = {}
    rows: list[dict[str, object]] = []
    for month in months:
        version = version_for_period(session, month)
        assert version.id is not None
        for level in LEVELS:
            key = (version.id, level)
            if key not in cached:
                cached[key] = _series(session, version.id, level)
            series = cached[key]
            for row in _scored(series, month).to_dict("records"):
                alert = _alert(row)
                rows.append(
                    {
                        **alert.__dict__,
                        "period": month,
                        "level": level,
                        "region": str(series.regions.get(row["entity_id"], alert.entity)),
                        "basket_version": version.code,
                    }
                )
    return replace_alerts(session, months, rows)


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise InvalidInput(f"level must be store or region, not {level!r}")


def _series(session: Session, version_id: int, level: str) -> _Series:
    items = item_categories_frame(session, version_id).set_index("item_id")["code"]
    regions = region_tree_frame(session).set_index("region_id")["code"]
    if level == "store":
        prices = store_prices_frame(session, version_id).rename(columns={"store_id": "entity_id"})
        stores = stores_frame(session).set_index("store_id")
        names = stores["code"]
        own_regions = stores["region_id"].map(regions)
    else:
        prices = region_prices_frame(session, version_id)
        prices = prices[prices["imputation"] == "observed"].rename(
            columns={"region_id": "entity_id"}
        )
        names = own_regions = regions
    monthly = prices[prices["period"].str.len() == 7]
    return _Series(monthly, names, own_regions, items)


def _scored(series: _Series, period: str) -> pd.DataFrame:
    found = score_price_alerts(_scorable(series.prices, period), period)
    found = found.assign(
        entity=[str(series.entities.get(e, e)) for e in found["entity_id"]],
        item=[str(series.items.get(i, i)) for i in found["item_id"]],
    )
    return found.sort_values("score", ascending=False)


def _scorable(prices: pd.DataFrame, period: str) -> pd.DataFrame:
    """Return the prices up to the month of the series the scoring would not skip: priced in
    the month, with enough prices for a method. The scores are the same; the engine's loop
    then visits only those series (at compute, every month of thousands of store series)."""
    upto = prices[prices["period"] <= period]
    # One integer a series (ids are far below 2**31): numpy compares them without tuples.
    series = (upto["entity_id"].to_numpy(np.int64) << 32) | upto["item_id"].to_numpy(np.int64)
    keys, counts = np.unique(series, return_counts=True)
    long_enough = keys[counts >= ROBUST_MINIMUM_CHANGES + 2]
    priced = series[(upto["period"] == period).to_numpy()]
    return upto[np.isin(series, np.intersect1d(long_enough, priced))]


def _alert(row: dict[str, object]) -> PriceAlert:
    return PriceAlert(
        entity=str(row["entity"]),
        item=str(row["item"]),
        method=str(row["method"]),
        months=int(row["months"]),  # type: ignore[call-overload]
        score=float(row["score"]),  # type: ignore[arg-type]
        band=str(row["band"]),
    )


# The public table of stored alerts: its columns and their Table Schema types.
ALERT_TABLE_COLUMNS = {
    "period": "string", "level": "string", "entity": "string", "region": "string",
    "item": "string", "basket_version": "string", "method": "string", "months": "integer",
    "score": "number", "band": "string", "computed_at": "datetime",
}  # fmt: skip


@dataclass(frozen=True)
class StoredAlerts:
    """The stored alerts asked for, and why there are none when the list is empty."""

    period: str | None  # None: no alert stored at all
    level: str
    rows: list[dict[str, object]]
    note: str | None


def stored_alerts(
    session: Session,
    period: str | None,
    level: str = "region",
    bands: Iterable[str] = SPIKE_BANDS,
    region: str | None = None,
    item: str | None = None,
) -> StoredAlerts:
    """Return the alerts `ppne compute` stored for a month (the latest when None), filtered.

    Nothing is fitted here. No alert stored (series too short at the last compute, or no
    compute since alerts are stored) is an empty list with a note, not an error.
    """
    _check_level(level)
    if period is not None:
        check_month(period)
    if region is not None:
        region_by_code(session, region)
    if item is not None:
        check_item(session, item)
    month = period or latest_alert_month(session)
    if month is None:
        note = (
            "no alert stored: `ppne compute` stores them when a series has at least "
            f"{ROBUST_MINIMUM_CHANGES + 2} monthly prices ({ALPS_MINIMUM_MONTHS} for ALPS)"
        )
        return StoredAlerts(None, level, [], note)
    frame = stored_alerts_frame(session, month, level, tuple(bands), region, item)
    rows = [
        {
            **row,
            "months": int(row["months"]),
            "score": float(row["score"]),
            "computed_at": row["computed_at"].astimezone(UTC).isoformat().replace("+00:00", "Z"),
        }
        for row in frame.to_dict("records")
    ]
    note = None
    if not rows:
        note = (
            f"no {level} series of {month} matches"
            if month in alert_months(session)
            else (f"no alert stored for {month}: not computed, or its series were too short")
        )
    return StoredAlerts(month, level, rows, note)


def check_item(session: Session, code: str) -> str:
    """Return the item code if some basket version has it; raise InvalidInput otherwise."""
    if not session.execute(select(exists().where(BasketItem.code == code))).scalar():
        raise InvalidInput(f"no item {code!r} in any basket version")
    return code
