"""Which basket version is in effect for a month or a quarter."""

from __future__ import annotations

from datetime import date

import pytest

from core.basket_definitions import ensure_reference_basket
from core.basket_versions import first_month, save_new_version
from core.db import session_scope
from core.errors import NoData
from core.queries.basket import version_for_period
from core.reference_data import load_reference_basket


def test_first_month_of_months_and_quarters() -> None:
    assert first_month("2026-08") == "2026-08"
    assert [first_month(f"2026-Q{q}") for q in (1, 2, 3, 4)] == [
        "2026-01", "2026-04", "2026-07", "2026-10",
    ]  # fmt: skip


def test_periods_on_either_side_of_a_break(db_url: str) -> None:
    with session_scope(db_url) as session:
        with pytest.raises(NoData, match="db upgrade"):
            version_for_period(session, "2026-01")
        first = ensure_reference_basket(session)
        # One undated version is in effect for every period.
        assert version_for_period(session, "1999-01").code == first.code
        second = save_new_version(
            session, load_reference_basket(), "v2", "Second", "tests", date(2026, 7, 1), "break"
        )
        assert version_for_period(session, "2026-06").code == first.code
        assert version_for_period(session, "2026-07").code == second.code
        assert version_for_period(session, "2030-01").code == second.code
        assert version_for_period(session, "2026-Q2").code == first.code
        assert version_for_period(session, "2026-Q3").code == second.code
        third = save_new_version(
            session, load_reference_basket(), "v3", "Third", "tests", date(2027, 1, 1), "again"
        )
        assert version_for_period(session, "2026-12").code == second.code
        assert version_for_period(session, "2027-01").code == third.code
