"""Service events: logged in one call with defaults, validated, corrected and deleted, audited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import records_factories
from care_people import actor, audit_rows, last_audit
from sqlmodel import Session

from core.db import session_scope
from core.errors import Forbidden, InvalidInput, NotFound
from core.models import Enrolment, ServiceEvent
from services.records.events import delete_event, list_events, log_event, update_event


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    with session_scope(db_url) as opened:
        yield opened


def test_an_event_needs_only_its_kind_when_she_is_enrolled_in_one_program(
    session: Session,
) -> None:
    coordinator = actor(session, "coordinator")
    client = records_factories.make_client(session)
    prenatal = records_factories.program(session)
    session.add(Enrolment(client_id=client.id, program_id=prenatal.id, starts_on=date(2026, 1, 1)))
    session.commit()
    before = audit_rows(session)

    event = log_event(session, coordinator, client.id, "individual_consultation")

    assert (event.program, event.occurred_on, event.mode) == ("prenatal", date.today(), "in_person")
    assert event.staff_id == coordinator.user_id
    assert audit_rows(session) == before + 1
    row = last_audit(session)
    assert (row.action, row.record_type, row.client_id) == ("create", "service_event", client.id)


def test_unknown_kinds_modes_and_programs_are_refused_with_the_choices(session: Session) -> None:
    coordinator = actor(session, "coordinator")
    client = records_factories.make_client(session)
    session.commit()
    with pytest.raises(InvalidInput, match="use one of intake, individual_consultation"):
        log_event(session, coordinator, client.id, "massage", program="prenatal")
    with pytest.raises(InvalidInput, match="unknown mode"):
        log_event(session, coordinator, client.id, "intake", program="prenatal", mode="fax")
    # A program of another organisation is not one of hers.
    with pytest.raises(InvalidInput, match=r"unknown program 'food_aid'.*postnatal, prenatal"):
        log_event(session, coordinator, client.id, "intake", program="food_aid")
    with pytest.raises(InvalidInput, match="name the program"):
        log_event(session, coordinator, client.id, "intake")


def test_restricted_notes_are_for_the_programs_dietitians(session: Session) -> None:
    coordinator = actor(session, "coordinator")
    postnatal_dietitian = actor(session, "dietitian", program="postnatal")
    dietitian = actor(session, "dietitian")
    client = records_factories.make_client(session)
    session.commit()
    with pytest.raises(Forbidden):
        log_event(
            session, coordinator, client.id, "home_visit", program="prenatal", notes="x",
            notes_restricted=True,
        )  # fmt: skip
    with pytest.raises(Forbidden):
        log_event(
            session, postnatal_dietitian, client.id, "home_visit", program="prenatal",
            notes="x", notes_restricted=True,
        )  # fmt: skip
    event = log_event(
        session, dietitian, client.id, "home_visit", program="prenatal", notes="anémie",
        notes_restricted=True,
    )  # fmt: skip
    assert event.notes == "anémie" and not event.restricted

    (seen,) = list_events(session, coordinator, client.id)
    assert (seen.notes, seen.restricted, seen.notes_restricted) == (None, True, True)
    (seen,) = list_events(session, dietitian, client.id)
    assert (seen.notes, seen.restricted) == ("anémie", False)
    # A coordinator can neither correct nor delete notes she may not read; refusals are audited.
    before = audit_rows(session)
    with pytest.raises(Forbidden):
        update_event(session, coordinator, event.id, {"notes": "autre"})
    assert audit_rows(session) == before + 1
    assert (last_audit(session).action, last_audit(session).detail) == ("refuse", "clinical:write")
    # Making notes restricted is writing clinical notes too: refused, and nothing changed.
    plain = log_event(session, coordinator, client.id, "home_visit", program="prenatal", notes="y")
    with pytest.raises(Forbidden):
        update_event(session, coordinator, plain.id, {"notes_restricted": True, "notes": "z"})
    unchanged = session.get(ServiceEvent, plain.id)
    assert unchanged is not None and (unchanged.notes, unchanged.notes_restricted) == ("y", False)
    with pytest.raises(Forbidden):
        delete_event(session, coordinator, event.id)


def test_correcting_and_deleting_an_event_are_audited_once_each(session: Session) -> None:
    coordinator = actor(session, "coordinator")
    client = records_factories.make_client(session)
    session.commit()
    event = log_event(session, coordinator, client.id, "intake", program="prenatal")
    before = audit_rows(session)

    changed = update_event(
        session, coordinator, event.id, {"kind": "phone_follow_up", "mode": "phone"}
    )
    assert (changed.kind, changed.mode) == ("phone_follow_up", "phone")
    assert audit_rows(session) == before + 1
    assert (last_audit(session).action, last_audit(session).detail) == ("update", "kind, mode")
    with pytest.raises(InvalidInput, match="unknown kind"):
        update_event(session, coordinator, event.id, {"kind": "nap"})
    session.rollback()

    delete_event(session, coordinator, event.id)
    assert audit_rows(session) == before + 2
    assert last_audit(session).action == "delete"
    assert session.get(ServiceEvent, event.id) is None


def test_another_organisations_events_are_not_found(session: Session) -> None:
    sesame = actor(session, "coordinator", organisation="sesame")
    alima = actor(session, "coordinator")
    client = records_factories.make_client(session)
    session.commit()
    event = log_event(session, alima, client.id, "intake", program="prenatal")
    with pytest.raises(NotFound):
        log_event(session, sesame, client.id, "intake", program="food_aid")
    with pytest.raises(NotFound):
        list_events(session, sesame, client.id)
    with pytest.raises(NotFound):
        update_event(session, sesame, event.id, {"notes": "x"})
    with pytest.raises(NotFound):
        delete_event(session, sesame, event.id)
