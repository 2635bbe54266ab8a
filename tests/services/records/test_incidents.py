"""The confidentiality-incident register and the access-request register (Law 25)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import records_factories
from privacy_files import actor, audit_rows

from core.db import session_scope
from core.errors import Forbidden, InvalidInput, NotFound
from services.records.access_requests import (
    AccessRequestChange,
    NewAccessRequest,
    list_requests,
    record_request,
    update_request,
)
from services.records.incidents import (
    IncidentChange,
    NewIncident,
    list_incidents,
    record_incident,
    update_incident,
)

LAPTOP = NewIncident(
    information_concerned="Noms, adresses et dates prévues d'accouchement de 40 clientes",
    circumstances="Portable volé dans une voiture",
    occurred_on=date(2026, 10, 3),
    discovered_on=date(2026, 10, 4),
    people_affected=40,
    serious_harm_risk=True,
    risk_assessment="Données de santé non chiffrées: risque sérieux",
)


def test_an_incident_is_recorded_completed_and_listed(db_url: str) -> None:
    with session_scope(db_url) as session:
        officer = actor(session)
        before = len(audit_rows(session))
        entry = record_incident(session, officer, LAPTOP)
        assert entry.notices_owed
        change = IncidentChange(
            commission_notified_on=date(2026, 10, 6),
            people_notified_on=date(2026, 10, 7),
            measures_taken="Chiffrement des portables; mots de passe changés",
        )
        done = update_incident(session, officer, entry.id, change)
        register = list_incidents(session, officer)
        rows = [(r.action, r.record_type, r.record_id) for r in audit_rows(session)[before:]]

    assert not done.notices_owed and done.people_affected == 40
    assert [(e.id, e.measures_taken) for e in register] == [(entry.id, change.measures_taken)]
    assert rows == [
        ("create", "incident", entry.id),
        ("update", "incident", entry.id),
        ("read", "incident_list", None),
    ]


def test_incident_dates_must_follow_one_another(db_url: str) -> None:
    with session_scope(db_url) as session:
        officer = actor(session)
        with pytest.raises(InvalidInput, match="occurred_on"):
            record_incident(
                session, officer, LAPTOP.model_copy(update={"occurred_on": date(2026, 11, 1)})
            )
        entry = record_incident(session, officer, LAPTOP)
        with pytest.raises(InvalidInput, match="commission_notified_on"):
            update_incident(
                session, officer, entry.id, IncidentChange(commission_notified_on=date(2026, 9, 1))
            )
        with pytest.raises(InvalidInput, match="cannot be emptied"):
            update_incident(
                session, officer, entry.id, IncidentChange.model_validate({"circumstances": None})
            )


def test_another_organisations_register_is_not_found(db_url: str) -> None:
    with session_scope(db_url) as session:
        officer = actor(session)
        stranger = actor(session, org="sesame")
        coordinator = actor(session, "coordinator")
        entry = record_incident(session, officer, LAPTOP)
        with pytest.raises(NotFound):
            update_incident(session, stranger, entry.id, IncidentChange(people_affected=3))
        assert list_incidents(session, stranger) == []
        with pytest.raises(Forbidden):
            list_incidents(session, coordinator)


def test_a_request_is_due_in_thirty_days_and_flagged_when_overdue(db_url: str) -> None:
    with session_scope(db_url) as session:
        officer = actor(session)
        client = records_factories.make_client(session)
        session.commit()
        received = date(2026, 10, 1)
        late = record_request(
            session,
            officer,
            NewAccessRequest(kind="access", requester="Marie B.", received_on=received,
                             client_id=client.id),
        )  # fmt: skip
        fresh = record_request(
            session,
            officer,
            NewAccessRequest(
                kind="portability", requester="Ana R.", received_on=date(2026, 11, 20)
            ),
        )
        listed = list_requests(session, officer, today=date(2026, 11, 25))
        answered = update_request(
            session, officer, late.id, AccessRequestChange(answered_on=date(2026, 11, 26))
        )
        still_open = list_requests(session, officer, open_only=True, today=date(2026, 11, 25))

    assert late.due_on == received + timedelta(days=30) == date(2026, 10, 31)
    assert [(r.id, r.overdue, r.days_left) for r in listed] == [
        (late.id, True, -25),
        (fresh.id, False, 25),
    ]
    assert answered.answered_late and not answered.overdue and answered.days_left is None
    assert [r.id for r in still_open] == [fresh.id]


def test_requests_are_audited_and_kept_to_their_organisation(db_url: str) -> None:
    with session_scope(db_url) as session:
        officer = actor(session)
        stranger = actor(session, org="sesame")
        theirs = records_factories.make_client(session, "sesame")
        session.commit()
        before = len(audit_rows(session))
        request = record_request(
            session,
            officer,
            NewAccessRequest(kind="correction", requester="X", received_on=date(2026, 11, 2)),
        )
        with pytest.raises(NotFound):
            update_request(session, stranger, request.id, AccessRequestChange(notes="vu"))
        with pytest.raises(NotFound):  # a file of another organisation cannot be attached
            update_request(session, officer, request.id, AccessRequestChange(client_id=theirs.id))
        with pytest.raises(InvalidInput):
            update_request(
                session, officer, request.id, AccessRequestChange(answered_on=date(2026, 11, 1))
            )
        rows = [(r.action, r.record_type) for r in audit_rows(session)[before:]]

    assert rows == [("create", "access_request")]
