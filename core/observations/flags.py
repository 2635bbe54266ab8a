"""Write the engine's outlier judgement back to the observations, and undo it when it changes.

The 3x-median rule (basket/outliers.py) is judged anew at every costing, over the stored
outliers too: an observation flagged now is marked `outlier` with the median it was judged
against; one marked before and no longer flagged (a price that became comparable once more
prices came in) is `ok` again. Running a costing twice changes nothing the second time.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from sqlalchemy import Table, bindparam, or_, select, update
from sqlmodel import Session

from core.models import PriceObservation, Store, StoreProduct

OBSERVATIONS: Table = PriceObservation.__table__  # type: ignore[attr-defined]
STORES: Table = Store.__table__  # type: ignore[attr-defined]
PRODUCTS: Table = StoreProduct.__table__  # type: ignore[attr-defined]
OUTLIER, OK = "outlier", "ok"
MILL = Decimal("0.001")
CHUNK = 500  # parameters per IN list


def mark_outliers(session: Session, judged: pd.DataFrame) -> tuple[int, int]:
    """Mark the flagged observations `outlier` with their median; clear those judged ok again.

    Args:
        judged: observation_id, outlier (bool), judged_median (per purchase size).

    Returns:
        (marked, cleared): observations now outliers, outliers back to ok.
    """
    if judged.empty:
        return 0, 0
    flagged = judged[judged["outlier"].astype(bool)]
    marks = [
        {"row_id": int(row_id), "median": Decimal(repr(float(median))).quantize(MILL)}
        for row_id, median in zip(flagged["observation_id"], flagged["judged_median"], strict=True)
    ]
    table = OBSERVATIONS.c
    if marks:
        session.execute(
            update(OBSERVATIONS)
            .where(
                table.id == bindparam("row_id"), or_(table.status == OK, table.status == OUTLIER)
            )
            .values(status=OUTLIER, judged_median=bindparam("median")),
            marks,
            execution_options={"synchronize_session": False},
        )
    passed = {int(i) for i in judged.loc[~judged["outlier"].astype(bool), "observation_id"]}
    stored = set(session.execute(select(table.id).where(table.status == OUTLIER)).scalars())
    cleared = sorted(stored & passed)
    for start in range(0, len(cleared), CHUNK):
        session.execute(
            update(OBSERVATIONS)
            .where(table.id.in_(cleared[start : start + CHUNK]))
            .values(status=OK, judged_median=None)
        )
    return len(marks), len(cleared)


def flagged_observations_frame(session: Session) -> pd.DataFrame:
    """Return the observations marked duplicate or outlier, oldest first.

    Returns:
        observation_id, status, store, product, price, price_per, price_kind, observed_at,
        collector, source_url, duplicate_of, judged_median.
    """
    table, stores, products = OBSERVATIONS.c, STORES.c, PRODUCTS.c
    statement = (
        select(
            table.id, table.status, stores.code, products.name, table.price, table.price_per,
            table.price_kind, table.observed_at, table.collector, table.source_url,
            table.duplicate_of, table.judged_median,
        )
        .join(STORES, stores.id == table.store_id)
        .join(PRODUCTS, products.id == table.store_product_id)
        .where(table.status.in_(("duplicate", OUTLIER)))
        .order_by(table.id)
    )  # fmt: skip
    columns = ["observation_id", "status", "store", "product", "price", "price_per",
               "price_kind", "observed_at", "collector", "source_url", "duplicate_of",
               "judged_median"]  # fmt: skip
    return pd.DataFrame(session.execute(statement).all(), columns=columns)
