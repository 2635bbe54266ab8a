"""/v1/records privacy routes: the privacy officer's; 403 for other roles, 404 across orgs."""

from __future__ import annotations

from datetime import date

import pytest
from accounts import bearer
from fastapi.testclient import TestClient
from privacy_files import file_tables, full_file

from api.app import create_app
from core.db import session_scope
from core.models import Client

REQUEST = {"kind": "access", "requester": "M", "received_on": "2026-11-02"}
INCIDENT = {"information_concerned": "i", "circumstances": "c", "discovered_on": "2026-11-02"}
# Every route of the router, with a body where it needs one.
ROUTES = [
    ("get", "/v1/records/audit", None),
    ("get", "/v1/records/clients/{client_id}/export", None),
    ("post", "/v1/records/access-requests", REQUEST),
    ("get", "/v1/records/access-requests", None),
    ("patch", "/v1/records/access-requests/1", {"notes": "x"}),
    ("post", "/v1/records/incidents", INCIDENT),
    ("get", "/v1/records/incidents", None),
    ("patch", "/v1/records/incidents/1", {"people_affected": 2}),
    ("post", "/v1/records/retention/preview", {}),
    ("post", "/v1/records/retention/run", {}),
]  # fmt: skip


@pytest.fixture
def api(db_url: str) -> TestClient:
    return TestClient(create_app())


def _client(db_url: str, org: str = "alima", **values: object) -> int:
    with session_scope(db_url) as session:
        client = full_file(session, org, "prenatal" if org == "alima" else "food_aid", **values)
        session.commit()
        assert client.id is not None
        return client.id


@pytest.mark.parametrize("role", ["coordinator", "dietitian", "admin", "analyst", "volunteer"])
def test_other_roles_are_refused_every_route(api: TestClient, db_url: str, role: str) -> None:
    headers = bearer(db_url, role)
    client_id = _client(db_url)
    for method, path, body in ROUTES:
        answer = api.request(method, path.format(client_id=client_id), json=body, headers=headers)
        assert answer.status_code == 403, (method, path, answer.text)
    assert api.get("/v1/records/audit").status_code == 401


def test_the_export_answers_every_table(api: TestClient, db_url: str) -> None:
    headers = bearer(db_url, "privacy_officer")
    client_id = _client(db_url)
    answer = api.get(f"/v1/records/clients/{client_id}/export", headers=headers)
    assert answer.status_code == 200
    body = answer.json()
    assert set(body["tables"]) == file_tables() | {"auditevent"}
    assert body["tables"]["client"][0]["id"] == client_id
    assert body["tables"]["attendance"][0]["group_session_title"] == "Atelier purées"
    # The export is in the log, read through the API by the same officer.
    log = api.get("/v1/records/audit", params={"action": "export"}, headers=headers).json()
    assert [row["client_id"] for row in log["rows"]] == [client_id]
    assert log["rows"][0]["who"].startswith("privacy_officer-")


def test_another_organisations_records_are_not_found(api: TestClient, db_url: str) -> None:
    alima = bearer(db_url, "privacy_officer")
    sesame = bearer(db_url, "privacy_officer", organisation="sesame")
    client_id = _client(db_url)
    request = api.post("/v1/records/access-requests", json=REQUEST, headers=alima).json()
    incident = api.post("/v1/records/incidents", json=INCIDENT, headers=alima).json()
    refused = [
        api.get(f"/v1/records/clients/{client_id}/export", headers=sesame),
        api.patch(f"/v1/records/access-requests/{request['id']}", json={}, headers=sesame),
        api.patch(f"/v1/records/incidents/{incident['id']}", json={}, headers=sesame),
        api.get("/v1/records/audit", params={"org": "alima"}, headers=sesame),
        api.get("/v1/records/incidents", params={"org": "alima"}, headers=sesame),
        api.post("/v1/records/retention/run", json={"organisation": "alima"}, headers=sesame),
    ]  # fmt: skip
    assert [answer.status_code for answer in refused] == [404] * len(refused)
    assert api.get("/v1/records/incidents", headers=sesame).json() == []


def test_access_requests_and_incidents_through_the_api(api: TestClient, db_url: str) -> None:
    headers = bearer(db_url, "privacy_officer")
    client_id = _client(db_url)
    created = api.post(
        "/v1/records/access-requests",
        json={"kind": "portability", "requester": "Marie B.", "received_on": "2026-01-05",
              "client_id": client_id},
        headers=headers,
    )  # fmt: skip
    assert created.status_code == 201
    assert created.json()["due_on"] == "2026-02-04" and created.json()["overdue"]
    listed = api.get("/v1/records/access-requests", params={"open": "true"}, headers=headers)
    # full_file recorded one request already; both are open.
    assert [row["id"] for row in listed.json()][-1] == created.json()["id"]
    assert all(row["answered_on"] is None for row in listed.json())
    answered = api.patch(
        f"/v1/records/access-requests/{created.json()['id']}",
        json={"answered_on": "2026-01-20"},
        headers=headers,
    )
    assert answered.json()["answered_late"] is False
    bad = api.post(
        "/v1/records/access-requests", json={**REQUEST, "kind": "erase"}, headers=headers
    )
    assert bad.status_code == 422

    incident = api.post(
        "/v1/records/incidents",
        json={**INCIDENT, "serious_harm_risk": True},
        headers=headers,
    ).json()
    assert incident["notices_owed"] is True
    patched = api.patch(
        f"/v1/records/incidents/{incident['id']}",
        json={"commission_notified_on": "2026-11-03", "people_notified_on": "2026-11-03"},
        headers=headers,
    )
    assert patched.status_code == 200 and patched.json()["notices_owed"] is False


def test_retention_preview_then_run(api: TestClient, db_url: str) -> None:
    headers = bearer(db_url, "privacy_officer", organisation="sesame")
    old = _client(db_url, "sesame", status="closed", closed_on=date(2020, 1, 1))
    recent = _client(db_url, "sesame", status="closed", closed_on=date.today())
    preview = api.post("/v1/records/retention/preview", json={}, headers=headers)
    assert preview.status_code == 200
    assert [(d["client_id"], d["action"]) for d in preview.json()["decisions"]] == [
        (old, "destroy")
    ]
    ahead = api.post(
        "/v1/records/retention/preview", json={"today": "2099-01-01"}, headers=headers
    ).json()
    assert {d["client_id"] for d in ahead["decisions"]} == {old, recent}
    # A run is as of today only: another day is refused, not ignored.
    assert (
        api.post(
            "/v1/records/retention/run", json={"today": "2099-01-01"}, headers=headers
        ).status_code
        == 422
    )
    run = api.post("/v1/records/retention/run", json={}, headers=headers).json()
    assert [d["client_id"] for d in run["decisions"]] == [old] and run["rows"]["client"] == 1
    with session_scope(db_url) as session:
        assert session.get(Client, old) is None and session.get(Client, recent) is not None
