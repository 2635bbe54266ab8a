"""A client's export (Law 25 s. 27, 3.3): every table that reaches her, nobody else's rows."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import records_factories
from privacy_files import actor, audit_rows, file_tables, full_file

from core.db import session_scope
from core.errors import Forbidden, NotFound
from services.records.audit import audit
from services.records.audit_log import AuditFilters, list_audit
from services.records.export import client_export, export_client, find_client


def test_the_export_holds_every_table_that_reaches_the_client(db_url: str) -> None:
    with session_scope(db_url) as session:
        officer = actor(session)
        client = full_file(session)
        other = full_file(session)  # another client's file: none of it may go out
        session.commit()
        assert client.id is not None and other.id is not None
        export = client_export(session, officer, client.id)

    expected = file_tables() | {"auditevent"}
    assert set(export.tables) == expected
    # full_file fills each table: an empty one would mean a link was not followed.
    assert [name for name in sorted(file_tables()) if not export.tables[name]] == []
    for name, rows in export.tables.items():
        if name in ("client", "auditevent"):
            continue
        for row in rows:
            owner = row.get("client_id")
            assert owner in (None, client.id), (name, row)
    assert [row["id"] for row in export.tables["client"]] == [client.id]
    assert export.tables["distributionline"][0]["serials"] == "A100-A106"


def test_rows_outside_the_file_are_labelled_and_dates_are_iso(db_url: str) -> None:
    with session_scope(db_url) as session:
        officer = actor(session)
        client = full_file(session)
        session.commit()
        assert client.id is not None
        export = client_export(session, officer, client.id)

    attendance = export.tables["attendance"][0]
    assert attendance["group_session_title"] == "Atelier purées"
    event = export.tables["serviceevent"][0]
    assert event["staff_email"].startswith("staff-")
    assert event["program_code"] == "prenatal"
    assert event["occurred_on"] == "2020-02-03"
    assert export.tables["weightcheck"][0]["weight_kg"] == "64.5"
    assert export.tables["client"][0]["birth_date"] == "1994-07-14"


def test_the_export_shows_who_saw_the_file_with_their_emails(db_url: str) -> None:
    with session_scope(db_url) as session:
        officer = actor(session)
        dietitian = actor(session, "dietitian")
        client = full_file(session)
        audit(session, dietitian, "read", "client", record_id=client.id, client=client)
        session.commit()
        assert client.id is not None
        export = client_export(session, officer, client.id)

    seen = export.tables["auditevent"]
    assert [(row["action"], row["user_email"]) for row in seen] == [("read", dietitian.email)]


def test_files_are_one_json_and_one_csv_per_table(db_url: str, tmp_path: Path) -> None:
    with session_scope(db_url) as session:
        officer = actor(session)
        client = full_file(session, first_name="Amélie")
        session.commit()
        assert client.id is not None
        files = export_client(session, officer, client.id, tmp_path)

    data = json.loads(files.json_file.read_text(encoding="utf-8"))
    assert data["tables"]["client"][0]["first_name"] == "Amélie"
    assert {path.stem for path in files.csv_files} == set(data["tables"])
    with (files.folder / "client.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["first_name"] == "Amélie" and rows[0]["birth_date"] == "1994-07-14"
    with (files.folder / "attendance.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert next(csv.DictReader(handle))["present"] == "true"


def test_an_export_leaves_one_audit_row(db_url: str) -> None:
    with session_scope(db_url) as session:
        officer = actor(session)
        client = full_file(session)
        session.commit()
        before = len(audit_rows(session))
        client_id = client.id
        assert client_id is not None
        client_export(session, officer, client_id)
        rows = [(r.action, r.record_type, r.client_id, r.user_id) for r in audit_rows(session)]

    assert rows[before:] == [("export", "client", client_id, officer.user_id)]


def test_only_the_privacy_officer_of_her_organisation_exports(db_url: str) -> None:
    with session_scope(db_url) as session:
        coordinator = actor(session, "coordinator")
        stranger = actor(session, "privacy_officer", org="sesame")
        client = records_factories.make_client(session)
        session.commit()
        assert client.id is not None
        with pytest.raises(Forbidden):
            client_export(session, coordinator, client.id)
        with pytest.raises(NotFound):
            client_export(session, stranger, client.id)
        refused = audit_rows(session)

    assert [(r.action, r.user_id) for r in refused] == [("refuse", coordinator.user_id)]


def test_a_client_is_named_by_file_number_or_id(db_url: str) -> None:
    with session_scope(db_url) as session:
        officer = actor(session)
        client = records_factories.make_client(session, file_number="A-2020-001")
        session.commit()
        assert find_client(session, officer, "A-2020-001", "alima") == client.id
        assert find_client(session, officer, str(client.id), None) == client.id
        with pytest.raises(NotFound):
            find_client(session, officer, "A-1999-999", "alima")


def test_a_destroyed_files_audit_never_joins_a_newer_file(db_url: str) -> None:
    # SQLite gives the highest id again once its row is deleted (no AUTOINCREMENT).
    with session_scope(db_url) as session:
        officer = actor(session)
        gone = records_factories.make_client(session)
        audit(session, officer, "read", "client", record_id=gone.id, client=gone)
        session.commit()
        gone_id = gone.id
        session.delete(gone)
        session.commit()
        newer = records_factories.make_client(session)
        session.commit()
        assert newer.id is not None
        export = client_export(session, officer, newer.id)
        page = list_audit(session, officer, AuditFilters(client_id=gone_id))

    assert export.tables["auditevent"] == []
    assert [row.file_number for row in page.rows if row.action == "read"] == [None]
