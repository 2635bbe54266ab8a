"""The privacy officer's screens through HTTP: each page, its forms, and who is refused."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, timedelta

import pytest
import records_factories
from fastapi.testclient import TestClient
from sqlmodel import select
from web_helpers import account, csrf_of, sign_in

from api.app import create_app
from core.db import session_scope
from core.models import AccessRequest, AuditEvent, Client, ConfidentialityIncident

OFFICER = "privacy@alima.example"


@pytest.fixture
def client(db_url: str) -> TestClient:
    return TestClient(create_app())


@pytest.fixture
def files(db_url: str) -> dict[str, str]:
    """Alima's officer; an open file and a file closed long ago at alima; one at sesame."""
    account(db_url, "privacy_officer", OFFICER)
    with session_scope(db_url) as session:
        mine = records_factories.make_client(session, "alima", file_number="AL-1")
        records_factories.make_client(
            session, "alima", file_number="AL-OLD", status="closed", closed_on=date(2001, 1, 1)
        )
        records_factories.make_client(session, "sesame", file_number="SE-1")
        session.commit()
        assert mine.id is not None
    return {"mine": "AL-1", "old": "AL-OLD", "theirs": "SE-1"}


@pytest.fixture
def officer(client: TestClient, files: dict[str, str]) -> TestClient:
    sign_in(client, OFFICER)
    return client


def test_the_home_links_the_privacy_screens(officer: TestClient) -> None:
    answer = officer.get("/app/sections/privacy")
    assert answer.status_code == 200 and str(answer.url).endswith("/app/privacy")
    for link in ("audit", "requests", "export", "retention", "incidents"):
        assert f'href="/app/privacy/{link}"' in answer.text
    assert "Journal des accès" in answer.text


def test_audit_search_by_file_number_user_action_and_dates(
    officer: TestClient, db_url: str
) -> None:
    # Exporting her file leaves an "export" row about AL-1 by the officer.
    token = csrf_of(officer.get("/app/privacy/export").text)
    assert officer.post("/app/privacy/export", data={"csrf": token, "file_number": "AL-1",
                        "format": "json"}).status_code == 200  # fmt: skip
    today = date.today().isoformat()
    found = officer.get(
        "/app/privacy/audit",
        params={"file_number": "AL-1", "user": OFFICER, "action": "export",
                "since": today, "until": today},
    )  # fmt: skip
    assert found.status_code == 200
    assert found.text.count("<td>AL-1</td>") == 1 and OFFICER in found.text
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    none = officer.get("/app/privacy/audit", params={"file_number": "AL-1", "until": yesterday})
    assert "Aucun événement" in none.text
    wrong = officer.get("/app/privacy/audit", params={"since": "31/12/2026"})
    assert wrong.status_code == 422 and '<a href="#since">' in wrong.text


def test_audit_log_pages_older_events(officer: TestClient) -> None:
    for _ in range(51):  # each reading of the log is audited: 51 rows and more
        officer.get("/app/privacy/audit", params={"action": "create"})
    first = officer.get("/app/privacy/audit", params={"action": "read"})
    assert "Événements plus anciens" in first.text
    link = first.text.split('href="/app/privacy/audit?action=read&amp;before=')[1].split('"')[0]
    older = officer.get(f"/app/privacy/audit?action=read&before={link}")
    assert older.status_code == 200 and "Événements les plus récents" in older.text


def test_access_requests_are_recorded_answered_and_overdue_said_in_words(
    officer: TestClient, db_url: str
) -> None:
    page = officer.get("/app/privacy/requests")
    token = csrf_of(page.text)
    old = (date.today() - timedelta(days=40)).isoformat()
    added = officer.post(
        "/app/privacy/requests",
        data={"csrf": token, "kind": "access", "requester": "Mme Tremblay",
              "received_on": old, "file_number": "AL-1"},
    )  # fmt: skip
    assert added.status_code == 200 and "La demande a été enregistrée" in added.text
    assert "En retard" in added.text and "de 10 jours" in added.text
    # Another organisation's file number is not found (nothing says it exists).
    theirs = officer.post(
        "/app/privacy/requests",
        data={"csrf": token, "kind": "access", "requester": "X", "received_on": old,
              "file_number": "SE-1"},
    )  # fmt: skip
    assert theirs.status_code == 422 and '<a href="#file_number">' in theirs.text
    missing = officer.post("/app/privacy/requests", data={"csrf": token, "kind": "access"})
    assert missing.status_code == 422 and '<a href="#requester">' in missing.text
    with session_scope(db_url) as session:
        (row,) = session.exec(select(AccessRequest)).all()
        request_id = row.id
    answered = officer.post(
        f"/app/privacy/requests/{request_id}",
        data={"csrf": token, "answered_on": date.today().isoformat()},
    )
    assert "Réponse envoyée le" in answered.text and "en retard" in answered.text
    assert officer.post(f"/app/privacy/requests/{request_id}", data={}).status_code == 403


def test_the_export_downloads_a_zip_or_the_json_and_never_another_organisations(
    officer: TestClient,
) -> None:
    token = csrf_of(officer.get("/app/privacy/export").text)
    as_zip = officer.post(
        "/app/privacy/export", data={"csrf": token, "file_number": "AL-1", "format": "zip"}
    )
    assert as_zip.status_code == 200 and as_zip.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(as_zip.content)).namelist()
    assert any(name.endswith("/export.json") for name in names)
    assert any(name.endswith("/client.csv") for name in names)
    as_json = officer.post(
        "/app/privacy/export", data={"csrf": token, "file_number": "AL-1", "format": "json"}
    )
    assert json.loads(as_json.content)["file_number"] == "AL-1"
    theirs = officer.post(
        "/app/privacy/export", data={"csrf": token, "file_number": "SE-1", "format": "json"}
    )
    assert theirs.status_code == 404 and "SE-1" not in theirs.text.replace('value="SE-1"', "")
    assert officer.post("/app/privacy/export", data={"file_number": "AL-1"}).status_code == 403


def test_retention_preview_then_run_only_once_confirmed(officer: TestClient, db_url: str) -> None:
    preview = officer.get("/app/privacy/retention")
    assert preview.status_code == 200 and "<td>AL-OLD</td>" in preview.text
    assert "<td>AL-1</td>" not in preview.text
    token = csrf_of(preview.text)
    unconfirmed = officer.post("/app/privacy/retention", data={"csrf": token})
    assert unconfirmed.status_code == 422 and '<a href="#confirm">' in unconfirmed.text
    assert officer.post("/app/privacy/retention", data={"confirm": "yes"}).status_code == 403
    with session_scope(db_url) as session:
        assert session.exec(select(Client).where(Client.file_number == "AL-OLD")).first()
    run = officer.post("/app/privacy/retention", data={"csrf": token, "confirm": "yes"})
    assert run.status_code == 200 and "La purge a été faite" in run.text
    with session_scope(db_url) as session:
        old = session.exec(select(Client).where(Client.file_number == "AL-OLD")).first()
        assert old is None or old.anonymised_at is not None
        assert session.exec(select(Client).where(Client.file_number == "SE-1")).first()
        kinds = {event.action for event in session.exec(select(AuditEvent)).all()}
        assert kinds & {"purge", "anonymise"}


def test_incidents_are_added_checked_and_updated(officer: TestClient, db_url: str) -> None:
    token = csrf_of(officer.get("/app/privacy/incidents/new").text)
    today = date.today().isoformat()
    wrong = officer.post(
        "/app/privacy/incidents",
        data={"csrf": token, "information_concerned": "", "circumstances": "Courriel",
              "discovered_on": today, "occurred_on": "2999-01-01", "people_affected": "deux"},
    )  # fmt: skip
    assert wrong.status_code == 422
    for field in ("information_concerned", "occurred_on", "people_affected"):
        assert f'<a href="#{field}">' in wrong.text
    assert "Courriel" in wrong.text  # the values are kept
    added = officer.post(
        "/app/privacy/incidents",
        data={"csrf": token, "information_concerned": "Noms et adresses",
              "circumstances": "Courriel envoyé au mauvais destinataire",
              "discovered_on": today, "people_affected": "3", "serious_harm_risk": "yes"},
    )  # fmt: skip
    assert added.status_code == 200 and "Noms et adresses" in added.text
    assert "Avis à envoyer" in added.text
    with session_scope(db_url) as session:
        (incident,) = session.exec(select(ConfidentialityIncident)).all()
        incident_id = incident.id
    form = officer.get(f"/app/privacy/incidents/{incident_id}")
    assert "Noms et adresses" in form.text and "checked" in form.text
    updated = officer.post(
        f"/app/privacy/incidents/{incident_id}",
        data={"csrf": token, "information_concerned": "Noms et adresses",
              "circumstances": "Courriel", "discovered_on": today, "people_affected": "3",
              "serious_harm_risk": "yes", "commission_notified_on": today,
              "people_notified_on": today, "measures_taken": "Rappel du courriel"},
    )  # fmt: skip
    assert "La fiche a été mise à jour" in updated.text and "Avis à envoyer" not in updated.text
    assert officer.get("/app/privacy/incidents/99999").status_code == 404


def test_an_other_organisations_incident_is_not_found(officer: TestClient, db_url: str) -> None:
    with session_scope(db_url) as session:
        sesame = records_factories.organisation(session, "sesame")
        entry = ConfidentialityIncident(
            organisation_id=sesame.id, information_concerned="Secret de Sésame",
            circumstances="x", discovered_on=date(2026, 1, 1),
        )  # fmt: skip
        session.add(entry)
        session.commit()
        entry_id = entry.id
    assert officer.get(f"/app/privacy/incidents/{entry_id}").status_code == 404
    token = csrf_of(officer.get("/app/privacy/incidents").text)
    changed = officer.post(
        f"/app/privacy/incidents/{entry_id}",
        data={"csrf": token, "information_concerned": "pris", "circumstances": "x",
              "discovered_on": "2026-01-02"},
    )  # fmt: skip
    assert changed.status_code == 404
    assert "Secret de Sésame" not in officer.get("/app/privacy/incidents").text


@pytest.mark.parametrize("role", ["volunteer", "dietitian", "coordinator"])
@pytest.mark.parametrize(
    "path",
    ["/app/privacy", "/app/privacy/audit", "/app/privacy/requests", "/app/privacy/export",
     "/app/privacy/retention", "/app/privacy/incidents", "/app/privacy/incidents/new"],
)  # fmt: skip
def test_other_roles_get_the_403_page(
    client: TestClient, db_url: str, role: str, path: str
) -> None:
    sign_in(client, account(db_url, role, f"{role}@alima.example"))
    answer = client.get(path)
    assert answer.status_code == 403 and "Accès refusé" in answer.text


def test_other_roles_cannot_post_either(client: TestClient, db_url: str) -> None:
    sign_in(client, account(db_url, "volunteer", "vol@alima.example"))
    token = csrf_of(client.get("/app/home").text)
    for path in ("/app/privacy/retention", "/app/privacy/export", "/app/privacy/incidents"):
        answer = client.post(path, data={"csrf": token, "confirm": "yes", "file_number": "x"})
        assert answer.status_code == 403 and "Accès refusé" in answer.text


def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient, files: object) -> None:
    answer = client.get("/app/privacy/audit", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/app/signin?next=")


def test_the_pages_speak_english(officer: TestClient) -> None:
    token = csrf_of(officer.get("/app/home").text)
    officer.post("/app/language", data={"csrf": token, "lang": "en", "next": "/app/home"})
    assert "Record a new request" in officer.get("/app/privacy/requests").text
    assert "Files due (preview)" in officer.get("/app/privacy/retention").text


def test_the_audit_log_never_shows_another_organisations_events(
    officer: TestClient, db_url: str
) -> None:
    with session_scope(db_url) as session:
        sesame = records_factories.organisation(session, "sesame")
        theirs = session.exec(select(Client).where(Client.file_number == "SE-1")).one()
        session.add(
            AuditEvent(organisation_id=sesame.id, action="read", record_type="client",
                       client_id=theirs.id, source="10.0.0.9", detail="secret-sesame")
        )  # fmt: skip
        session.commit()
    for params in ({}, {"file_number": "SE-1"}, {"action": "read"}):
        page = officer.get("/app/privacy/audit", params=params)
        assert page.status_code == 200
        assert "secret-sesame" not in page.text and "10.0.0.9" not in page.text
