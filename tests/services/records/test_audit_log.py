"""The audit log: read by the privacy officer with filters, and never changed, even by SQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import records_factories
from privacy_files import actor, audit_rows
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from core.db import session_scope
from core.errors import Forbidden, InvalidInput, NotFound
from core.models import Client
from services.access.actor import Actor
from services.records.audit import audit
from services.records.audit_log import AuditFilters, list_audit


def _one_event(db_url: str) -> int:
    with session_scope(db_url) as session:
        officer = actor(session)
        audit(session, officer, "read", "client", record_id=7, client_id=7, organisation_id=1)
        session.commit()
        return audit_rows(session)[-1].id or 0


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE auditevent SET action = 'delete', detail = 'covered up' WHERE id = :id",
        "DELETE FROM auditevent WHERE id = :id",
    ],
)
def test_the_database_refuses_to_change_an_audit_row(db_url: str, statement: str) -> None:
    event_id = _one_event(db_url)
    with session_scope(db_url) as session:
        with pytest.raises(DBAPIError, match="auditevent is append-only"):
            session.execute(text(statement), {"id": event_id})
        session.rollback()
        row = session.execute(
            text("SELECT action, detail FROM auditevent WHERE id = :id"), {"id": event_id}
        ).one()
    assert tuple(row) == ("read", None)


def test_the_officer_reads_her_organisation_newest_first_with_emails(db_url: str) -> None:
    with session_scope(db_url) as session:
        officer = actor(session)
        dietitian = actor(session, "dietitian")
        sesame = actor(session, "coordinator", org="sesame")
        mine = records_factories.make_client(session, file_number="A-1")
        theirs = records_factories.make_client(session, "sesame", file_number="S-1")
        audit(session, dietitian, "read", "client", record_id=mine.id, client=mine)
        audit(session, dietitian, "update", "client", record_id=mine.id, client=mine)
        audit(session, sesame, "read", "client", record_id=theirs.id, client=theirs)
        session.commit()
        page = list_audit(session, officer, AuditFilters())

    assert [(r.who, r.action, r.file_number) for r in page.rows] == [
        (dietitian.email, "update", "A-1"),
        (dietitian.email, "read", "A-1"),
    ]
    assert page.rows[0].source == "203.0.113.9" and page.next_before is None


def test_filters_and_pages(db_url: str) -> None:
    with session_scope(db_url) as session:
        officer = actor(session)
        dietitian = actor(session, "dietitian")
        coordinator = actor(session, "coordinator")
        first = records_factories.make_client(session)
        second = records_factories.make_client(session)
        for client in (first, second, first, first):
            audit(session, dietitian, "read", "client", record_id=client.id, client=client)
        audit(session, coordinator, "update", "client", record_id=second.id, client=second)
        session.commit()
        by_client = list_audit(session, officer, AuditFilters(client_id=first.id))
        by_number = list_audit(session, officer, AuditFilters(file_number=second.file_number))
        by_user = list_audit(session, officer, AuditFilters(user_email=coordinator.email))
        updates = list_audit(session, officer, AuditFilters(action="update"))
        later = datetime.now(UTC) + timedelta(minutes=1)
        none_yet = list_audit(session, officer, AuditFilters(since=later))
        page_one = list_audit(session, officer, AuditFilters(action="read"), limit=3)
        page_two = list_audit(
            session, officer, AuditFilters(action="read"), limit=3, before=page_one.next_before
        )

    assert len(by_client.rows) == 3
    assert [r.action for r in by_number.rows] == ["update", "read"]
    assert [r.who for r in by_user.rows] == [coordinator.email]
    assert [r.record_id for r in updates.rows] == [second.id]
    assert none_yet.rows == []
    # The reads of the log itself are in it: one per list_audit above.
    assert len(page_one.rows) == 3 and page_one.next_before is not None
    assert {r.id for r in page_one.rows}.isdisjoint({r.id for r in page_two.rows})
    assert all(r.id < page_one.rows[-1].id for r in page_two.rows)


def test_reading_the_log_leaves_one_audit_row(db_url: str) -> None:
    with session_scope(db_url) as session:
        officer = actor(session)
        before = len(audit_rows(session))
        list_audit(session, officer, AuditFilters(action="export"))
        rows = [(r.action, r.record_type, r.user_id, r.detail) for r in audit_rows(session)]

    assert rows[before:] == [("read", "audit_log", officer.user_id, "0 rows; action=export")]


def test_a_destroyed_file_keeps_its_audit_found_by_id(db_url: str) -> None:
    with session_scope(db_url) as session:
        officer = actor(session)
        client = records_factories.make_client(session)
        client_id = client.id
        audit(session, officer, "read", "client", record_id=client_id, client=client)
        session.commit()
        session.delete(session.get(Client, client_id))
        session.commit()
        page = list_audit(session, officer, AuditFilters(client_id=client_id))

    assert [(r.client_id, r.file_number) for r in page.rows] == [(client_id, None)]


def test_only_the_privacy_officer_reads_it(db_url: str) -> None:
    with session_scope(db_url) as session:
        coordinator = actor(session, "coordinator")
        stranger = actor(session, org="sesame")
        with pytest.raises(Forbidden):
            list_audit(session, coordinator, AuditFilters())
        with pytest.raises(NotFound):
            list_audit(session, stranger, AuditFilters(organisation="alima"))
        with pytest.raises(InvalidInput):
            list_audit(session, stranger, AuditFilters(action="peek"))
        # The operator at the command line reads every organisation's rows.
        everything = list_audit(session, Actor.command_line(), AuditFilters())
        assert everything.rows == []
