"""Group sessions: planned by managers, capacity enforced, one event per client present."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import records_factories
from care_people import actor, audit_rows, last_audit
from sqlmodel import Session, select

from core.db import session_scope
from core.errors import Forbidden, InvalidInput, NotFound
from core.models import ServiceEvent
from services.records.groups import (
    create_session,
    get_session,
    list_sessions,
    record_attendance,
    update_session,
)


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    with session_scope(db_url) as opened:
        yield opened


def _group_events(session: Session, client_id: int) -> list[ServiceEvent]:
    return list(
        session.exec(
            select(ServiceEvent).where(
                ServiceEvent.client_id == client_id, ServiceEvent.kind == "group_attendance"
            )
        ).all()
    )


def test_a_full_session_refuses_one_more_client_naming_its_capacity(session: Session) -> None:
    admin = actor(session, "admin")
    coordinator = actor(session, "coordinator")
    clients = [records_factories.make_client(session) for _ in range(3)]
    session.commit()
    group = create_session(
        session, admin, "workshops", "Atelier purées", date(2026, 3, 2), capacity=2
    )
    record_attendance(session, coordinator, group.id, clients[0].id)
    record_attendance(session, coordinator, group.id, clients[1].id)
    with pytest.raises(InvalidInput, match="full: its capacity is 2"):
        record_attendance(session, coordinator, group.id, clients[2].id)
    # Marking someone already registered is not one more registration.
    record_attendance(session, coordinator, group.id, clients[1].id, present=True)
    with pytest.raises(InvalidInput, match="below the 2 registered"):
        update_session(session, admin, group.id, {"capacity": 1})
    session.rollback()
    assert update_session(session, admin, group.id, {"capacity": 3}).capacity == 3
    record_attendance(session, coordinator, group.id, clients[2].id)
    (listed,) = list_sessions(session, coordinator, program="workshops")
    assert (listed.registered, listed.capacity) == (3, 3)


def test_present_logs_exactly_one_group_attendance_event(session: Session) -> None:
    coordinator = actor(session, "coordinator")
    client = records_factories.make_client(session)
    session.commit()
    before = audit_rows(session)
    group = create_session(session, coordinator, "workshops", "Allaitement", date(2026, 4, 1))
    assert audit_rows(session) == before + 1
    assert (last_audit(session).action, last_audit(session).record_type) == (
        "create",
        "group_session",
    )
    before = audit_rows(session)
    answer = record_attendance(session, coordinator, group.id, client.id)
    assert not answer.present and _group_events(session, client.id) == []
    record_attendance(session, coordinator, group.id, client.id, present=True)
    record_attendance(session, coordinator, group.id, client.id, present=True)
    (event,) = _group_events(session, client.id)
    assert (event.occurred_on, event.group_session_id, event.duration_minutes) == (
        date(2026, 4, 1),
        group.id,
        90,
    )
    assert audit_rows(session) == before + 3
    assert last_audit(session).record_type == "attendance"
    # Marked absent after all: the service was not given.
    record_attendance(session, coordinator, group.id, client.id, present=False)
    assert _group_events(session, client.id) == []
    (seen,) = get_session(session, coordinator, group.id).attendance or []
    assert (seen.client_id, seen.present) == (client.id, False)


def test_who_may_plan_and_register(session: Session) -> None:
    dietitian = actor(session, "dietitian")
    admin = actor(session, "admin")
    sesame = actor(session, "coordinator", organisation="sesame")
    client = records_factories.make_client(session)
    sesame_client = records_factories.make_client(session, org="sesame")
    session.commit()
    with pytest.raises(Forbidden):
        create_session(session, dietitian, "workshops", "Atelier", date(2026, 3, 2))
    group = create_session(session, admin, "workshops", "Atelier", date(2026, 3, 2))
    with pytest.raises(Forbidden):
        record_attendance(session, admin, group.id, client.id)
    with pytest.raises(NotFound):
        get_session(session, sesame, group.id)
    with pytest.raises(NotFound):
        record_attendance(session, sesame, group.id, sesame_client.id)
    with pytest.raises(NotFound):
        record_attendance(session, dietitian, group.id, sesame_client.id)
    with pytest.raises(InvalidInput, match="unknown program"):
        create_session(session, admin, "food_aid", "Atelier", date(2026, 3, 2))
