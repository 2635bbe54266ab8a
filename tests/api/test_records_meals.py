"""The meals-on-wheels API: a coordinator plans the day, a driver reads her sheet and records
outcomes, the office follows a no-answer up; who may do what."""

from __future__ import annotations

from typing import Any

import meals_world
import records_factories
from accounts import bearer
from fastapi.testclient import TestClient
from meals_world import MONDAY
from sqlmodel import select

from api.access import permission_of
from api.app import create_app
from core.db import session_scope
from core.models import User

R = "/v1/records"


def _user_id(db_url: str, headers: dict[str, str], client: TestClient) -> int:
    email = client.get("/v1/auth/me", headers=headers).json()["email"]
    with session_scope(db_url) as session:
        user = session.exec(select(User).where(User.email == email)).one()
        assert user.id is not None
        return user.id


def test_a_day_planned_driven_and_followed_up_through_the_api(db_url: str) -> None:
    client = TestClient(create_app())
    boss = bearer(db_url, "coordinator", organisation="sesame")
    driver = bearer(db_url, "volunteer", organisation="sesame")
    other_driver = bearer(db_url, "volunteer", organisation="sesame")
    stranger = bearer(db_url, "coordinator", organisation="alima")
    with session_scope(db_url) as session:
        ids = [int(meals_world.add_client(session, n).id or 0) for n in range(4)]
        session.commit()
    route = client.post(
        f"{R}/delivery-routes",
        headers=boss,
        json={
            "name": "Mercier-Est",
            "driver_id": _user_id(db_url, driver, client),
            "depot_latitude": 45.5935,
            "depot_longitude": -73.539,
        },
    )
    assert route.status_code == 201, route.text
    for number, client_id in enumerate(ids):
        made = client.post(
            f"{R}/clients/{client_id}/meal-plans",
            headers=boss,
            json={
                "weekdays": [1, 3],
                "starts_on": "2026-11-01",
                "meals_per_day": 1 + number % 2,
                "diet_codes": ["diabétique"],
                "texture": "puree" if number == 0 else "normal",
            },
        )
        assert made.status_code == 201, made.text
    assert (
        client.post(
            f"{R}/clients/{ids[0]}/meal-plans",
            headers=stranger,
            json={"weekdays": [1], "starts_on": "2026-11-01"},
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"{R}/delivery-runs/plan", headers=driver, json={"run_date": MONDAY.isoformat()}
        ).status_code
        == 403
    )

    day = client.post(
        f"{R}/delivery-runs/plan", headers=boss, json={"run_date": MONDAY.isoformat()}
    )
    assert day.status_code == 200, day.text
    run = day.json()["runs"][0]
    assert sorted(s["client_id"] for s in run["stops"]) == sorted(ids)

    mine = client.get(f"{R}/delivery-runs", headers=driver, params={"run_date": MONDAY.isoformat()})
    theirs = client.get(
        f"{R}/delivery-runs", headers=other_driver, params={"run_date": MONDAY.isoformat()}
    )
    assert [r["id"] for r in mine.json()] == [run["id"]] and theirs.json() == []
    sheet = client.get(f"{R}/delivery-runs/{run['id']}/sheet", headers=driver)
    assert sheet.status_code == 200 and len(sheet.json()["stops"]) == 4
    assert set(sheet.json()["stops"][0]) == {
        "order",
        "address",
        "door_notes",
        "diet",
        "allergies",
        "meals",
        "phone",
    }
    pdf = client.get(f"{R}/delivery-runs/{run['id']}/sheet.pdf", headers=driver)
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    for headers, code in ((other_driver, 404), (stranger, 404)):
        assert (
            client.get(f"{R}/delivery-runs/{run['id']}/sheet", headers=headers).status_code == code
        )

    kitchen = client.get(
        f"{R}/kitchen-count", headers=boss, params={"run_date": MONDAY.isoformat()}
    )
    assert kitchen.json()["total_meals"] == 6 and kitchen.json()["by_texture"]["puree"] == 1

    stop = run["stops"][0]
    assert (
        client.post(
            f"{R}/delivery-stops/{stop['id']}/outcome",
            headers=other_driver,
            json={"outcome": "delivered"},
        ).status_code
        == 404
    )
    missed = client.post(
        f"{R}/delivery-stops/{stop['id']}/outcome", headers=driver, json={"outcome": "no_answer"}
    )
    followup_id = missed.json()["followup_id"]
    assert missed.status_code == 200 and followup_id
    assert client.get(f"{R}/delivery-followups", headers=driver).status_code == 403
    opened = client.get(f"{R}/delivery-followups", headers=boss).json()
    assert [f["id"] for f in opened] == [followup_id]
    called = client.post(
        f"{R}/delivery-followups/{followup_id}/escalate",
        headers=boss,
        json={"step": "client_called"},
    )
    assert called.json()["next_step"] == "office_told"
    assert (
        client.post(
            f"{R}/delivery-followups/{followup_id}/escalate",
            headers=stranger,
            json={"step": "office_told"},
        ).status_code
        == 404
    )
    closed = client.post(
        f"{R}/delivery-followups/{followup_id}/close",
        headers=boss,
        json={"resolution": "Elle dormait; rappelée à 13 h"},
    )
    assert closed.status_code == 200 and closed.json()["closed_at"]
    assert client.get(f"{R}/delivery-followups", headers=boss).json() == []

    order = [s["id"] for s in reversed(run["stops"])]
    put = client.put(f"{R}/delivery-runs/{run['id']}/order", headers=boss, json={"stop_ids": order})
    assert put.status_code == 200 and put.json()["hand_ordered"]
    assert [s["id"] for s in put.json()["stops"]] == order


def test_every_meals_route_declares_one_permission() -> None:
    found: list[Any] = []
    for entry in create_app().routes:
        contexts = getattr(entry, "effective_route_contexts", None)
        found.extend(contexts() if contexts else [entry])
    paths = ("meal-plans", "/delivery-", "/kitchen-count")
    routes = [r for r in found if any(p in str(getattr(r, "path", "")) for p in paths)]
    assert len(routes) == 15
    for route in routes:
        declared = [permission_of(d.call) for d in route.dependant.dependencies]
        assert len([p for p in declared if p is not None]) == 1, route.path


def test_an_analyst_and_a_dietitian_see_no_sheet(db_url: str) -> None:
    client = TestClient(create_app())
    with session_scope(db_url) as session:
        records_factories.organisation(session, "sesame")
        session.commit()
    for role in ("analyst", "dietitian", "admin"):
        headers = bearer(db_url, role, organisation="sesame")
        assert client.get(f"{R}/delivery-runs/1/sheet", headers=headers).status_code == 403
