"""/v1/records: what is done with a client, through the API, with its access rules and audit."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import records_factories
from accounts import bearer
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import func, select

from api.access import permission_of
from api.app import create_app
from api.routers.records import clinical, events, groups, perinatal, referrals
from core.db import session_scope
from core.models import AuditEvent, Client, Consent, ServiceEvent


@pytest.fixture
def api(db_url: str) -> TestClient:
    return TestClient(create_app())


def _client(db_url: str, org: str = "alima") -> int:
    with session_scope(db_url) as session:
        client = records_factories.make_client(session, org=org)
        session.commit()
        assert client.id is not None
        return client.id


def _audits(db_url: str) -> int:
    with session_scope(db_url) as session:
        return session.exec(select(func.count()).select_from(AuditEvent)).one()


def _once(db_url: str, call: Any) -> Any:
    """Make one request and check it left exactly one audit row."""
    before = _audits(db_url)
    answer = call()
    assert _audits(db_url) == before + 1, answer.text
    return answer


def test_logging_an_event_takes_one_request_and_the_timeline_hides_clinical_notes(
    api: TestClient, db_url: str
) -> None:
    coordinator = bearer(db_url, "coordinator")
    dietitian = bearer(db_url, "dietitian", program="prenatal")
    client_id = _client(db_url)
    events = f"/v1/records/clients/{client_id}/events"

    answer = _once(
        db_url,
        lambda: api.post(
            events, json={"kind": "intake", "program": "prenatal"}, headers=coordinator
        ),
    )
    assert answer.status_code == 201, answer.text
    assert (answer.json()["occurred_on"], answer.json()["mode"]) == (
        date.today().isoformat(),
        "in_person",
    )
    restricted = {"kind": "individual_consultation", "program": "prenatal", "notes": "anémie",
                  "notes_restricted": True}  # fmt: skip
    assert api.post(events, json=restricted, headers=coordinator).status_code == 403
    answer = _once(db_url, lambda: api.post(events, json=restricted, headers=dietitian))
    assert answer.status_code == 201
    unknown = api.post(events, json={"kind": "massage", "program": "prenatal"}, headers=coordinator)
    assert (
        unknown.status_code == 422 and "intake, individual_consultation" in unknown.json()["detail"]
    )

    timeline = f"/v1/records/clients/{client_id}/timeline"
    seen = _once(db_url, lambda: api.get(timeline, headers=coordinator)).json()
    consultation = next(e for e in seen if e["details"]["kind"] == "individual_consultation")
    assert consultation["restricted"] is True and consultation["details"]["notes"] is None
    seen = _once(db_url, lambda: api.get(timeline, headers=dietitian)).json()
    consultation = next(e for e in seen if e["details"]["kind"] == "individual_consultation")
    assert consultation["restricted"] is False and consultation["details"]["notes"] == "anémie"

    event_id = seen[0]["record_id"]
    changed = _once(
        db_url,
        lambda: api.patch(
            f"/v1/records/events/{event_id}", json={"duration_minutes": 45}, headers=coordinator
        ),
    )
    assert changed.json()["duration_minutes"] == 45
    assert (
        _once(
            db_url, lambda: api.delete(f"/v1/records/events/{event_id}", headers=coordinator)
        ).status_code
        == 204
    )
    assert len(_once(db_url, lambda: api.get(events, headers=coordinator)).json()) == 1


def test_another_organisation_gets_404_everywhere(api: TestClient, db_url: str) -> None:
    alima = bearer(db_url, "dietitian")
    sesame = bearer(db_url, "dietitian", organisation="sesame")
    client_id = _client(db_url)
    made = api.post(
        f"/v1/records/clients/{client_id}/assessments",
        json={"program": "prenatal", "calories_kcal": 2400},
        headers=alima,
    ).json()
    event = api.post(
        f"/v1/records/clients/{client_id}/events",
        json={"kind": "intake", "program": "prenatal"},
        headers=alima,
    ).json()
    for path in ("timeline", "events", "referrals", "pregnancies", "assessments", "weights"):
        assert api.get(f"/v1/records/clients/{client_id}/{path}", headers=sesame).status_code == 404
    assert api.get(f"/v1/records/assessments/{made['id']}", headers=sesame).status_code == 404
    assert (
        api.patch(f"/v1/records/events/{event['id']}", json={}, headers=sesame).status_code == 404
    )
    assert api.delete(f"/v1/records/events/{event['id']}", headers=sesame).status_code == 404


def test_an_assessment_is_for_the_dietitians_of_its_program(api: TestClient, db_url: str) -> None:
    prenatal = bearer(db_url, "dietitian", program="prenatal")
    postnatal = bearer(db_url, "dietitian", program="postnatal")
    coordinator = bearer(db_url, "coordinator")
    client_id = _client(db_url)
    body = {"program": "prenatal", "assessed_on": "2026-02-10", "calories_kcal": 2600,
            "protein_g": 95, "supplements": "lait, œuf"}  # fmt: skip
    made = _once(
        db_url,
        lambda: api.post(
            f"/v1/records/clients/{client_id}/assessments", json=body, headers=prenatal
        ),
    )
    assert made.status_code == 201 and made.json()["protein_g"] == 95
    one = f"/v1/records/assessments/{made.json()['id']}"
    assert _once(db_url, lambda: api.get(one, headers=prenatal)).json()["calories_kcal"] == 2600
    refused = _once(db_url, lambda: api.get(one, headers=postnatal))  # the refusal is audited
    assert refused.status_code == 403
    assert api.get(one, headers=coordinator).status_code == 403
    weight = {"program": "prenatal", "weight_kg": "68.4"}
    assert (
        api.post(
            f"/v1/records/clients/{client_id}/weights", json=weight, headers=postnatal
        ).status_code
        == 403
    )
    answer = _once(
        db_url,
        lambda: api.post(f"/v1/records/clients/{client_id}/weights", json=weight, headers=prenatal),
    )
    assert answer.status_code == 201 and answer.json()["weight_kg"] == "68.4"
    hidden = api.get(f"/v1/records/clients/{client_id}/weights", headers=postnatal).json()
    assert hidden[0]["weight_kg"] is None and hidden[0]["restricted"] is True


def test_a_sharing_referral_needs_consent_until_it_is_withdrawn(
    api: TestClient, db_url: str
) -> None:
    coordinator = bearer(db_url, "coordinator")
    client_id = _client(db_url)
    referrals = f"/v1/records/clients/{client_id}/referrals"
    body = {"resource": "CLSC Hochelaga", "shared_information": True}
    refused = api.post(referrals, json=body, headers=coordinator)
    assert refused.status_code == 422 and "consent missing" in refused.json()["detail"]
    with session_scope(db_url) as session:
        client = session.get(Client, client_id)
        assert client is not None
        consent_id = records_factories.make_consent(
            session, client, "sharing", resource="CLSC Hochelaga"
        ).id
        session.commit()
    accepted = _once(db_url, lambda: api.post(referrals, json=body, headers=coordinator))
    assert accepted.status_code == 201 and accepted.json()["consent_id"] == consent_id
    with session_scope(db_url) as session:
        consent = session.get(Consent, consent_id)
        assert consent is not None
        consent.withdrawn_on = date.today()
        session.add(consent)
        session.commit()
    assert api.post(referrals, json=body, headers=coordinator).status_code == 422
    assert len(_once(db_url, lambda: api.get(referrals, headers=coordinator)).json()) == 1


def test_group_sessions_capacity_and_attendance(api: TestClient, db_url: str) -> None:
    admin = bearer(db_url, "admin")
    coordinator = bearer(db_url, "coordinator")
    first, second = _client(db_url), _client(db_url)
    body = {
        "program": "workshops",
        "title": "Atelier purées",
        "held_on": "2026-03-02",
        "capacity": 1,
    }
    assert (
        api.post(
            "/v1/records/group-sessions", json=body, headers=bearer(db_url, "dietitian")
        ).status_code
        == 403
    )
    made = api.post("/v1/records/group-sessions", json=body, headers=admin)
    assert made.status_code == 201, made.text
    attendance = f"/v1/records/group-sessions/{made.json()['id']}/attendance"
    present = {"client_id": first, "present": True}
    assert _once(db_url, lambda: api.post(attendance, json=present, headers=coordinator)).json()[
        "present"
    ]
    assert (
        _once(db_url, lambda: api.post(attendance, json=present, headers=coordinator)).status_code
        == 200
    )
    full = api.post(attendance, json={"client_id": second}, headers=coordinator)
    assert full.status_code == 422 and "capacity is 1" in full.json()["detail"]
    with session_scope(db_url) as session:
        logged = session.exec(
            select(ServiceEvent).where(
                ServiceEvent.client_id == first, ServiceEvent.kind == "group_attendance"
            )
        ).all()
    assert len(logged) == 1
    one = f"/v1/records/group-sessions/{made.json()['id']}"
    assert api.patch(one, json={"capacity": 2}, headers=admin).json()["capacity"] == 2
    assert api.post(attendance, json={"client_id": second}, headers=coordinator).status_code == 200
    read = _once(db_url, lambda: api.get(one, headers=coordinator)).json()
    assert [(row["client_id"], row["present"]) for row in read["attendance"]] == [
        (first, True),
        (second, False),
    ]
    listed = api.get(
        "/v1/records/group-sessions", params={"program": "workshops"}, headers=coordinator
    ).json()
    assert [(row["id"], row["registered"]) for row in listed] == [(made.json()["id"], 2)]
    sesame = bearer(db_url, "coordinator", organisation="sesame")
    assert api.get(one, headers=sesame).status_code == 404
    assert api.get("/v1/records/group-sessions", headers=sesame).json() == []


def test_pregnancy_and_infant(api: TestClient, db_url: str) -> None:
    coordinator = bearer(db_url, "coordinator")
    client_id = _client(db_url)
    made = _once(
        db_url,
        lambda: api.post(
            f"/v1/records/clients/{client_id}/pregnancies",
            json={"expected_on": "2026-06-01"},
            headers=coordinator,
        ),
    )
    assert made.status_code == 201
    outcome = {"outcome": "live_birth", "outcome_on": "2026-05-28"}
    changed = _once(
        db_url,
        lambda: api.patch(
            f"/v1/records/pregnancies/{made.json()['id']}", json=outcome, headers=coordinator
        ),
    )
    assert changed.json()["outcome"] == "live_birth"
    baby = {
        "birth_date": "2026-05-28",
        "birth_weight_g": 3400,
        "gestational_age_weeks": 39,
        "feeding": "breast",
    }
    infant = _once(
        db_url,
        lambda: api.post(
            f"/v1/records/clients/{client_id}/infants", json=baby, headers=coordinator
        ),
    )
    assert infant.status_code == 201 and infant.json()["birth_weight_g"] == 3400
    listed = _once(
        db_url, lambda: api.get(f"/v1/records/clients/{client_id}/pregnancies", headers=coordinator)
    )
    assert [row["outcome"] for row in listed.json()] == ["live_birth"]
    sesame_client = _client(db_url, org="sesame")
    sesame = bearer(db_url, "coordinator", organisation="sesame")
    refused = api.post(
        f"/v1/records/clients/{sesame_client}/pregnancies",
        json={"expected_on": "2026-06-01"},
        headers=sesame,
    )
    assert refused.status_code == 422


def test_each_care_route_declares_exactly_one_permission() -> None:
    routers = (events.router, groups.router, referrals.router, perinatal.router, clinical.router)
    routes = [route for router in routers for route in router.routes]
    assert len(routes) == 25
    for route in routes:
        assert isinstance(route, APIRoute) and route.path.startswith("/v1/records/")
        declared = [
            permission_of(dependency.call)
            for dependency in route.dependant.dependencies
            if permission_of(dependency.call) is not None
        ]
        assert len(declared) == 1, route.path
