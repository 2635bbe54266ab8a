"""A consenting client's budget: her household's basket, her income and rent, her coupons."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import pandas as pd
from pydantic import BaseModel, Field
from sqlmodel import Session, select

from basket.affordability import affordability_table
from basket.presets import convert
from basket.protocol import NFB, CostingProtocol
from core.errors import N_, Forbidden, InvalidInput, NoData, NotFound
from core.models import Client, Pregnancy
from core.money import to_money
from services.access.actor import Actor
from services.access.roles import Permission
from services.households import HouseholdCost, household_cost
from services.records.audit import audit
from services.records.consents import active_consent
from services.records.coupon_kinds import coupon_kinds
from services.records.coupon_values import (
    cents,
    item_prices,
    kind_value,
    money_display,
    pricing_basis,
    pricing_region,
    weakest,
)
from services.records.coupons import in_force
from services.records.scope import client_for


class AllocationValue(BaseModel):
    """One kind of her allocation in force, and its weekly value at the budget's prices."""

    kind: str
    name_fr: str
    per_week: int
    unit_value: Decimal | None
    weekly_value: Decimal | None
    weekly_display: str | None
    price_status: str


class ClientBudget(BaseModel):
    """Her household's basket cost against the income and rent she gave, and her coupons.

    Money as "12.34" with a "12,34 $" display; shares in %; None where a figure cannot be
    had, and `notes` says why.
    """

    client_id: int
    on: date
    region: str
    region_source: str = Field(description="territory (the client's) or default (her org's)")
    period: str | None
    basket_version: str | None
    members: str | None
    pregnant_member: int | None = Field(description="Her place in `members`, if pregnant")
    groups: list[str] = Field(description="Age-sex group of each member")
    weekly_food: Decimal | None
    monthly_food: Decimal | None
    monthly_food_display: str | None
    monthly_income: Decimal | None
    monthly_rent: Decimal | None
    money_left: Decimal | None
    money_left_display: str | None
    rent_pct_income: float | None
    food_pct_income: float | None
    coupons_weekly: Decimal | None
    coupons_monthly: Decimal | None
    coupons_monthly_display: str | None
    coupons_pct_food: float | None = Field(description="Share of the monthly food cost covered")
    coupons_price_status: str
    allocation: list[AllocationValue]
    notes: list[str]


def pregnant_member(session: Session, client: Client, on: date) -> int | None:
    """Return her place among the household's members if a pregnancy of hers is ongoing.

    `household_members` carries no state (the `--members` format); the pregnancy comes from
    her Pregnancy record, and she is the first woman of her age (or the first woman).
    """
    ongoing = session.exec(
        select(Pregnancy).where(
            Pregnancy.client_id == client.id,
            Pregnancy.outcome.is_(None),  # type: ignore[union-attr]
            Pregnancy.outcome_on.is_(None),  # type: ignore[union-attr]
        )
    ).first()
    if ongoing is None or not client.household_members:
        return None
    women = [
        (number, part.strip().upper())
        for number, part in enumerate(
            filter(None, (p.strip() for p in client.household_members.split(","))), 1
        )
        if part.strip().upper().startswith("F:")
    ]
    if not women:
        return None
    if client.birth_date is not None:
        born = client.birth_date
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        for number, part in women:
            if part == f"F:{age}":
                return number
    return women[0][0]


def client_budget(
    session: Session,
    actor: Actor,
    client_id: int,
    protocol: CostingProtocol = NFB,
    on: date | None = None,
) -> ClientBudget:
    """Return her household's basket cost, money left, and the share her coupons cover.

    Money left and shares of income are basket.affordability's, the household cost
    services.households'; her coupons are valued at the same region and period.

    Raises:
        Forbidden: her role does not allow finances, or she has no `services` consent in force.
        NotFound: another organisation's client, or none.
    """
    on = on or date.today()
    client = client_for(session, actor, client_id, Permission.FINANCES_READ)
    if active_consent(session, client_id, "services", on=on) is None:
        audit(session, actor, "refuse", "client_budget", client=client, detail="no consent")
        session.commit()
        raise Forbidden(
            N_("client %(client_id)s has no consent to services in force: consent missing"),
            client_id=client_id,
        )
    notes: list[str] = []
    region, source = pricing_region(session, client)
    if source == "default":
        notes.append(f"no territory recorded: priced in {region.code}, her organisation's region")
    pregnant = pregnant_member(session, client, on)
    cost = _household(session, protocol, client, region.code, pregnant, notes)
    basis = pricing_basis(
        session, region, source, on.strftime("%Y-%m"), period=cost.period if cost else None
    )
    prices = item_prices(session, basis)
    kinds = {kind.id: kind for kind in coupon_kinds(session)}
    allocation = []
    for row in in_force(session, client_id, on):
        kind = kinds[row.coupon_kind_id]
        worth = kind_value(kind, prices, protocol.minimum_stores)
        weekly = None if worth.unit_value is None else worth.unit_value * row.per_week
        if worth.reason:
            notes.append(f"{kind.code} has no value: {worth.reason}")
        allocation.append(
            AllocationValue(
                kind=kind.code,
                name_fr=kind.name_fr,
                per_week=row.per_week,
                unit_value=cents(worth.unit_value),
                weekly_value=cents(weekly),
                weekly_display=money_display(cents(weekly)),
                price_status=worth.status,
            )
        )
    known = [Decimal(a.weekly_value) for a in allocation if a.weekly_value is not None]
    coupons_weekly = sum(known, Decimal(0)) if known else None
    coupons_monthly = (
        to_money(convert(float(coupons_weekly), "weekly", 1, protocol.preset)["monthly"])
        if coupons_weekly is not None
        else None
    )
    monthly_food = cost.figures.monthly if cost else None
    shares = _affordability(client, monthly_food, notes)
    covered = (
        round(float(coupons_monthly) / float(monthly_food) * 100, 2)
        if coupons_monthly is not None and monthly_food
        else None
    )
    audit(session, actor, "read", "client_budget", client=client)
    session.commit()
    return ClientBudget(
        client_id=client_id,
        on=on,
        region=region.code,
        region_source=source,
        period=basis.period,
        basket_version=cost.basket_version if cost else basis.version_code,
        members=client.household_members,
        pregnant_member=pregnant,
        groups=cost.members if cost else [],
        weekly_food=cost.figures.weekly if cost else None,
        monthly_food=monthly_food,
        monthly_food_display=money_display(monthly_food),
        monthly_income=cents(_decimal(client.monthly_income)),
        monthly_rent=cents(_decimal(client.monthly_rent)),
        money_left=shares["money_left"],
        money_left_display=money_display(shares["money_left"]),
        rent_pct_income=shares["rent_pct_income"],
        food_pct_income=shares["food_pct_income"],
        coupons_weekly=cents(coupons_weekly),
        coupons_monthly=coupons_monthly,
        coupons_monthly_display=money_display(coupons_monthly),
        coupons_pct_food=covered,
        coupons_price_status=weakest(a.price_status for a in allocation)
        if allocation
        else "missing",
        allocation=allocation,
        notes=notes,
    )


def _household(
    session: Session,
    protocol: CostingProtocol,
    client: Client,
    region: str,
    pregnant: int | None,
    notes: list[str],
) -> HouseholdCost | None:
    """Her household's cost, or None with a note saying why it cannot be had."""
    if not client.household_members:
        notes.append("household not recorded: no basket cost")
        return None
    try:
        return household_cost(
            session,
            protocol,
            client.household_members,
            region,
            preset=protocol.preset,
            pregnant=[pregnant] if pregnant else (),
        )
    except (InvalidInput, NoData, NotFound) as error:
        notes.append(f"no basket cost: {error}")
        return None


def _affordability(client: Client, monthly_food: Decimal | None, notes: list[str]) -> dict:
    """Money left and rent and food as % of income, as basket.affordability computes them."""
    empty = {"money_left": None, "rent_pct_income": None, "food_pct_income": None}
    if client.monthly_income is None:
        notes.append("income not given: no money left nor shares of income")
        return empty
    if client.monthly_rent is None:
        notes.append("rent not given: no money left nor rent share")
    scenario = pd.DataFrame(
        {
            "scenario": ["client"],
            "members": [client.household_members or ""],
            "monthly_income": [float(client.monthly_income)],
            "monthly_rent": [_float(client.monthly_rent)],
        }
    )
    food = pd.Series([_float(monthly_food)])
    row = affordability_table(scenario, food).iloc[0]
    left = row["money_left"]
    return {
        "money_left": None if math.isnan(left) else to_money(left),
        "rent_pct_income": _percent(row["rent_pct_income"]),
        "food_pct_income": _percent(row["food_pct_income"]),
    }


def _float(value: Decimal | None) -> float:
    return math.nan if value is None else float(value)


def _decimal(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _percent(value: float) -> float | None:
    return None if math.isnan(value) else round(float(value), 2)
