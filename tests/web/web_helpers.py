"""What the web tests share: a signed-in browser-like client, the CSRF token of a page."""

from __future__ import annotations

import re
from decimal import Decimal

from accounts import PASSWORD, bearer
from fastapi.testclient import TestClient

from core.db import session_scope
from core.settings import get_settings
from services.costing import compute_costs, latest_family_costs
from services.protocol import costing_protocol

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def account(db_url: str, role: str, email: str, program: str | None = None) -> str:
    """Create an account with `role` at alima; return its email (the password is PASSWORD)."""
    bearer(db_url, role, email=email, program=program)
    return email


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> None:
    """Sign the client in through the form, as a browser does."""
    token = csrf_of(client.get("/app/signin").text)
    answer = client.post(
        "/app/signin",
        data={"email": email, "password": password, "csrf": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


def computed_lachine_cost(db_url: str) -> tuple[Decimal, Decimal]:
    """Compute costs from the seeded prices; return Lachine's weekly and monthly cost stored."""
    with session_scope(db_url) as session:
        compute_costs(session, costing_protocol(get_settings()))
        latest = latest_family_costs(session)
    (lachine,) = [region for region in latest.regions if region.region_code == "lachine"]
    return Decimal(str(lachine.weekly_cost)), Decimal(str(lachine.monthly_cost))
