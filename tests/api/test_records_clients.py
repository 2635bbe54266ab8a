"""/v1/records/clients: intake and its 409, who may see what, one audit row per request."""

from __future__ import annotations

from typing import Any

import pytest
from accounts import bearer
from fastapi.testclient import TestClient
from sqlmodel import func, select

from api.app import create_app
from core.db import session_scope
from core.models import AuditEvent
from services.access.organisations import ensure_organisations
from services.records.territories import ensure_postal_territories

URL = "/v1/records/clients"
MARIE = {
    "first_name": "Marie-Ève",
    "last_name": "Tremblay",
    "birth_date": "1994-03-02",
    "postal_code": "h1l 2a3",
    "monthly_income": "1850.00",
    "monthly_rent": "925.50",
}


@pytest.fixture
def api(db_url: str) -> TestClient:
    with session_scope(db_url) as session:
        ensure_organisations(session)
        ensure_postal_territories(session)
        session.commit()
    return TestClient(create_app())


def audit_rows(db_url: str) -> int:
    with session_scope(db_url) as session:
        return session.exec(select(func.count()).select_from(AuditEvent)).one()


def open_file(api: TestClient, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    answer = api.post(URL, json={**MARIE, **fields}, headers=headers, params={"force": True})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_intake_answers_409_with_the_candidates_then_opens_when_forced(
    api: TestClient, db_url: str
) -> None:
    headers = bearer(db_url, "coordinator")
    answer = api.post(URL, json=MARIE, headers=headers)
    assert answer.status_code == 201, answer.text
    first = answer.json()
    assert first["territory"] == "mercier-est" and first["postal_code"] == "H1L 2A3"
    assert first["file_number"].startswith("A-")
    again = {**MARIE, "first_name": "Marie Eve", "postal_code": None}
    answer = api.post(URL, json=again, headers=headers)
    assert answer.status_code == 409
    (candidate,) = answer.json()["duplicates"]
    assert {k: candidate[k] for k in ("file_number", "first_name", "birth_date", "score")} == {
        "file_number": first["file_number"],
        "first_name": "Marie-Ève",
        "birth_date": "1994-03-02",
        "score": 100.0,
    }
    answer = api.post(URL, json=again, headers=headers, params={"force": "true"})
    assert answer.status_code == 201 and answer.json()["id"] != first["id"]
    search = {"first_name": "marie eve", "last_name": "tremblay", "birth_date": "1994-03-02"}
    answer = api.get(f"{URL}/duplicates", params=search, headers=headers)
    assert answer.status_code == 200 and len(answer.json()) == 2
    # Le Sésame's coordinator opens hers without a word about Alima's.
    sesame = bearer(db_url, "coordinator", organisation="sesame")
    assert api.post(URL, json=again, headers=sesame).status_code == 201
    (own,) = api.get(f"{URL}/duplicates", params=search, headers=sesame).json()
    assert own["file_number"].startswith("S-")


def test_malformed_postal_code_and_self_consent_under_14_are_refused(
    api: TestClient, db_url: str
) -> None:
    headers = bearer(db_url, "coordinator")
    answer = api.post(URL, json={**MARIE, "postal_code": "12345"}, headers=headers)
    assert answer.status_code == 422 and "postal code" in answer.json()["detail"]
    child = {"first_name": "Léa", "last_name": "Roy", "birth_date": "2015-01-01"}
    consent = {"purpose": "services", "text_version": "2026-01", "given_on": "2026-01-05"}
    answer = api.post(URL, json={**child, "consents": [consent]}, headers=headers)
    assert answer.status_code == 422 and "under 14" in answer.json()["detail"]
    by_parent = {**consent, "given_by": "parent", "given_by_name": "Anne Roy"}
    answer = api.post(URL, json={**child, "consents": [by_parent]}, headers=headers)
    assert answer.status_code == 201


def test_another_organisation_gets_404_as_for_a_file_that_does_not_exist(
    api: TestClient, db_url: str
) -> None:
    file = open_file(api, bearer(db_url, "coordinator"))
    sesame = bearer(db_url, "coordinator", organisation="sesame")
    for method, path in [
        ("get", f"{URL}/{file['id']}"),
        ("patch", f"{URL}/{file['id']}"),
        ("get", f"{URL}/{file['id']}/consents"),
        ("get", f"{URL}/{file['id']}/contacts"),
    ]:
        answer = api.request(method, path, json={"phone": "514"}, headers=sesame)
        assert answer.status_code == 404, (method, path)
        assert answer.json() == {"detail": f"no client {file['id']}"}
    missing = api.get(f"{URL}/999999", headers=sesame)
    assert missing.status_code == 404 and missing.json() == {"detail": "no client 999999"}


@pytest.mark.parametrize("role", ["volunteer", "analyst", "admin"])
def test_roles_without_client_permissions_get_403(api: TestClient, db_url: str, role: str) -> None:
    file = open_file(api, bearer(db_url, "coordinator"))
    headers = bearer(db_url, role)
    for method, path in [
        ("get", URL),
        ("post", URL),
        ("get", f"{URL}/{file['id']}"),
        ("patch", f"{URL}/{file['id']}"),
        ("post", f"{URL}/{file['id']}/consents"),
    ]:
        answer = api.request(method, path, json=MARIE, headers=headers)
        assert answer.status_code == 403, (role, method, path)


def test_finances_are_hidden_from_a_coordinator_and_shown_to_a_dietitian(
    api: TestClient, db_url: str
) -> None:
    file = open_file(api, bearer(db_url, "coordinator"))
    seen = api.get(f"{URL}/{file['id']}", headers=bearer(db_url, "coordinator")).json()
    assert (seen["monthly_income"], seen["monthly_rent"], seen["finances_restricted"]) == (
        None,
        None,
        True,
    )
    seen = api.get(f"{URL}/{file['id']}", headers=bearer(db_url, "dietitian")).json()
    assert (seen["monthly_income"], seen["monthly_rent"], seen["finances_restricted"]) == (
        "1850.00",
        "925.50",
        False,
    )


def test_each_read_and_write_leaves_exactly_one_audit_row(api: TestClient, db_url: str) -> None:
    headers = bearer(db_url, "coordinator")
    calls: list[tuple[str, str, dict[str, Any] | None, int]] = []

    def call(method: str, path: str, body: dict[str, Any] | None = None, status: int = 200) -> Any:
        before = audit_rows(db_url)
        answer = api.request(method, path, json=body, headers=headers)
        assert answer.status_code == status, (method, path, answer.text)
        assert audit_rows(db_url) == before + 1, (method, path)
        calls.append((method, path, body, status))
        return answer.json() if answer.content else None

    file = call("post", URL, MARIE, 201)
    other = call("post", f"{URL}?force=true", {**MARIE, "first_name": "Marie Eve"}, 201)
    one = f"{URL}/{file['id']}"
    call("get", URL)
    call("get", f"{URL}/duplicates?first_name=Marie&last_name=Tremblay")
    call("get", one)
    assert call("patch", one, {"phone": "514-555-0101"})["phone"] == "514-555-0101"
    call("post", f"{one}/status", {"status": "paused", "reason": "hospital"})
    call("post", f"{one}/pauses", {"starts_on": "2026-04-01", "ends_on": "2026-04-15"}, 201)
    call("get", f"{one}/pauses")
    contact = call("post", f"{one}/contacts", {"kind": "emergency", "name": "Luc"}, 201)
    call("get", f"{one}/contacts")
    call("delete", f"{one}/contacts/{contact['id']}", status=204)
    consent = {"purpose": "statistics", "text_version": "2026-01", "given_on": "2026-01-05"}
    consent = call("post", f"{one}/consents", consent, 201)
    withdrawn = call("post", f"{one}/consents/{consent['id']}/withdraw", {}, 200)
    assert withdrawn["withdrawn_on"] is not None
    assert len(call("get", f"{one}/consents")) == 1
    enrolment = call("post", f"{one}/enrolments", {"program": "prenatal"}, 201)
    ended = call("post", f"{one}/enrolments/{enrolment['id']}/end", {"reason": "moved"})
    assert ended["end_reason"] == "moved"
    call("get", f"{one}/enrolments")
    merged = call("post", f"{URL}/{other['id']}/merge-into/{file['id']}")
    assert merged["kept"]["id"] == file["id"]
    pointer = call("get", f"{URL}/{other['id']}")
    assert pointer["merged_into"] == {"id": file["id"], "file_number": file["file_number"]}
    assert len(calls) == 20
