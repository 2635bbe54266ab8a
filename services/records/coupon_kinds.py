"""Coupon kinds as shipped data (Olo's foods), each mapped to reference-basket items."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from sqlmodel import Session, select

from core.errors import N_, InvalidInput
from core.models import CouponKind, CouponKindItem

KINDS_FILE = resources.files("core") / "data" / "records" / "coupon_kinds.csv"
PHASES = ("prenatal", "postnatal")


@dataclass(frozen=True)
class KindItem:
    """What one coupon buys: a basket item and a quantity in that item's purchase unit."""

    item_code: str
    quantity: Decimal


@dataclass(frozen=True)
class Kind:
    """A coupon kind and the basket items it is valued from (none: left unvalued)."""

    id: int
    code: str
    name_fr: str
    name_en: str
    phase: str
    source: str
    items: list[KindItem]


def shipped_coupon_kinds() -> list[dict[str, str]]:
    """Return the rows of core/data/records/coupon_kinds.csv (one per kind and item)."""
    with KINDS_FILE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def ensure_coupon_kinds(session: Session) -> int:
    """Add the shipped coupon kinds that are missing, with their items; return how many.

    A kind already there is left as it is: an organisation may have adjusted it.
    """
    existing = set(session.exec(select(CouponKind.code)).all())
    added = 0
    for row in shipped_coupon_kinds():
        if row["code"] in existing:
            continue
        if row["phase"] not in PHASES:
            raise InvalidInput(
                N_("coupon kind %(code)s: phase %(phase)r unknown"),
                code=row["code"],
                phase=row["phase"],
            )
        # The note says how the kind maps to the basket; kept with the source it rests on.
        source = f"{row['source']} — {row['note']}" if row["note"] else row["source"]
        kind = CouponKind(
            code=row["code"],
            name_fr=row["name_fr"],
            name_en=row["name_en"],
            phase=row["phase"],
            source=source[:300],
        )
        session.add(kind)
        session.flush()
        existing.add(kind.code)
        added += 1
        if row["item_code"]:
            assert kind.id is not None
            session.add(
                CouponKindItem(
                    coupon_kind_id=kind.id,
                    item_code=row["item_code"],
                    quantity=Decimal(row["quantity"]),
                )
            )
    session.flush()
    return added


def coupon_kinds(session: Session) -> list[Kind]:
    """Return every coupon kind with its items, prenatal first, in the order they were added."""
    kinds = session.exec(select(CouponKind).order_by(CouponKind.id)).all()  # type: ignore[arg-type]
    items = session.exec(select(CouponKindItem).order_by(CouponKindItem.id)).all()  # type: ignore[arg-type]
    by_kind: dict[int, list[KindItem]] = {}
    for item in items:
        by_kind.setdefault(item.coupon_kind_id, []).append(
            KindItem(item.item_code, Decimal(item.quantity))
        )
    found = [
        Kind(
            id=kind.id,
            code=kind.code,
            name_fr=kind.name_fr,
            name_en=kind.name_en,
            phase=kind.phase,
            source=kind.source,
            items=by_kind.get(kind.id, []),
        )
        for kind in kinds
        if kind.id is not None
    ]
    return sorted(found, key=lambda k: PHASES.index(k.phase) if k.phase in PHASES else 2)


def kinds_by_code(session: Session) -> dict[str, Kind]:
    """Return the coupon kinds by code."""
    return {kind.code: kind for kind in coupon_kinds(session)}


def kind_named(kinds: dict[str, Kind], code: str) -> Kind:
    """Return the kind `code`, or raise InvalidInput listing the kinds there are."""
    if code not in kinds:
        known = ", ".join(kinds) or "none loaded: run `ppne db upgrade`"
        raise InvalidInput(N_("no coupon kind %(code)r (kinds: %(known)s)"), code=code, known=known)
    return kinds[code]
