"""The outputs report page shows Le Sésame's operations, meals delivered included, in her
language, with the services by territory."""

from __future__ import annotations

import meals_world
from accounts import bearer
from fastapi.testclient import TestClient
from meals_world import MONDAY
from web_helpers import sign_in

from api.app import create_app
from core.db import session_scope
from core.regions import ensure_regions
from services.records.meals.outcomes import OutcomeInput, record_outcome
from services.records.meals.runs import plan_day

REPORT = "/app/reports?org=sesame&period_from=2026-12&period_to=2026-12"


def test_the_report_page_shows_the_meals_delivered_and_the_territories(db_url: str) -> None:
    with session_scope(db_url) as session:
        ensure_regions(session)  # the territories' names
        w = meals_world.world(session, clients=3, routes=1)
        day = plan_day(session, w.coordinator, MONDAY)
        for stop, outcome in zip(
            day.runs[0].stops, ("delivered", "delivered", "no_answer"), strict=True
        ):
            record_outcome(session, w.drivers[0], stop.id, OutcomeInput(outcome=outcome))
        meals = sum(s.meals for s in day.runs[0].stops[:2])
    email = "coord-report@sesame.example"
    bearer(db_url, "coordinator", email=email, organisation="sesame")
    client = TestClient(create_app())
    sign_in(client, email)

    page = client.get(REPORT)

    assert page.status_code == 200
    assert "Opérations par territoire" in page.text
    row = page.text.split("Repas livrés (remis ou laissés à la porte)</th>")[1]
    assert row.split("</td>")[0].endswith(f">{meals}")
    assert "Mercier-Est" in page.text and "Pointe-aux-Trembles" in page.text
    assert "Livraisons sans réponse" in page.text
