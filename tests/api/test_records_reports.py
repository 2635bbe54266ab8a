"""/v1/records reports, activities and satisfaction surveys: roles, other organisations, files."""

from __future__ import annotations

from datetime import date

import records_factories
from accounts import bearer
from fastapi.testclient import TestClient

from api.app import create_app
from core.db import session_scope
from core.models import ServiceEvent
from services.records.outputs import COLUMNS

OUTPUTS = "/v1/records/reports/outputs?from=2026-03&to=2026-03"


def seed(db_url: str, clients: int) -> None:
    with session_scope(db_url) as session:
        program_id = records_factories.program(session).id
        assert program_id is not None
        for _ in range(clients):
            client = records_factories.make_client(session)
            records_factories.make_consent(session, client, "statistics")
            assert client.id is not None
            session.add(ServiceEvent(client_id=client.id, program_id=program_id,
                                     kind="individual_consultation",
                                     occurred_on=date(2026, 3, 9)))  # fmt: skip
        session.commit()


def test_an_analyst_reads_the_report_as_json_csv_and_xlsx(db_url: str) -> None:
    seed(db_url, 6)
    api = TestClient(create_app())
    analyst = bearer(db_url, "analyst")
    answer = api.get(OUTPUTS + "&by=age", headers=analyst)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["columns"] == list(COLUMNS)
    assert body["rows"][-1] == {**body["rows"][-1], "dimension": "Total", "clients": 6}
    csv_answer = api.get(OUTPUTS + "&format=csv", headers=analyst)
    assert csv_answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv_answer.headers["content-disposition"]
    assert csv_answer.text.splitlines()[0] == ",".join(COLUMNS)
    xlsx = api.get(OUTPUTS + "&format=xlsx", headers=analyst)
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    # Aggregates only: the report, never the client files.
    assert api.get(OUTPUTS, headers=bearer(db_url, "dietitian")).status_code == 403
    assert api.get(OUTPUTS + "&org=sesame", headers=analyst).status_code == 404
    assert (
        api.get("/v1/records/reports/outputs?from=2026-03&to=x", headers=analyst).status_code == 422
    )


def test_small_counts_are_null_and_listed(db_url: str) -> None:
    seed(db_url, 2)
    body = TestClient(create_app()).get(OUTPUTS, headers=bearer(db_url, "coordinator")).json()
    (total,) = body["rows"]
    assert total["clients"] is None and total["services_individual_consultation"] is None
    assert {"row": "Total", "column": "clients"} in body["suppressed"]


def test_activities_crud_and_other_organisation_404(db_url: str) -> None:
    api = TestClient(create_app())
    coordinator = bearer(db_url, "coordinator")
    new = {"kind": "webinar", "title": "Manger bien, petit budget", "held_on": "2026-03-10",
           "participants": 40}  # fmt: skip
    created = api.post("/v1/records/activities", json=new, headers=coordinator)
    assert created.status_code == 201, created.text
    activity_id = created.json()["id"]
    assert api.post("/v1/records/activities", json={**new, "kind": "party"},
                    headers=coordinator).status_code == 422  # fmt: skip
    changed = api.patch(f"/v1/records/activities/{activity_id}", json={"participants": 45},
                        headers=coordinator)  # fmt: skip
    assert changed.json()["participants"] == 45 and changed.json()["kind"] == "webinar"
    listed = api.get("/v1/records/activities", headers=coordinator).json()
    assert [a["id"] for a in listed] == [activity_id]
    report = api.get(OUTPUTS, headers=coordinator).json()
    webinar = next(r for r in report["activities"]["rows"] if r["activity_kind"] == "webinar")
    assert (webinar["activities"], webinar["participants"]) == (1, 45)
    other = bearer(db_url, "coordinator", organisation="sesame")
    for method in ("patch", "delete"):
        answer = api.request(method, f"/v1/records/activities/{activity_id}",
                             json={"title": "x"}, headers=other)  # fmt: skip
        assert answer.status_code == 404
    assert api.get("/v1/records/activities", headers=bearer(db_url, "analyst")).status_code == 403
    assert api.delete(f"/v1/records/activities/{activity_id}",
                      headers=coordinator).status_code == 204  # fmt: skip
    assert api.get("/v1/records/activities", headers=coordinator).json() == []


def test_satisfaction_survey_through_the_api(db_url: str) -> None:
    api = TestClient(create_app())
    coordinator = bearer(db_url, "coordinator")
    survey = api.post("/v1/records/satisfaction-surveys", headers=coordinator, json={
        "program": "prenatal", "title": "Printemps", "opens_on": "2026-03-01",
        "closes_on": "2026-05-31"})  # fmt: skip
    assert survey.status_code == 201, survey.text
    survey_id = survey.json()["id"]
    scale = next(q["id"] for q in survey.json()["questions"] if q["kind"] == "scale_1_5")
    volunteer = bearer(db_url, "volunteer")
    assert [s["id"] for s in api.get("/v1/records/satisfaction-surveys",
                                     headers=volunteer).json()] == [survey_id]  # fmt: skip
    for score in (5, 4, 4, 5, 2):
        answer = api.post(f"/v1/records/satisfaction-surveys/{survey_id}/responses",
                          json={"answers": [{"question_id": scale, "score": score}]},
                          headers=volunteer)  # fmt: skip
        assert answer.status_code == 201, answer.text
    analyst = bearer(db_url, "analyst")
    summary = api.get(f"/v1/records/satisfaction-surveys/{survey_id}/summary", headers=analyst)
    first = summary.json()["questions"][0]
    assert (first["n"], first["mean"], first["suppressed"]) == (5, 4.0, False)
    assert api.get(f"/v1/records/satisfaction-surveys/{survey_id}/summary",
                   headers=volunteer).status_code == 403  # fmt: skip
    sesame = bearer(db_url, "coordinator", organisation="sesame")
    assert api.get(f"/v1/records/satisfaction-surveys/{survey_id}/summary",
                   headers=sesame).status_code == 404  # fmt: skip
    assert api.post(f"/v1/records/satisfaction-surveys/{survey_id}/responses",
                    json={"answers": [{"question_id": scale, "score": 3}]},
                    headers=sesame).status_code == 404  # fmt: skip
