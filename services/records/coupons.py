"""Coupon kinds as the API lists them, and a client's weekly allocation set by her dietitian."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlmodel import Session, or_, select

from core.errors import N_, InvalidInput
from core.models import CouponAllocation
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.coupon_kinds import Kind, coupon_kinds, kind_named, kinds_by_code
from services.records.scope import client_for


class KindItemOut(BaseModel):
    """A basket item a coupon buys, in the item's purchase unit."""

    item_code: str
    quantity: Decimal


class CouponKindOut(BaseModel):
    """A coupon kind, what it buys in basket items, and the source of that mapping."""

    code: str
    name_fr: str
    name_en: str
    phase: str
    items: list[KindItemOut] = Field(description="Empty: the kind is left unvalued")
    source: str


class AllocationLineIn(BaseModel):
    """How many coupons of a kind a week (0 ends the allocation of that kind)."""

    kind: str = Field(examples=["milk_4l"])
    per_week: int = Field(ge=0, le=100)


class AllocationIn(BaseModel):
    """A dietitian's allocation, from a date, for the kinds named (others are left as they are)."""

    starts_on: date
    ends_on: date | None = None
    reason: str | None = Field(default=None, max_length=300)
    lines: list[AllocationLineIn] = Field(min_length=1)


class AllocationOut(BaseModel):
    """One allocation of a kind over a span of dates."""

    allocation_id: int
    kind: str
    name_fr: str
    per_week: int
    starts_on: date
    ends_on: date | None
    reason: str | None
    set_by_id: int | None
    set_at: datetime


class ClientAllocation(BaseModel):
    """A client's allocation in force on a day, and every allocation she has had."""

    client_id: int
    on: date
    current: list[AllocationOut]
    history: list[AllocationOut]


def list_coupon_kinds(session: Session) -> list[CouponKindOut]:
    """Return every coupon kind with the basket items it is valued from."""
    return [
        CouponKindOut(
            code=kind.code,
            name_fr=kind.name_fr,
            name_en=kind.name_en,
            phase=kind.phase,
            items=[KindItemOut(item_code=i.item_code, quantity=i.quantity) for i in kind.items],
            source=kind.source,
        )
        for kind in coupon_kinds(session)
    ]


def _allocations(session: Session, client_id: int) -> list[CouponAllocation]:
    return list(
        session.exec(
            select(CouponAllocation)
            .where(CouponAllocation.client_id == client_id)
            .order_by(CouponAllocation.starts_on, CouponAllocation.id)  # type: ignore[arg-type]
        ).all()
    )


def _allocation_answer(
    client_id: int, rows: list[CouponAllocation], kinds: dict[int, Kind], on: date
) -> ClientAllocation:
    answers = [
        AllocationOut(
            allocation_id=row.id,
            kind=kinds[row.coupon_kind_id].code,
            name_fr=kinds[row.coupon_kind_id].name_fr,
            per_week=row.per_week,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            reason=row.reason,
            set_by_id=row.set_by_id,
            set_at=row.set_at,
        )
        for row in rows
    ]
    current = [a for a in answers if a.starts_on <= on and (a.ends_on is None or a.ends_on >= on)]
    return ClientAllocation(client_id=client_id, on=on, current=current, history=answers)


def in_force(session: Session, client_id: int, on: date) -> list[CouponAllocation]:
    """Return a client's allocations in force on a day."""
    return [
        row
        for row in _allocations(session, client_id)
        if row.starts_on <= on and (row.ends_on is None or row.ends_on >= on)
    ]


def read_allocation(
    session: Session, actor: Actor, client_id: int, on: date | None = None
) -> ClientAllocation:
    """Return a client's allocation in force on a day (today by default) and its history."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_READ)
    audit(session, actor, "read", "coupon_allocation", client=client)
    session.commit()
    kinds = {kind.id: kind for kind in coupon_kinds(session)}
    return _allocation_answer(
        client_id, _allocations(session, client_id), kinds, on or date.today()
    )


def set_allocation(
    session: Session, actor: Actor, client_id: int, change: AllocationIn
) -> ClientAllocation:
    """Set or adjust a client's weekly allocation of the kinds named, from `starts_on`.

    The allocation of a kind in force (or starting later but open) is closed the day before;
    a new one is opened unless per_week is 0. History is kept: nothing is deleted.

    Raises:
        InvalidInput: an unknown or repeated kind, dates in the wrong order, or an allocation
            that already starts after `starts_on`.
    """
    client = client_for(session, actor, client_id, Permission.COUPONS_ALLOCATE)
    if change.ends_on is not None and change.ends_on < change.starts_on:
        raise InvalidInput(N_("ends_on is before starts_on"))
    kinds = kinds_by_code(session)
    codes = [line.kind for line in change.lines]
    if len(set(codes)) != len(codes):
        raise InvalidInput(N_("each coupon kind may appear once in an allocation"))
    opened = []
    # Every kind is checked before anything is closed.
    chosen = [kind_named(kinds, line.kind) for line in change.lines]
    for line, kind in zip(change.lines, chosen, strict=True):
        _close_open(session, client_id, kind, change.starts_on)
        if line.per_week:
            row = CouponAllocation(
                client_id=client_id,
                coupon_kind_id=kind.id,
                per_week=line.per_week,
                starts_on=change.starts_on,
                ends_on=change.ends_on,
                set_by_id=actor.user_id,
                reason=change.reason,
            )
            session.add(row)
            opened.append(row)
    session.flush()
    detail = ", ".join(f"{line.kind}={line.per_week}/week" for line in change.lines)
    audit(
        session,
        actor,
        "update",
        "coupon_allocation",
        record_id=opened[0].id if opened else None,
        client=client,
        detail=f"from {change.starts_on}: {detail}",
    )
    session.commit()
    by_id = {kind.id: kind for kind in kinds.values()}
    return _allocation_answer(client_id, _allocations(session, client_id), by_id, change.starts_on)


def _close_open(session: Session, client_id: int, kind: Kind, starts_on: date) -> None:
    """Close the allocations of a kind still open on `starts_on`: they end the day before."""
    still_open = session.exec(
        select(CouponAllocation).where(
            CouponAllocation.client_id == client_id,
            CouponAllocation.coupon_kind_id == kind.id,
            or_(
                CouponAllocation.ends_on.is_(None),  # type: ignore[union-attr]
                CouponAllocation.ends_on >= starts_on,  # type: ignore[operator]
            ),
        )
    ).all()
    for row in still_open:
        if row.starts_on > starts_on:
            raise InvalidInput(
                N_(
                    "the allocation of %(kind_code)s starting on %(existing)s is after "
                    "%(starts_on)s: adjust from %(existing)s or later"
                ),
                kind_code=kind.code,
                existing=row.starts_on,
                starts_on=starts_on,
            )
        # Same day: the old one ends the day before it starts, i.e. it never took effect.
        row.ends_on = starts_on - timedelta(days=1)
        session.add(row)
