"""Store basket definitions (versions, items, groups, weekly quantities) in the database."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import pandas as pd
from sqlmodel import Session, select

from core.errors import InvalidInput
from core.models import AgeSexGroup, BasketItem, BasketVersion, WeeklyQuantity
from core.reference_data import BasketDefinition, load_reference_basket

REFERENCE_VERSION_CODE = "reference-cfg2007-v1"
REFERENCE_VERSION_NAME = "Reference basket derived from Canada's Food Guide (2007)"
REFERENCE_SOURCE = (
    "Derived by the ppne project from Health Canada, Eating Well with Canada's Food Guide "
    "(2007), HC Pub. 3426: servings per day and serving sizes, with documented shares, "
    "yields and conversions (docs/reference_basket.md). Not Alima's official PPNE list."
)


def _is_missing(value: object) -> bool:
    """Return whether a cell read by pandas is empty (None, NaN, NA or "")."""
    if value is None or value is pd.NA or value == "":
        return True
    return isinstance(value, float) and math.isnan(value)


def _decimal(value: object) -> Decimal | None:
    """Return a quantity as a Decimal with at most 4 places, or None when missing."""
    if _is_missing(value):
        return None
    return Decimal(str(round(float(str(value)), 4)))


def _required_decimal(value: object, where: str) -> Decimal:
    amount = _decimal(value)
    if amount is None:
        raise InvalidInput(f"{where}: missing value")
    return amount


def _text(value: object) -> str:
    return "" if _is_missing(value) else str(value)


def _upsert_groups(session: Session, groups: pd.DataFrame) -> dict[str, AgeSexGroup]:
    """Insert groups by code, or update the stored ones to the given description."""
    existing = {group.code: group for group in session.exec(select(AgeSexGroup))}
    by_code: dict[str, AgeSexGroup] = {}
    for row in groups.to_dict("records"):
        code = str(row["code"])
        age_max = None if pd.isna(row["age_max"]) else int(row["age_max"])
        group = existing.get(code) or AgeSexGroup(
            code=code, sex="A", age_min=0, label_fr="", label_en=""
        )
        group.sex = str(row["sex"])
        group.age_min = int(row["age_min"])
        group.age_max = age_max
        group.state = str(row["state"])
        group.label_fr = str(row["label_fr"])
        group.label_en = str(row["label_en"])
        session.add(group)
        by_code[code] = group
    session.flush()
    return by_code


def save_definition(
    session: Session,
    definition: BasketDefinition,
    code: str,
    name: str,
    source: str,
    effective_from: date | None = None,
) -> BasketVersion:
    """Store a basket definition as a new version; return the stored one if the code exists.

    The caller owns the transaction: rows are flushed, not committed.
    """
    stored = session.exec(select(BasketVersion).where(BasketVersion.code == code)).first()
    if stored is not None:
        return stored
    version = BasketVersion(code=code, name=name, source=source, effective_from=effective_from)
    session.add(version)
    session.flush()
    assert version.id is not None  # set by the flush
    items: dict[str, BasketItem] = {}
    for row in definition.items.to_dict("records"):
        item = BasketItem(
            version_id=version.id,
            code=str(row["code"]),
            name_fr=str(row["name_fr"]),
            name_en=str(row["name_en"]),
            category=str(row["category"]),
            purchase_size=_required_decimal(
                row["purchase_size"], f"item {row['code']!r}, column purchase_size"
            ),
            purchase_unit=str(row["purchase_unit"]),
            keywords=_text(row.get("keywords")),
            excluded_words=_text(row.get("excluded_words")),
            size_min=_decimal(row.get("size_min")),
            size_max=_decimal(row.get("size_max")),
        )
        session.add(item)
        items[item.code] = item
    groups = _upsert_groups(session, definition.groups)
    session.flush()
    for row in definition.quantities.to_dict("records"):
        item_code, group_code = str(row["item_code"]), str(row["group_code"])
        if item_code not in items or group_code not in groups:
            raise InvalidInput(
                f"quantity for item {item_code!r}, group {group_code!r}: unknown item or group"
            )
        item_id, group_id = items[item_code].id, groups[group_code].id
        assert item_id is not None and group_id is not None
        session.add(
            WeeklyQuantity(
                item_id=item_id,
                group_id=group_id,
                amount=_required_decimal(
                    row["weekly_amount"],
                    f"item {item_code!r}, group {group_code!r}, column weekly_amount",
                ),
            )
        )
    session.flush()
    return version


def ensure_reference_basket(session: Session) -> BasketVersion:
    """Store the shipped reference basket under REFERENCE_VERSION_CODE unless already stored."""
    return save_definition(
        session,
        load_reference_basket(),
        code=REFERENCE_VERSION_CODE,
        name=REFERENCE_VERSION_NAME,
        source=REFERENCE_SOURCE,
    )
