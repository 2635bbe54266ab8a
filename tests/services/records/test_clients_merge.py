"""Merging two files of one woman: every row moves to the kept file, both histories stay."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import records_factories
from sqlmodel import Session, col, func, select

from core.db import session_scope
from core.errors import InvalidInput, NotFound
from core.models import (
    Attendance,
    AuditEvent,
    Client,
    Consent,
    GroupSession,
    ServiceEvent,
    metadata,
)
from services.access.actor import Actor, Grant
from services.access.roles import Role
from services.records.client_models import ClientFields, PauseInput
from services.records.client_parts import add_pause
from services.records.clients import read_client
from services.records.intake import open_client
from services.records.merge import client_references, merge_clients


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    with session_scope(db_url) as session:
        records_factories.organisation(session)
        session.commit()
        yield session


def coordinator(session: Session, org: str = "alima") -> Actor:
    owner = records_factories.organisation(session, org)
    assert owner.id is not None
    return Actor(None, f"coordinator@{org}.example", (Grant(owner.id, Role.COORDINATOR),), "test")


def count(session: Session, model: type, client_id: int) -> int:
    column = model.client_id  # type: ignore[attr-defined]
    return session.exec(select(func.count()).select_from(model).where(column == client_id)).one()


def test_every_table_pointing_at_a_client_is_found_from_the_schema() -> None:
    found = {(table.name, column.name) for table, column in client_references()}
    with_client_id = {
        (table.name, "client_id")
        for table in metadata.sorted_tables
        if "client_id" in table.c and table.c.client_id.foreign_keys
    }
    assert with_client_id <= found
    assert {
        ("serviceevent", "client_id"),
        ("consent", "client_id"),
        ("attendance", "client_id"),
    } <= found
    assert ("client", "merged_into_id") in found
    assert ("auditevent", "client_id") not in found  # a number, not a key: never rewritten


def test_a_merge_moves_events_and_consents_and_keeps_both_histories(session: Session) -> None:
    actor = coordinator(session)
    fields = ClientFields(first_name="Marie-Ève", last_name="Tremblay", birth_date=date(1994, 3, 2))
    keep = open_client(session, actor, None, fields)
    merged = open_client(session, actor, None, fields, force=True)
    program = records_factories.program(session)
    workshop = GroupSession(program_id=program.id, title="Atelier", held_on=date(2026, 2, 1))
    second = GroupSession(program_id=program.id, title="Atelier 2", held_on=date(2026, 3, 1))
    session.add_all([workshop, second])
    session.flush()
    assert workshop.id is not None and second.id is not None
    for client_id in (keep.id, merged.id):
        session.add(
            ServiceEvent(
                client_id=client_id,
                program_id=program.id,
                kind="intake",
                occurred_on=date(2026, 1, 5),
            )
        )
        session.add(Attendance(group_session_id=workshop.id, client_id=client_id))
    session.add(Attendance(group_session_id=second.id, client_id=merged.id))
    merged_row = session.get(Client, merged.id)
    assert merged_row is not None
    records_factories.make_consent(session, merged_row, "services")
    session.commit()
    add_pause(session, actor, merged.id, PauseInput(starts_on=date(2026, 4, 1)))
    before = session.exec(select(func.count()).select_from(AuditEvent)).one()

    result = merge_clients(session, actor, keep.id, merged.id)

    assert result.moved == {"attendance": 1, "clientpause": 1, "consent": 1, "serviceevent": 1}
    # Both files attended the first workshop: that row stays on the merged file.
    assert result.left == {"attendance": 1}
    assert (count(session, ServiceEvent, keep.id), count(session, ServiceEvent, merged.id)) == (
        2,
        0,
    )
    assert (count(session, Consent, keep.id), count(session, Consent, merged.id)) == (1, 0)
    assert count(session, Attendance, keep.id) == 2
    audit = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
    assert audit is not None and (audit.action, audit.client_id, audit.record_id) == (
        "merge",
        keep.id,
        merged.id,
    )
    assert session.exec(select(func.count()).select_from(AuditEvent)).one() == before + 1
    # The merged file's own audit history is untouched, under its own id.
    assert (
        session.exec(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.client_id == merged.id)
        ).one()
        >= 2
    )
    pointer = read_client(session, actor, merged.id)
    assert pointer.merged_into is not None
    assert (pointer.merged_into.id, pointer.merged_into.file_number) == (keep.id, keep.file_number)
    assert (pointer.status, pointer.status_reason) == ("closed", f"merged into {keep.file_number}")
    with pytest.raises(InvalidInput, match="merged into"):
        add_pause(session, actor, merged.id, PauseInput(starts_on=date(2026, 5, 1)))
    with pytest.raises(InvalidInput, match="merged into"):
        merge_clients(session, actor, keep.id, merged.id)


def test_a_file_merged_before_follows_to_the_kept_one(session: Session) -> None:
    actor = coordinator(session)
    files = [
        open_client(session, actor, None, ClientFields(first_name="Awa", last_name=f"D{n}"))
        for n in range(3)
    ]
    merge_clients(session, actor, files[1].id, files[2].id)
    merge_clients(session, actor, files[0].id, files[1].id)
    oldest = session.get(Client, files[2].id)
    assert oldest is not None and oldest.merged_into_id == files[0].id


def test_files_of_two_organisations_are_never_merged(session: Session) -> None:
    alima, sesame = coordinator(session), coordinator(session, "sesame")
    mine = open_client(session, alima, None, ClientFields(first_name="Awa", last_name="Diallo"))
    theirs = open_client(session, sesame, None, ClientFields(first_name="Awa", last_name="Diallo"))
    with pytest.raises(NotFound):
        merge_clients(session, alima, mine.id, theirs.id)
    with pytest.raises(InvalidInput, match="itself"):
        merge_clients(session, alima, mine.id, mine.id)
