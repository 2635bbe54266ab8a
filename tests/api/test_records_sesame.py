"""/v1/records: Le Sésame's boxes, kitchens, food aid and volunteers through the API."""

from __future__ import annotations

from typing import Any

import pytest
import records_factories
from accounts import bearer
from fastapi.testclient import TestClient
from sesame_world import put_prices, set_up
from sqlmodel import func, select

from api.app import create_app
from core.db import session_scope
from core.models import AuditEvent, User

R = "/v1/records"
CARROTS = [{"item_code": "carrots", "quantity": "2270"}, {"item_code": "eggs_large", "quantity": 6}]


@pytest.fixture
def api(db_url: str) -> TestClient:
    with session_scope(db_url) as session:
        set_up(session)
        put_prices(session, "mercier-est", "2026-04", {"carrots": "3.49", "eggs_large": "4.20"})
    return TestClient(create_app())


def _client(db_url: str, org: str = "sesame") -> int:
    with session_scope(db_url) as session:
        client = records_factories.make_client(session, org=org)
        session.commit()
        assert client.id is not None
        return client.id


def _audits(db_url: str) -> int:
    with session_scope(db_url) as session:
        return session.exec(select(func.count()).select_from(AuditEvent)).one()


def _once(db_url: str, call: Any, status: int = 200) -> Any:
    """Make one request, check its status and that it left exactly one audit row."""
    before = _audits(db_url)
    answer = call()
    assert answer.status_code == status, answer.text
    assert _audits(db_url) == before + 1, answer.text
    return answer.json()


def test_boxes_kitchens_and_food_aid_through_the_api(api: TestClient, db_url: str) -> None:
    staff = bearer(db_url, "coordinator", organisation="sesame")
    alima = bearer(db_url, "coordinator")
    volunteer = bearer(db_url, "volunteer", organisation="sesame")
    client_id = _client(db_url)  # no territory: Le Sésame's home region, mercier-est
    offer = _once(
        db_url,
        lambda: api.post(
            f"{R}/box-offers",
            headers=staff,
            json={
                "week_of": "2026-04-15",
                "name": "Petite boîte",
                "price": "5.00",
                "items": CARROTS,
            },
        ),
        201,
    )
    order = _once(
        db_url,
        lambda: api.post(
            f"{R}/box-offers/{offer['offer_id']}/orders",
            headers=staff,
            json={"client_id": client_id, "ordered_on": "2026-04-16"},
        ),
        201,
    )
    assert (order["box_value"], order["saving"], order["region"]) == ("5.59", "0.59", "mercier-est")
    read = _once(db_url, lambda: api.get(f"{R}/box-orders/{order['order_id']}", headers=staff))
    assert read["price_status"] == "observed"
    assert api.get(f"{R}/box-orders/{order['order_id']}", headers=alima).status_code == 404
    history = _once(db_url, lambda: api.get(f"{R}/clients/{client_id}/box-orders", headers=staff))
    assert [o["order_id"] for o in history] == [order["order_id"]]
    assert api.get(f"{R}/box-orders/{order['order_id']}", headers=volunteer).status_code == 403
    kitchen = _once(
        db_url,
        lambda: api.post(
            f"{R}/kitchen-sessions",
            headers=staff,
            json={"held_on": "2026-04-22", "place": "Local", "items": CARROTS},
        ),
        201,
    )
    path = f"{R}/kitchen-sessions/{kitchen['kitchen_session_id']}"
    costed = _once(
        db_url, lambda: api.post(f"{path}/portions", headers=staff, json={"portions": 10})
    )
    assert (costed["recipe_cost"], costed["cost_per_portion"]) == ("5.59", "0.56")
    assert api.get(path, headers=alima).status_code == 404
    listed = api.get(
        f"{R}/kitchen-sessions",
        headers=staff,
        params={"starts_on": "2026-04-01", "ends_on": "2026-04-30"},
    ).json()
    assert [k["cost_per_portion"] for k in listed] == ["0.56"]
    _once(
        db_url,
        lambda: api.put(
            f"{R}/food-aid/rule",
            headers=staff,
            json={"max_visits": 1, "referral_resource": "Moisson"},
        ),
    )
    rule = api.get(f"{R}/food-aid/rule", headers=staff).json()
    assert (rule["max_visits"], rule["window_days"], rule["action"]) == (1, 30, "refuse")
    visits = f"{R}/clients/{client_id}/food-aid/visits"
    body = {"visited_on": "2026-04-20", "items": CARROTS}
    first = _once(db_url, lambda: api.post(visits, headers=staff, json=body), 201)
    assert first["total_value"] == "5.59"
    refused = _once(db_url, lambda: api.post(visits, headers=staff, json=body), 422)
    assert "Moisson" in refused["detail"]
    assert api.post(visits, headers=alima, json=body).status_code == 404
    assert api.get(f"{R}/food-aid/visits/{first['visit_id']}", headers=alima).status_code == 404


def test_a_volunteer_sees_her_own_shifts_and_manages_nothing(api: TestClient, db_url: str) -> None:
    staff = bearer(db_url, "coordinator", organisation="sesame")
    helper = bearer(db_url, "volunteer", organisation="sesame", email="benevole@sesame.example")
    with session_scope(db_url) as session:
        user_id = session.exec(select(User.id).where(User.email == "benevole@sesame.example")).one()
    mine = _once(
        db_url,
        lambda: api.post(
            f"{R}/volunteers", headers=staff, json={"name": "Réjean", "user_id": user_id}
        ),
        201,
    )
    other = _once(
        db_url, lambda: api.post(f"{R}/volunteers", headers=staff, json={"name": "Lise"}), 201
    )
    for volunteer_id in (mine["volunteer_id"], other["volunteer_id"]):
        _once(
            db_url,
            lambda v=volunteer_id: api.post(
                f"{R}/shifts",
                headers=staff,
                json={
                    "program": "cafe",
                    "kind": "cafe",
                    "shift_on": "2026-04-22",
                    "starts_at": "09:00",
                    "ends_at": "12:00",
                    "volunteer_id": v,
                },
            ),
            201,
        )
    window = {"starts_on": "2026-04-01", "ends_on": "2026-04-30"}
    shifts = _once(db_url, lambda: api.get(f"{R}/shifts/mine", headers=helper, params=window))
    assert [s["volunteer_id"] for s in shifts] == [mine["volunteer_id"]]
    assert api.get(f"{R}/shifts", headers=helper, params=window).status_code == 403
    assert api.post(f"{R}/volunteers", headers=helper, json={"name": "X"}).status_code == 403
    report = api.get(
        f"{R}/reports/outputs", headers=staff, params={"from": "2026-04", "to": "2026-04"}
    ).json()
    assert report["sesame"]["volunteer_shifts"] == 0  # none done yet
