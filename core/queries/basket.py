"""Readers of basket definitions: versions, items, age-sex groups and weekly quantities."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from core.basket_versions import version_covers, versions_in_effect
from core.errors import NoData
from core.models import (
    AgeSexGroup,
    BasketItem,
    BasketVersion,
    WeeklyQuantity,
)
from core.queries.frames import read_frame


def latest_version(session: Session, version_code: str | None = None) -> BasketVersion:
    """Return the basket version with this code, or the newest one."""

    statement = select(BasketVersion)
    if version_code:
        statement = statement.where(BasketVersion.code == version_code)
    version = session.execute(statement.order_by(BasketVersion.id.desc())).scalars().first()
    if version is None:
        raise NoData("no basket definition loaded: run `ppne db upgrade` first")
    return version


def version_for_period(session: Session, period: str) -> BasketVersion:
    """Return the basket version in effect for a period (month or quarter).

    Raises:
        NoData: no basket is loaded, or none is in effect for the period.
    """
    versions = versions_in_effect(session)
    if not versions:
        latest_version(session)  # raises NoData with the advice to run db upgrade
    for version in versions:
        if version_covers(version, period):
            return version
    raise NoData(f"no basket version is in effect for {period}")


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
    frame = read_frame(session, statement, columns)
    for column in ("purchase_size", "size_min", "size_max"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def basket_item_names_frame(session: Session, version_id: int) -> pd.DataFrame:
    """Return item_id, code, name_fr, name_en of a basket version's items."""
    statement = select(
        BasketItem.id, BasketItem.code, BasketItem.name_fr, BasketItem.name_en
    ).where(BasketItem.version_id == version_id)
    return read_frame(session, statement, ["item_id", "code", "name_fr", "name_en"])


def item_categories_frame(session: Session, version_id: int) -> pd.DataFrame:
    """Return item_id, code, name_en, category of a basket version's items."""
    statement = select(
        BasketItem.id, BasketItem.code, BasketItem.name_en, BasketItem.category
    ).where(BasketItem.version_id == version_id)
    return read_frame(session, statement, ["item_id", "code", "name_en", "category"])


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
    frame = read_frame(
        session, statement, ["item_id", "group_code", "weekly_amount", "purchase_size"]
    )
    for column in ("weekly_amount", "purchase_size"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame


def age_sex_groups_frame(session: Session) -> pd.DataFrame:
    """Return code, sex, age_min, age_max (NaN: no limit), state of every age-sex group."""
    statement = select(
        AgeSexGroup.code,
        AgeSexGroup.sex,
        AgeSexGroup.age_min,
        AgeSexGroup.age_max,
        AgeSexGroup.state,
    )
    frame = read_frame(session, statement, ["code", "sex", "age_min", "age_max", "state"])
    return frame.astype({"age_max": "float64"})
