"""Food aid: visits valued at the household's territory prices, under frequency rules."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sesame_world import audits, by_hand, client_in, coordinator, put_prices, set_up
from sqlmodel import select

from core.db import session_scope
from core.errors import InvalidInput, NotFound
from core.models import FoodAidVisit, Referral
from services.records.boxes import FoodItemIn
from services.records.food_aid import (
    RuleIn,
    VisitIn,
    eligibility,
    list_visits,
    read_visit,
    record_visit,
    set_rule,
)

GIVEN = [
    FoodItemIn(item_code="spaghetti", quantity=Decimal(900)),
    FoodItemIn(item_code="tomatoes_canned", quantity=Decimal(796)),
]
DAY = date(2026, 4, 20)


def visit(session, staff, client, on, refer=False):  # type: ignore[no-untyped-def]
    return record_visit(session, staff, client.id, VisitIn(visited_on=on, items=GIVEN, refer=refer))


def test_the_n_plus_first_visit_in_the_window_is_refused_one_outside_is_not(db_url: str) -> None:
    with session_scope(db_url) as session:
        set_up(session)
        put_prices(
            session, "mercier-est", "2026-04", {"spaghetti": "2.29", "tomatoes_canned": "1.99"}
        )
        staff = coordinator(session)
        set_rule(
            session,
            staff,
            RuleIn(max_visits=2, window_days=30, referral_resource="Moisson Montréal"),
        )
        household = client_in(session)
        first = visit(session, staff, household, DAY - timedelta(days=29))
        visit(session, staff, household, DAY - timedelta(days=5))
        before = len(audits(session))
        with pytest.raises(InvalidInput, match="refer her to Moisson Montréal") as refused:
            visit(session, staff, household, DAY)
        assert [a.action for a in audits(session)[before:]] == ["refuse"]
        check = eligibility(session, staff, household.id, DAY)
        # The day after, the first visit has left the 30-day window: she may come.
        later = visit(session, staff, household, DAY + timedelta(days=1))
        visits = session.exec(select(FoodAidVisit)).all()
    assert "2 visits in 30 days" in str(refused.value)
    assert (check.allowed, check.visits_in_window, check.next_allowed_on) == (
        False,
        2,
        DAY + timedelta(days=1),
    )
    assert check.suggested_referral == "Moisson Montréal"
    assert len(visits) == 3 and not later.flagged
    # March has no price yet: no value, never 0; April's prices value the later visit.
    assert (first.total_value, first.price_status) == (None, "missing")
    assert later.total_value == by_hand([(900, 900, "2.29"), (796, 796, "1.99")]) == Decimal("4.28")
    assert [i.value for i in later.items] == [Decimal("2.29"), Decimal("1.99")]
    assert (later.region, later.price_status) == ("mercier-est", "observed")


def test_a_flag_rule_records_the_visit_flagged_and_makes_the_referral(db_url: str) -> None:
    with session_scope(db_url) as session:
        set_up(session)
        staff = coordinator(session)
        set_rule(
            session,
            staff,
            RuleIn(max_visits=1, window_days=30, action="flag", referral_resource="CLSC"),
        )
        household = client_in(session)
        other = client_in(session)
        visit(session, staff, household, DAY)
        visit(session, staff, other, DAY)  # another household is counted on its own
        flagged = visit(session, staff, household, DAY + timedelta(days=3), refer=True)
        referral = session.get(Referral, flagged.referral_id)
        history = list_visits(session, staff, household.id)
    assert flagged.flagged and flagged.suggested_referral == "CLSC"
    assert referral is not None and referral.resource == "CLSC"
    assert [v.flagged for v in history] == [True, False]
    assert flagged.total_value is None and flagged.price_status == "missing"


def test_visits_are_the_organisation_s_and_audited(db_url: str) -> None:
    with session_scope(db_url) as session:
        set_up(session)
        staff = coordinator(session)
        household = client_in(session)
        answer = visit(session, staff, household, DAY)  # no rule: always allowed
        before = len(audits(session))
        read_visit(session, staff, answer.visit_id)
        assert [(a.action, a.record_type) for a in audits(session)[before:]] == [
            ("read", "food_aid_visit")
        ]
        alima = coordinator(session, "alima")
        with pytest.raises(NotFound):
            read_visit(session, alima, answer.visit_id)
        with pytest.raises(NotFound):
            visit(session, alima, household, DAY)
        with pytest.raises(InvalidInput, match="unknown action"):
            set_rule(session, staff, RuleIn(max_visits=1, action="shout"))
