"""A client's coupons: the dietitian's weekly allocation, and coupons handed out, priced."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlmodel import Session, or_, select

from basket.protocol import NFB
from core.errors import InvalidInput, NotFound
from core.models import (
    Client,
    CouponAllocation,
    Distribution,
    DistributionLine,
    Organisation,
    Program,
    Region,
)
from services.access.actor import Actor
from services.access.organisations import program_by_code
from services.access.roles import Permission
from services.records.audit import audit
from services.records.coupon_kinds import Kind, coupon_kinds, kind_named, kinds_by_code
from services.records.coupon_values import (
    cents,
    item_prices,
    kind_value,
    line_value,
    money_display,
    pricing_basis,
    pricing_region,
    stored_unit_value,
    sum_known,
    weakest,
)
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


class DistributionLineIn(BaseModel):
    """Coupons of one kind handed out, with their serial numbers if they carry any."""

    kind: str = Field(examples=["eggs_dozen"])
    count: int = Field(gt=0, le=1000)
    serials: str | None = Field(default=None, max_length=500)


class DistributionIn(BaseModel):
    """Coupons handed to a client on a day, under one program of her organisation."""

    program: str = Field(examples=["prenatal"], description="Program code")
    distributed_on: date | None = Field(default=None, description="Today when absent")
    lines: list[DistributionLineIn] = Field(min_length=1)


class DistributionLineOut(BaseModel):
    """One kind in a distribution and its value; money as "12.34" and as "12,34 $"."""

    kind: str
    name_fr: str
    count: int
    serials: str | None
    unit_value: Decimal | None
    unit_value_display: str | None
    value: Decimal | None
    value_display: str | None
    price_status: str = Field(description="observed, few_stores, imputed or missing")
    reason: str | None = Field(description="Why there is no value, when there is none")


class DistributionOut(BaseModel):
    """A distribution, valued at the basket prices of a region and period."""

    distribution_id: int
    client_id: int
    program: str
    distributed_on: date
    region: str | None
    region_source: str = Field(description="territory (the client's) or default (her org's)")
    period: str | None
    basket_version_id: int | None
    total_value: Decimal | None = Field(description="Sum of the lines with a value")
    total_display: str | None
    price_status: str = Field(description="The weakest status of its lines")
    lines: list[DistributionLineOut]


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
        raise InvalidInput("ends_on is before starts_on")
    kinds = kinds_by_code(session)
    codes = [line.kind for line in change.lines]
    if len(set(codes)) != len(codes):
        raise InvalidInput("each coupon kind may appear once in an allocation")
    opened = []
    for line in change.lines:
        kind = kind_named(kinds, line.kind)
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
                f"the allocation of {kind.code} starting on {row.starts_on} is after "
                f"{starts_on}: adjust from {row.starts_on} or later"
            )
        # Same day: the old one ends the day before it starts, i.e. it never took effect.
        row.ends_on = starts_on - timedelta(days=1)
        session.add(row)


def record_distribution(
    session: Session,
    actor: Actor,
    client_id: int,
    given: DistributionIn,
    minimum_stores: int = NFB.minimum_stores,
) -> DistributionOut:
    """Record coupons handed to a client, valued at her territory's basket prices then.

    The region is her territory, or her organisation's default region; the period is the
    latest at or before the distribution's month with prices, of the basket version in
    effect. A coupon with no price has no value (None), never 0.

    Args:
        minimum_stores: fewest stores an observed price needs not to be "few_stores"
            (the deployment's costing protocol).
    """
    client = client_for(session, actor, client_id, Permission.COUPONS_DISTRIBUTE)
    organisation = session.get(Organisation, client.organisation_id)
    assert organisation is not None
    program = program_by_code(session, organisation, given.program)
    kinds = kinds_by_code(session)
    chosen = [kind_named(kinds, line.kind) for line in given.lines]
    on = given.distributed_on or date.today()
    region, source = pricing_region(session, client)
    basis = pricing_basis(session, region, source, on.strftime("%Y-%m"))
    prices = item_prices(session, basis)
    distribution = Distribution(
        client_id=client_id,
        program_id=program.id,
        distributed_on=on,
        staff_id=actor.user_id,
        region_id=basis.region_id,
        period=basis.period,
        basket_version_id=basis.version_id,
    )
    session.add(distribution)
    session.flush()
    assert distribution.id is not None
    lines = []
    for line, kind in zip(given.lines, chosen, strict=True):
        worth = kind_value(kind, prices, minimum_stores)
        row = DistributionLine(
            distribution_id=distribution.id,
            coupon_kind_id=kind.id,
            count=line.count,
            serials=line.serials,
            unit_value=stored_unit_value(worth.unit_value),
            value=line_value(worth.unit_value, line.count),
            price_status=worth.status,
        )
        session.add(row)
        lines.append(row)
    distribution.total_value = sum_known(row.value for row in lines)
    distribution.price_status = weakest(row.price_status for row in lines)
    session.add(distribution)
    session.flush()
    audit(session, actor, "create", "distribution", record_id=distribution.id, client=client)
    session.commit()
    return _distribution_answer(session, client, distribution)


def _distribution_answer(
    session: Session, client: Client, distribution: Distribution
) -> DistributionOut:
    kinds = {kind.id: kind for kind in coupon_kinds(session)}
    program = session.get(Program, distribution.program_id)
    region = session.get(Region, distribution.region_id) if distribution.region_id else None
    rows = session.exec(
        select(DistributionLine)
        .where(DistributionLine.distribution_id == distribution.id)
        .order_by(DistributionLine.id)  # type: ignore[arg-type]
    ).all()
    lines = []
    for row in rows:
        kind = kinds[row.coupon_kind_id]
        unit = cents(Decimal(row.unit_value)) if row.unit_value is not None else None
        value = Decimal(row.value) if row.value is not None else None
        reason = None
        if row.price_status == "missing":
            reason = (
                "no basket item for this coupon kind"
                if not kind.items
                else f"no price in {distribution.period or 'any period'} for "
                + ", ".join(i.item_code for i in kind.items)
            )
        lines.append(
            DistributionLineOut(
                kind=kind.code,
                name_fr=kind.name_fr,
                count=row.count,
                serials=row.serials,
                unit_value=unit,
                unit_value_display=money_display(unit),
                value=cents(value),
                value_display=money_display(value),
                price_status=row.price_status,
                reason=reason,
            )
        )
    total = Decimal(distribution.total_value) if distribution.total_value is not None else None
    assert distribution.id is not None
    return DistributionOut(
        distribution_id=distribution.id,
        client_id=distribution.client_id,
        program=program.code if program else "",
        distributed_on=distribution.distributed_on,
        region=region.code if region else None,
        region_source="territory"
        if client.territory_id is not None and client.territory_id == distribution.region_id
        else "default",
        period=distribution.period,
        basket_version_id=distribution.basket_version_id,
        total_value=cents(total),
        total_display=money_display(total),
        price_status=distribution.price_status,
        lines=lines,
    )


def client_distributions(session: Session, actor: Actor, client_id: int) -> list[DistributionOut]:
    """Return a client's distributions, newest first."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_READ)
    rows = session.exec(
        select(Distribution)
        .where(Distribution.client_id == client_id)
        .order_by(Distribution.distributed_on.desc(), Distribution.id.desc())  # type: ignore[attr-defined,union-attr]
    ).all()
    audit(session, actor, "read", "distribution", client=client, detail=f"list of {len(rows)}")
    session.commit()
    return [_distribution_answer(session, client, row) for row in rows]


def read_distribution(session: Session, actor: Actor, distribution_id: int) -> DistributionOut:
    """Return one distribution; another organisation's answers NotFound, as a missing one."""
    distribution = session.get(Distribution, distribution_id)
    if distribution is None:
        raise NotFound(f"no distribution {distribution_id}")
    try:
        client = client_for(session, actor, distribution.client_id, Permission.CLIENTS_READ)
    except NotFound:
        raise NotFound(f"no distribution {distribution_id}") from None
    audit(session, actor, "read", "distribution", record_id=distribution_id, client=client)
    session.commit()
    return _distribution_answer(session, client, distribution)
