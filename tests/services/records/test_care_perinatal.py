"""Pregnancies and infants, for an organisation that follows them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import records_factories
from care_people import actor, audit_rows
from sqlmodel import Session

from core.db import session_scope
from core.errors import InvalidInput, NotFound
from services.records.perinatal import (
    add_infant,
    add_pregnancy,
    list_infants,
    list_pregnancies,
    update_infant,
    update_pregnancy,
)


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    with session_scope(db_url) as opened:
        yield opened


def test_a_pregnancy_its_outcome_and_the_baby(session: Session) -> None:
    coordinator = actor(session, "coordinator")
    client = records_factories.make_client(session)
    session.commit()
    before = audit_rows(session)
    pregnancy = add_pregnancy(session, coordinator, client.id, {"expected_on": date(2026, 6, 1)})
    with pytest.raises(InvalidInput, match="unknown outcome"):
        update_pregnancy(session, coordinator, pregnancy.id, {"outcome": "twins"})
    session.rollback()
    born = update_pregnancy(
        session,
        coordinator,
        pregnancy.id,
        {"outcome": "live_birth", "outcome_on": date(2026, 5, 28)},
    )
    assert (born.outcome, born.outcome_on) == ("live_birth", date(2026, 5, 28))
    infant = add_infant(
        session,
        coordinator,
        client.id,
        {"birth_date": date(2026, 5, 28), "pregnancy_id": pregnancy.id, "birth_weight_g": 3400,
         "gestational_age_weeks": 39, "feeding": "breast"},
    )  # fmt: skip
    assert update_infant(session, coordinator, infant.id, {"feeding": "mixed"}).feeding == "mixed"
    assert audit_rows(session) == before + 4
    assert [row.id for row in list_pregnancies(session, coordinator, client.id)] == [pregnancy.id]
    assert [row.birth_weight_g for row in list_infants(session, coordinator, client.id)] == [3400]
    assert audit_rows(session) == before + 6
    with pytest.raises(InvalidInput, match="birth_weight_g"):
        add_infant(
            session, coordinator, client.id, {"birth_date": date(2026, 5, 28), "birth_weight_g": 34}
        )
    with pytest.raises(InvalidInput, match="unknown feeding"):
        add_infant(
            session, coordinator, client.id, {"birth_date": date(2026, 5, 28), "feeding": "x"}
        )


def test_only_a_perinatal_organisation_records_pregnancies(session: Session) -> None:
    sesame = actor(session, "coordinator", organisation="sesame")
    sesame_client = records_factories.make_client(session, org="sesame")
    alima_client = records_factories.make_client(session)
    session.commit()
    with pytest.raises(InvalidInput, match="does not follow pregnancies"):
        add_pregnancy(session, sesame, sesame_client.id, {"expected_on": date(2026, 6, 1)})
    with pytest.raises(NotFound):
        add_pregnancy(session, sesame, alima_client.id, {"expected_on": date(2026, 6, 1)})
    alima = actor(session, "coordinator")
    pregnancy = add_pregnancy(session, alima, alima_client.id, {"expected_on": date(2026, 6, 1)})
    with pytest.raises(NotFound):
        update_pregnancy(session, sesame, pregnancy.id, {"outcome": "loss"})
