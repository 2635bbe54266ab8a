"""Readers of regions and stores, and which regions each store counts in."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from core.models import (
    Region,
    Store,
)
from core.queries.frames import read_frame


def regions_frame(session: Session) -> pd.DataFrame:
    """Return code, name (French), name_en (None: as the French), level, parent_code of each."""
    parent = Region.__table__.alias("parent")
    statement = (
        select(Region.code, Region.name, Region.name_en, Region.level, parent.c.code)
        .outerjoin(parent, parent.c.id == Region.parent_id)
        .order_by(Region.id)
    )
    return read_frame(session, statement, ["code", "name", "name_en", "level", "parent_code"])


def region_tree_frame(session: Session) -> pd.DataFrame:
    """Return region_id, code, name, level, parent_id (None at the top) of every region."""
    statement = select(Region.id, Region.code, Region.name, Region.level, Region.parent_id)
    frame = read_frame(session, statement, ["region_id", "code", "name", "level", "parent_id"])
    return frame.astype({"parent_id": "Int64"})


def stores_frame(session: Session) -> pd.DataFrame:
    """Return store_id, code, name, kind, region_id of every store."""
    statement = select(Store.id, Store.code, Store.name, Store.kind, Store.region_id)
    return read_frame(session, statement, ["store_id", "code", "name", "kind", "region_id"])


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
