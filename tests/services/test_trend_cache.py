"""A trend is built once per revision of the stored costs, and built again when they change."""

from __future__ import annotations

from decimal import Decimal

import pytest
from factories import make_basket_cost, shipped_region

import services.trends as trends_service
from core.basket_definitions import ensure_reference_basket
from core.db import session_scope

FAMILY = ["male_19_50", "female_19_50"]


@pytest.fixture
def reads(db_url: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Two months of family costs in Lachine; counts each read of the trend's frames."""
    trends_service.clear_trend_cache()
    with session_scope(db_url) as session:
        version = ensure_reference_basket(session)
        lachine = shipped_region(session, "lachine")
        for period, weekly in (("2026-01", "250.00"), ("2026-02", "260.00")):
            make_basket_cost(session, version, lachine, period=period, weekly_cost=weekly)
        session.commit()
    calls: list[str] = []
    real = trends_service.trend_frames

    def counted(*args: object, **kwargs: object) -> object:
        calls.append("read")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(trends_service, "trend_frames", counted)
    return calls


def test_a_second_identical_request_reads_nothing_again(db_url: str, reads: list[str]) -> None:
    with session_scope(db_url) as session:
        first = trends_service.build_trend(session, "lachine", FAMILY)
        second = trends_service.build_trend(session, "lachine", FAMILY)
        other_base = trends_service.build_trend(session, "lachine", FAMILY, base_period="2026-02")
    assert reads == ["read", "read"]  # the first call and the one with other arguments
    assert second == first
    assert other_base.base_period == "2026-02"


def test_storing_a_new_cost_changes_the_answer(db_url: str, reads: list[str]) -> None:
    with session_scope(db_url) as session:
        before = trends_service.build_trend(session, "lachine", FAMILY)
        version = ensure_reference_basket(session)
        make_basket_cost(
            session, version, shipped_region(session, "lachine"), period="2026-03",
            weekly_cost="300.00",
        )  # fmt: skip
        session.commit()
        after = trends_service.build_trend(session, "lachine", FAMILY)
    assert reads == ["read", "read"]
    assert [point.period for point in before.series] == ["2026-01", "2026-02"]
    assert [point.period for point in after.series] == ["2026-01", "2026-02", "2026-03"]
    assert after.series[-1].weekly_cost == Decimal("300.00")


def test_an_edited_answer_never_reaches_the_next_caller(db_url: str, reads: list[str]) -> None:
    with session_scope(db_url) as session:
        first = trends_service.build_trend(session, "lachine", FAMILY)
        first.series.clear()
        second = trends_service.build_trend(session, "lachine", FAMILY)
    assert len(second.series) == 2
