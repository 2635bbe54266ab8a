"""A client's timeline: everything in date order, clinical entries hidden from non-dietitians."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
import records_factories
from care_people import actor, audit_rows, last_audit
from sqlmodel import Session

from core.db import session_scope
from core.errors import NotFound
from services.records.clinical import add_assessment, add_weight
from services.records.events import log_event
from services.records.groups import create_session, record_attendance
from services.records.perinatal import add_infant, add_pregnancy
from services.records.referrals import refer
from services.records.timeline import client_timeline


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    with session_scope(db_url) as opened:
        yield opened


def _file(session: Session) -> tuple[int, object, object]:
    coordinator = actor(session, "coordinator")
    dietitian = actor(session, "dietitian", program="prenatal")
    client = records_factories.make_client(session)
    session.commit()
    log_event(
        session, coordinator, client.id, "intake", program="prenatal", occurred_on=date(2026, 1, 5)
    )
    log_event(
        session, dietitian, client.id, "individual_consultation", program="prenatal",
        occurred_on=date(2026, 2, 10), notes="perte d'appétit", notes_restricted=True,
    )  # fmt: skip
    add_assessment(
        session,
        dietitian,
        client.id,
        "prenatal",
        {"assessed_on": date(2026, 2, 10), "calories_kcal": 2600},
    )
    add_weight(session, dietitian, client.id, "prenatal", Decimal("68.4"), date(2026, 2, 24))
    group = create_session(session, coordinator, "workshops", "Atelier", date(2026, 3, 2))
    record_attendance(session, coordinator, group.id, client.id, present=True)
    refer(session, coordinator, client.id, "CLSC", referred_on=date(2026, 1, 20))
    add_pregnancy(session, coordinator, client.id, {"expected_on": date(2026, 6, 1)})
    add_infant(
        session, coordinator, client.id, {"birth_date": date(2026, 5, 28), "birth_weight_g": 3400}
    )
    return client.id, coordinator, dietitian


def test_everything_comes_in_date_order_as_typed_entries(session: Session) -> None:
    client_id, _, dietitian = _file(session)
    before = audit_rows(session)
    entries = client_timeline(session, dietitian, client_id)  # type: ignore[arg-type]
    assert [(entry.on.isoformat(), entry.type) for entry in entries] == [
        ("2026-01-05", "event"),
        ("2026-01-20", "referral"),
        ("2026-02-10", "assessment"),
        ("2026-02-10", "event"),
        ("2026-02-24", "weight"),
        ("2026-03-02", "attendance"),
        ("2026-03-02", "event"),
        ("2026-05-28", "infant"),
        ("2026-06-01", "pregnancy"),
    ]
    assert audit_rows(session) == before + 1
    assert (last_audit(session).action, last_audit(session).record_type) == ("read", "timeline")
    # The program's dietitian sees the clinical fields.
    by_type = {entry.type: entry for entry in entries}
    assert by_type["assessment"].details["calories_kcal"] == 2600
    assert by_type["weight"].details["weight_kg"] == "68.4"
    consultation = entries[3]
    assert consultation.details["notes"] == "perte d'appétit" and not consultation.restricted


def test_a_coordinator_sees_the_clinical_entries_hidden(session: Session) -> None:
    client_id, coordinator, _ = _file(session)
    entries = client_timeline(session, coordinator, client_id)  # type: ignore[arg-type]
    hidden = [entry for entry in entries if entry.restricted]
    assert [entry.type for entry in hidden] == ["assessment", "event", "weight"]
    assert hidden[0].details["calories_kcal"] is None
    assert hidden[1].details["notes"] is None and hidden[1].details["notes_restricted"]
    assert hidden[2].details["weight_kg"] is None
    # What is not clinical is shown as it is.
    intake = entries[0]
    assert intake.details["kind"] == "intake" and not intake.restricted


def test_another_organisation_reads_no_timeline(session: Session) -> None:
    client_id, _, _ = _file(session)
    sesame = actor(session, "coordinator", organisation="sesame")
    before = audit_rows(session)
    with pytest.raises(NotFound):
        client_timeline(session, sesame, client_id)
    assert audit_rows(session) == before
