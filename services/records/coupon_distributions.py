"""Coupons handed to a client, each line valued at her territory's basket prices then."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlmodel import Session, select

from basket.protocol import NFB
from core.models import Client, Distribution, DistributionLine, Organisation, Program, Region
from services.access.actor import Actor
from services.access.organisations import program_by_code
from services.access.roles import Permission
from services.records.audit import audit
from services.records.coupon_kinds import coupon_kinds, kind_named, kinds_by_code
from services.records.coupon_values import (
    cents,
    item_prices,
    kind_value,
    line_value,
    money_display,
    pricing_basis,
    pricing_region,
    region_source,
    stored_unit_value,
    sum_known,
    weakest,
)
from services.records.scope import client_for, client_record_for


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
    assert program.id is not None
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
        region_source=region_source(session, client, distribution.region_id),
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
    distribution, client = client_record_for(
        session, actor, Distribution, distribution_id, Permission.CLIENTS_READ, "distribution"
    )
    audit(session, actor, "read", "distribution", record_id=distribution_id, client=client)
    session.commit()
    return _distribution_answer(session, client, distribution)
