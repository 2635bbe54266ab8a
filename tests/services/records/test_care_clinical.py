"""Assessments and weights: the dietitians of the record's program, and nobody else."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
import records_factories
from care_people import actor, audit_rows, last_audit
from sqlmodel import Session

from core.db import session_scope
from core.errors import Forbidden, InvalidInput, NotFound
from services.records.clinical import (
    add_assessment,
    add_weight,
    get_assessment,
    list_assessments,
    list_weights,
    update_assessment,
    update_weight,
)

PRESCRIPTION = {
    "assessed_on": date(2026, 2, 10),
    "calories_kcal": 2600,
    "protein_g": 95,
    "supplements": "lait 1 L, œuf, multivitamine",
    "risk_factors": "insécurité alimentaire",
}


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    with session_scope(db_url) as opened:
        yield opened


def test_the_dietitians_prescription_is_recorded_as_written(session: Session) -> None:
    dietitian = actor(session, "dietitian")
    client = records_factories.make_client(session)
    session.commit()
    before = audit_rows(session)
    made = add_assessment(session, dietitian, client.id, "prenatal", PRESCRIPTION)
    assert (made.calories_kcal, made.protein_g, made.dietitian_id) == (
        2600,
        95,
        dietitian.user_id,
    )
    assert audit_rows(session) == before + 1
    read = get_assessment(session, dietitian, made.id)
    assert read.supplements == "lait 1 L, œuf, multivitamine" and not read.restricted
    assert audit_rows(session) == before + 2
    assert (last_audit(session).action, last_audit(session).record_id) == ("read", made.id)
    changed = update_assessment(session, dietitian, made.id, {"protein_g": 110})
    assert changed.protein_g == 110 and changed.calories_kcal == 2600
    assert audit_rows(session) == before + 3
    with pytest.raises(InvalidInput, match="calories_kcal must be positive"):
        update_assessment(session, dietitian, made.id, {"calories_kcal": 0})


def test_a_dietitian_of_another_program_a_coordinator_and_another_org_are_refused(
    session: Session,
) -> None:
    dietitian = actor(session, "dietitian", program="prenatal")
    postnatal = actor(session, "dietitian", program="postnatal")
    coordinator = actor(session, "coordinator")
    sesame = actor(session, "dietitian", organisation="sesame")
    client = records_factories.make_client(session)
    session.commit()
    made = add_assessment(session, dietitian, client.id, "prenatal", PRESCRIPTION)
    for refused in (postnatal, coordinator):
        before = audit_rows(session)
        with pytest.raises(Forbidden):
            get_assessment(session, refused, made.id)
        # The refusal is audited, as every refusal inside her organisation is.
        assert audit_rows(session) == before + 1 and last_audit(session).action == "refuse"
        with pytest.raises(Forbidden):
            update_assessment(session, refused, made.id, {"protein_g": 1})
    with pytest.raises(Forbidden):
        add_assessment(session, postnatal, client.id, "prenatal", PRESCRIPTION)
    with pytest.raises(NotFound):
        get_assessment(session, sesame, made.id)
    with pytest.raises(NotFound):
        add_assessment(session, sesame, client.id, "prenatal", PRESCRIPTION)
    # The postnatal dietitian's list shows the prenatal assessment's day, nothing else.
    (hidden,) = list_assessments(session, postnatal, client.id)
    assert hidden.restricted and hidden.assessed_on == date(2026, 2, 10)
    assert (hidden.calories_kcal, hidden.supplements, hidden.notes) == (None, None, None)
    (shown,) = list_assessments(session, dietitian, client.id)
    assert shown.calories_kcal == 2600 and not shown.restricted


def test_weights_are_clinical_too(session: Session) -> None:
    dietitian = actor(session, "dietitian", program="prenatal")
    postnatal = actor(session, "dietitian", program="postnatal")
    client = records_factories.make_client(session)
    session.commit()
    weight = add_weight(
        session, dietitian, client.id, "prenatal", Decimal("68.4"), date(2026, 2, 24)
    )
    assert weight.weight_kg == Decimal("68.4")
    with pytest.raises(Forbidden):
        add_weight(session, postnatal, client.id, "prenatal", Decimal("70"))
    with pytest.raises(Forbidden):
        update_weight(session, postnatal, weight.id, {"weight_kg": Decimal("1")})
    (hidden,) = list_weights(session, postnatal, client.id)
    assert (hidden.weight_kg, hidden.restricted) == (None, True)
    before = audit_rows(session)
    assert update_weight(
        session, dietitian, weight.id, {"weight_kg": Decimal("68.9")}
    ).weight_kg == Decimal("68.9")
    assert audit_rows(session) == before + 1
    with pytest.raises(InvalidInput, match="weight_kg cannot be empty"):
        update_weight(session, dietitian, weight.id, {"weight_kg": None})
