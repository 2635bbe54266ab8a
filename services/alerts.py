"""Price-spike alerts by store or region: ALPS with 36+ monthly prices, a robust z-score else."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from basket.alerts import price_alerts as score_price_alerts
from core.errors import InvalidInput
from core.queries.basket import item_categories_frame, version_for_period
from core.queries.geo import region_tree_frame, stores_frame
from core.queries.lineage import region_prices_frame, store_prices_frame

LEVELS = ("store", "region")


@dataclass(frozen=True)
class PriceAlert:
    """The alert of one item's price series in one store or region."""

    entity: str  # store or region code
    item: str  # item code
    method: str  # alps or robust
    months: int  # prices in the series
    score: float
    band: str  # normal, stress, alert or crisis


def price_alerts(
    session: Session, period: str, level: str = "region", all_bands: bool = False
) -> list[PriceAlert]:
    """Return the price series in stress, alert or crisis in a month, highest score first.

    The prices are those of the basket version in effect for the month.

    Args:
        level: store or region.
        all_bands: also return the series whose band is normal.
    """
    if level not in LEVELS:
        raise InvalidInput(f"level must be store or region, not {level!r}")
    version = version_for_period(session, period)
    assert version.id is not None
    items = item_categories_frame(session, version.id).set_index("item_id")["code"]
    if level == "store":
        prices = store_prices_frame(session, version.id).rename(columns={"store_id": "entity_id"})
        names = stores_frame(session).set_index("store_id")["code"]
    else:
        prices = region_prices_frame(session, version.id)
        prices = prices[prices["imputation"] == "observed"].rename(
            columns={"region_id": "entity_id"}
        )
        names = region_tree_frame(session).set_index("region_id")["code"]
    found = score_price_alerts(prices[prices["period"].str.len() == 7], period)
    if not all_bands:
        found = found[found["band"] != "normal"]
    return [
        PriceAlert(
            entity=str(names.get(row["entity_id"], row["entity_id"])),
            item=str(items.get(row["item_id"], row["item_id"])),
            method=str(row["method"]),
            months=int(row["months"]),
            score=float(row["score"]),
            band=str(row["band"]),
        )
        for row in found.sort_values("score", ascending=False).to_dict("records")
    ]
