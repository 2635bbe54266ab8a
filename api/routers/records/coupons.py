"""Olo coupons: kinds, weekly allocation, distributions valued at basket prices, budget."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from api.access import requires
from api.deps import SessionDep, SettingsDep
from api.errors import ERROR_RESPONSES
from services.access.actor import Actor
from services.access.roles import Permission
from services.protocol import costing_protocol
from services.records.client_budget import ClientBudget, client_budget
from services.records.coupon_distributions import (
    DistributionIn,
    DistributionOut,
    client_distributions,
    read_distribution,
    record_distribution,
)
from services.records.coupons import (
    AllocationIn,
    ClientAllocation,
    CouponKindOut,
    list_coupon_kinds,
    read_allocation,
    set_allocation,
)

router = APIRouter(prefix="/v1/records", tags=["records: coupons"], responses=ERROR_RESPONSES)
OnDay = Annotated[date | None, Query(description="The day (today when absent)")]


@router.get("/coupon-kinds")
def coupon_kinds(
    session: SessionDep, actor: Annotated[Actor, requires(Permission.CLIENTS_READ)]
) -> list[CouponKindOut]:
    """The coupon kinds and the basket items each is valued from."""
    return list_coupon_kinds(session)


@router.get("/clients/{client_id}/allocation")
def get_allocation(
    client_id: int,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.CLIENTS_READ)],
    on: OnDay = None,
) -> ClientAllocation:
    """Her weekly allocation in force on a day, and its history."""
    return read_allocation(session, actor, client_id, on)


@router.put("/clients/{client_id}/allocation")
def put_allocation(
    client_id: int,
    change: AllocationIn,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.COUPONS_ALLOCATE)],
) -> ClientAllocation:
    """Set or adjust her weekly allocation from a date; the previous one is closed, kept."""
    return set_allocation(session, actor, client_id, change)


@router.post("/clients/{client_id}/distributions", status_code=201)
def post_distribution(
    client_id: int,
    given: DistributionIn,
    session: SessionDep,
    settings: SettingsDep,
    actor: Annotated[Actor, requires(Permission.COUPONS_DISTRIBUTE)],
) -> DistributionOut:
    """Record coupons handed to her, valued at her territory's basket prices."""
    minimum = costing_protocol(settings).minimum_stores
    return record_distribution(session, actor, client_id, given, minimum_stores=minimum)


@router.get("/clients/{client_id}/distributions")
def get_distributions(
    client_id: int,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.CLIENTS_READ)],
) -> list[DistributionOut]:
    """Her distributions, newest first."""
    return client_distributions(session, actor, client_id)


@router.get("/distributions/{distribution_id}")
def get_distribution(
    distribution_id: int,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.CLIENTS_READ)],
) -> DistributionOut:
    """One distribution and its value."""
    return read_distribution(session, actor, distribution_id)


@router.get("/clients/{client_id}/budget")
def get_budget(
    client_id: int,
    session: SessionDep,
    settings: SettingsDep,
    actor: Annotated[Actor, requires(Permission.FINANCES_READ)],
    on: OnDay = None,
) -> ClientBudget:
    """Her household's basket against her income and rent, and what her coupons cover.

    Needs her consent to services in force (403 saying consent is missing otherwise).
    """
    return client_budget(session, actor, client_id, costing_protocol(settings), on)
