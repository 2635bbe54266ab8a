"""Retention (Law 25 s. 23): closed files destroyed or anonymised when their rule says so."""

from __future__ import annotations

from datetime import date

import pytest
import records_factories
from privacy_files import actor, audit_rows, counts, file_tables, full_file
from sqlalchemy import String, Text
from sqlalchemy import select as select_table
from sqlmodel import select

from core.db import session_scope
from core.errors import Forbidden
from core.models import Client, ClientContact, Consent, Enrolment, Infant, ServiceEvent
from core.models.base import metadata
from services.records.anonymise import DELETED, KEPT, SCRUBBED
from services.records.audit import audit
from services.records.retention import add_months, preview_retention, run_retention

TODAY = date(2026, 11, 30)


def _snapshot(session, client_ids: list[int]) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
    """Every row of every file table, to compare before and after."""
    session.expire_all()
    return {
        name: [tuple(row) for row in session.execute(select_table(metadata.tables[name])).all()]
        for name in sorted(file_tables())
    }


def _three_files(session):  # type: ignore[no-untyped-def]
    """Sesame (destroy after 24 months): one closed in 2020, one closed last month;
    Alima (anonymise after 84 months): one closed in 2018; and an active Sesame client."""
    old = full_file(session, "sesame", "food_aid", status="closed", closed_on=date(2020, 5, 1))
    recent = full_file(session, "sesame", "food_aid", status="closed", closed_on=date(2026, 10, 1))
    alima = full_file(session, "alima", "prenatal", status="closed", closed_on=date(2018, 3, 1))
    active = full_file(session, "sesame", "food_aid")
    session.commit()
    return old.id, recent.id, alima.id, active.id


def test_every_text_column_of_a_file_is_blanked_or_kept_on_purpose() -> None:
    unclassified = [
        f"{name}.{column.name}"
        for name in sorted(file_tables())
        if name not in DELETED
        for column in metadata.tables[name].c
        if isinstance(column.type, String | Text)
        and column.name not in SCRUBBED.get(name, {})
        and column.name not in KEPT.get(name, frozenset())
    ]
    assert unclassified == []


def test_the_due_date_adds_calendar_months() -> None:
    assert add_months(date(2020, 1, 31), 1) == date(2020, 2, 29)
    assert add_months(date(2018, 3, 1), 84) == date(2025, 3, 1)
    assert add_months(date(2024, 11, 30), 24) == date(2026, 11, 30)


def test_a_dry_run_lists_the_due_files_and_changes_nothing(db_url: str) -> None:
    with session_scope(db_url) as session:
        sesame = actor(session, org="sesame")
        old, recent, _alima, active = _three_files(session)
        before = _snapshot(session, [old, recent, active])
        audits = len(audit_rows(session))
        report = preview_retention(session, sesame, today=TODAY)
        after = _snapshot(session, [old, recent, active])
        new_audits = [(r.action, r.record_type) for r in audit_rows(session)[audits:]]

    assert [(d.client_id, d.action, d.program) for d in report.decisions] == [
        (old, "destroy", "food_aid")
    ]
    assert "2020-05-01" in report.decisions[0].reason and "24 mois" in report.decisions[0].reason
    assert after == before
    assert new_audits == [("read", "retention_preview")]


def test_a_run_destroys_the_old_file_and_keeps_the_recent_one(db_url: str) -> None:
    with session_scope(db_url) as session:
        sesame = actor(session, org="sesame")
        old, recent, alima, active = _three_files(session)
        seen = session.get(Client, old)
        audit(session, sesame, "read", "client", record_id=old, client=seen)
        session.commit()
        kept_before = {cid: counts(session, cid) for cid in (recent, alima, active)}
        report = run_retention(session, sesame, today=TODAY)
        left = counts(session, old)
        kept_after = {cid: counts(session, cid) for cid in (recent, alima, active)}
        about_her = [(r.action, r.detail or "") for r in audit_rows(session) if r.client_id == old]

    assert [d.client_id for d in report.decisions] == [old]
    assert {name: n for name, n in left.items() if n} == {}
    assert report.rows["distributionline"] == 1 and report.rows["client"] == 1
    assert kept_after == kept_before
    # Her audit outlives her file; the purge adds one row, which names no one.
    assert [action for action, _ in about_her] == ["read", "purge"]
    assert "Prénom" not in about_her[1][1] and "Nom" not in about_her[1][1]


def test_a_run_anonymises_under_an_anonymise_rule_and_keeps_the_counts(db_url: str) -> None:
    with session_scope(db_url) as session:
        officer = actor(session)
        _old, _recent, alima, _active = _three_files(session)
        events_before = counts(session, alima)["serviceevent"]
        report = run_retention(session, officer, today=TODAY)
        rows = [(r.action, r.client_id, r.detail or "") for r in audit_rows(session)]
        client = session.get(Client, alima)
        assert client is not None
        events = session.exec(select(ServiceEvent).where(ServiceEvent.client_id == alima)).all()
        consents = session.exec(select(Consent).where(Consent.client_id == alima)).all()
        contacts = session.exec(select(ClientContact).where(ClientContact.client_id == alima)).all()
        enrolment = session.exec(select(Enrolment).where(Enrolment.client_id == alima)).one()
        infant = session.exec(select(Infant).where(Infant.client_id == alima)).one()

    assert [(d.client_id, d.action) for d in report.decisions] == [(alima, "anonymise")]
    assert (client.first_name, client.last_name) == ("anonymisé", "anonymisé")
    assert (client.phone, client.email, client.address) == (None, None, None)
    assert client.postal_code == "H1L" and client.birth_date == date(1994, 1, 1)
    assert client.household_members is None and client.monthly_income is None
    assert client.file_number == f"ANON-{alima}" and client.anonymised_at is not None
    assert len(events) == events_before == 1 and events[0].notes is None
    assert [(c.given_on, c.given_by_name) for c in consents] == [(date(2026, 1, 1), None)]
    assert list(contacts) == []
    assert enrolment.end_reason is None and enrolment.program_id is not None
    assert infant.first_name is None and infant.birth_date == date(2020, 1, 1)
    assert [(a, c) for a, c, _ in rows if c == alima] == [("anonymise", alima)]
    # An anonymised file is never due again.
    with session_scope(db_url) as session:
        assert run_retention(session, officer, today=TODAY).decisions == []


def test_without_enrolment_the_longest_rule_of_her_organisation_applies(db_url: str) -> None:
    with session_scope(db_url) as session:
        sesame = actor(session, org="sesame")
        # Sesame's longest rule is 24 months: closed 23 months ago is not due yet.
        young = records_factories.make_client(
            session, "sesame", status="closed", closed_on=date(2025, 1, 1)
        )
        due = records_factories.make_client(
            session, "sesame", status="closed", closed_on=date(2024, 11, 30)
        )
        session.commit()
        report = preview_retention(session, sesame, today=TODAY)

    assert [d.client_id for d in report.decisions] == [due.id]
    assert young.id not in [d.client_id for d in report.decisions]
    assert "aucun programme" in report.decisions[0].reason


def test_the_longest_of_her_programs_wins(db_url: str) -> None:
    with session_scope(db_url) as session:
        officer = actor(session)
        # Workshops keep 36 months, prenatal 84: closed 5 years ago, both programs -> not due.
        client = full_file(
            session, "alima", "workshops", status="closed", closed_on=date(2021, 9, 1)
        )
        prenatal = records_factories.program(session, "alima", "prenatal")
        session.add(
            Enrolment(client_id=client.id, program_id=prenatal.id, starts_on=date(2021, 1, 1))
        )
        session.commit()
        assert preview_retention(session, officer, today=TODAY).decisions == []
        ahead = preview_retention(session, officer, today=date(2028, 9, 1)).decisions

    assert [(d.program, d.due_on) for d in ahead] == [("prenatal", date(2028, 9, 1))]


def test_only_the_privacy_officer_runs_retention(db_url: str) -> None:
    with session_scope(db_url) as session:
        coordinator = actor(session, "coordinator", org="sesame")
        old, *_ = _three_files(session)
        with pytest.raises(Forbidden):
            run_retention(session, coordinator, today=TODAY)
        assert counts(session, old)["client"] == 1
