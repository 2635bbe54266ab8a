"""Sessions in the web app: the rate limit, expiry, Secure over HTTPS, a cost series shown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from factories import seed_two_stores_in_lachine
from fastapi.testclient import TestClient
from sqlmodel import select
from web_helpers import account, computed_lachine_cost, csrf_of, sign_in

from api.app import create_app
from core.db import session_scope
from core.models import ApiToken
from core.models.base import utc_now
from web.session import SESSION_COOKIE


@pytest.fixture
def client(db_url: str) -> TestClient:
    return TestClient(create_app())


def test_repeated_failures_are_refused_for_the_window(client: TestClient, db_url: str) -> None:
    email = account(db_url, "dietitian", "diet@alima.example")
    token = csrf_of(client.get("/app/signin").text)
    statuses = [
        client.post(
            "/app/signin", data={"email": email, "password": "wrong", "csrf": token}
        ).status_code
        for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    refused = client.post("/app/signin", data={"email": email, "password": "wrong", "csrf": token})
    assert "attendez 15 minutes" in refused.text


def test_an_expired_session_signs_out_and_says_so(client: TestClient, db_url: str) -> None:
    sign_in(client, account(db_url, "dietitian", "diet@alima.example"))
    with session_scope(db_url) as session:
        row = session.exec(select(ApiToken).where(ApiToken.name == "sign-in")).one()
        row.expires_at = utc_now() - timedelta(minutes=1)
        session.add(row)
        session.commit()
    answer = client.get("/app/home", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/app/signin")
    page = client.get("/app/signin")
    assert "Votre session a expiré" in page.text
    assert SESSION_COOKIE not in client.cookies


def test_the_session_cookie_is_secure_over_https(db_url: str) -> None:
    client = TestClient(create_app(), base_url="https://testserver")
    email = account(db_url, "dietitian", "diet@alima.example")
    token = csrf_of(client.get("/app/signin").text)
    answer = client.post(
        "/app/signin",
        data={"email": email, "password": "a long test password", "csrf": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert "Secure" in answer.headers["set-cookie"]


def test_costs_page_shows_the_computed_cost_and_a_territory_month_by_month(
    client: TestClient, db_url: str
) -> None:
    seed_two_stores_in_lachine(db_url)
    weekly, _monthly = computed_lachine_cost(db_url)
    page = client.get("/app/costs", params={"region": "lachine"}).text
    assert f"{weekly:.2f}".replace(".", ",") + "\xa0$" in page
    assert "Mois par mois : Lachine" in page
    assert "janvier 2026" in page and "octobre 2026" in page
    # October's prices jump by 60 %: the change is written with its sign, not told by colour.
    assert "+" in page.split("octobre 2026")[-1].split("</tr>")[0]
