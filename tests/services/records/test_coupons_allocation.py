"""A dietitian's weekly allocation: set, adjusted with history kept, one audit row per write."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
import records_factories
from sqlmodel import Session, select

from core.db import session_scope
from core.errors import Forbidden, InvalidInput, NotFound
from core.models import AuditEvent, CouponAllocation, User
from services.access.actor import Actor, Grant
from services.access.roles import Role
from services.records.coupon_kinds import ensure_coupon_kinds
from services.records.coupons import (
    AllocationIn,
    AllocationLineIn,
    read_allocation,
    set_allocation,
)

_numbers = itertools.count(1)


def actor_of(session: Session, role: Role = Role.DIETITIAN, org: str = "alima") -> Actor:
    """An actor with one role, and a user row behind her (staff ids are foreign keys)."""
    organisation = records_factories.organisation(session, org)
    user = User(email=f"{role.value}-{next(_numbers)}@{org}.test", password_hash="-")
    session.add(user)
    session.flush()
    assert organisation.id is not None and user.id is not None
    return Actor(user.id, user.email, (Grant(organisation.id, role),), "test")


def change(starts_on: date, reason: str | None = None, **per_week: int) -> AllocationIn:
    lines = [AllocationLineIn(kind=k, per_week=n) for k, n in per_week.items()]
    return AllocationIn(starts_on=starts_on, reason=reason, lines=lines)


def client_id(session: Session) -> int:
    ensure_coupon_kinds(session)
    client = records_factories.make_client(session)
    session.commit()
    assert client.id is not None
    return client.id


def test_adjusting_closes_the_previous_allocation_and_keeps_it(db_url: str) -> None:
    with session_scope(db_url) as session:
        cid = client_id(session)
        dietitian = actor_of(session)
        first = set_allocation(
            session, dietitian, cid, change(date(2026, 3, 1), "intake", milk_4l=2, eggs_dozen=1)
        )
        assert {(a.kind, a.per_week) for a in first.current} == {("milk_4l", 2), ("eggs_dozen", 1)}
        adjusted = set_allocation(
            session, dietitian, cid, change(date(2026, 4, 1), "prices rose", milk_4l=3)
        )
        rows = session.exec(select(CouponAllocation)).all()
        in_march = read_allocation(session, dietitian, cid, date(2026, 3, 15))
        audits = session.exec(select(AuditEvent).where(AuditEvent.client_id == cid)).all()
    milk = sorted((r for r in rows if r.per_week in (2, 3)), key=lambda r: r.starts_on)
    assert [(r.per_week, r.starts_on, r.ends_on) for r in milk] == [
        (2, date(2026, 3, 1), date(2026, 3, 31)),
        (3, date(2026, 4, 1), None),
    ]
    assert milk[1].reason == "prices rose" and milk[1].set_by_id == dietitian.user_id
    # Eggs were not named: left as they were.
    assert {(a.kind, a.per_week) for a in adjusted.current} == {("milk_4l", 3), ("eggs_dozen", 1)}
    assert len(adjusted.history) == 3
    assert {(a.kind, a.per_week) for a in in_march.current} == {("milk_4l", 2), ("eggs_dozen", 1)}
    assert [(a.action, a.record_type) for a in audits] == [
        ("update", "coupon_allocation"),
        ("update", "coupon_allocation"),
        ("read", "coupon_allocation"),
    ]


def test_zero_ends_a_kind_and_a_same_day_correction_supersedes(db_url: str) -> None:
    with session_scope(db_url) as session:
        cid = client_id(session)
        dietitian = actor_of(session)
        set_allocation(session, dietitian, cid, change(date(2026, 3, 1), tofu=2))
        corrected = set_allocation(session, dietitian, cid, change(date(2026, 3, 1), tofu=1))
        assert [(a.per_week, a.ends_on) for a in corrected.history] == [
            (2, date(2026, 2, 28)),
            (1, None),
        ]
        ended = set_allocation(session, dietitian, cid, change(date(2026, 6, 1), tofu=0))
    assert ended.current == []
    assert [(a.per_week, a.ends_on) for a in ended.history][-1] == (1, date(2026, 5, 31))


def test_bad_allocations_are_refused(db_url: str) -> None:
    with session_scope(db_url) as session:
        cid = client_id(session)
        dietitian = actor_of(session)
        set_allocation(session, dietitian, cid, change(date(2026, 5, 1), bread=1))
        with pytest.raises(InvalidInput, match="starting on 2026-05-01 is after 2026-04-01"):
            set_allocation(session, dietitian, cid, change(date(2026, 4, 1), bread=2))
        with pytest.raises(InvalidInput, match="no coupon kind 'juice'"):
            set_allocation(session, dietitian, cid, change(date(2026, 6, 1), bread=2, juice=2))
        # Checked before anything is closed: bread stays open, as it was.
        assert [(r.per_week, r.ends_on) for r in session.exec(select(CouponAllocation))] == [
            (1, None)
        ]
        wrong_order = AllocationIn(
            starts_on=date(2026, 6, 1),
            ends_on=date(2026, 5, 1),
            lines=[AllocationLineIn(kind="bread", per_week=1)],
        )
        with pytest.raises(InvalidInput, match="ends_on is before starts_on"):
            set_allocation(session, dietitian, cid, wrong_order)


def test_only_a_dietitian_of_her_organisation_allocates(db_url: str) -> None:
    with session_scope(db_url) as session:
        cid = client_id(session)
        with pytest.raises(Forbidden):
            set_allocation(
                session, actor_of(session, Role.COORDINATOR), cid, change(date(2026, 3, 1), tofu=1)
            )
        with pytest.raises(NotFound):
            set_allocation(
                session,
                actor_of(session, Role.DIETITIAN, "sesame"),
                cid,
                change(date(2026, 3, 1), tofu=1),
            )
        # The coordinator reads it, the volunteer does not.
        assert read_allocation(session, actor_of(session, Role.COORDINATOR), cid).current == []
        with pytest.raises(Forbidden):
            read_allocation(session, actor_of(session, Role.VOLUNTEER), cid)
        assert session.exec(select(CouponAllocation)).all() == []
