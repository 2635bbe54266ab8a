"""The API answers costs from the database, and renders domain errors in one way."""

from decimal import Decimal

import pytest
from factories import make_basket_cost, make_basket_version, shipped_region
from fastapi.testclient import TestClient

from api.app import create_app
from core.db import session_scope


def store_costs(db_url: str) -> None:
    with session_scope(db_url) as session:
        version = make_basket_version(session, code="test-v1")
        lachine = shipped_region(session, "lachine")
        # October's cost records the family it sums; November's was stored before that was.
        family = "male_19_50,female_19_50,male_14_18,female_4_8"
        for period, weekly, stored_family in (
            ("2026-10", "250.10", family),
            ("2026-11", "260.55", None),
        ):
            make_basket_cost(
                session,
                version,
                lachine,
                period=period,
                weekly_cost=Decimal(weekly),
                family=stored_family,
            )
        session.commit()


@pytest.fixture
def client(db_url: str) -> TestClient:
    store_costs(db_url)
    return TestClient(create_app())


def test_costs_for_a_period_are_exact_decimals(client: TestClient) -> None:
    response = client.get("/v1/costs", params={"region": "lachine", "period": "2026-10"})
    assert response.status_code == 200
    body = response.json()
    assert body["weekly_cost"] == "250.10"  # money: two-decimal strings
    assert body["monthly_cost"] == str(
        (Decimal("250.10") * Decimal("4.33")).quantize(Decimal("0.01"))
    )
    assert (body["stores_priced"], body["items_priced"], body["items_total"]) == (3, 60, 64)
    assert body["basket_version"] == "test-v1"
    assert (body["imputed_share"], body["status"], body["preset"]) == (0.0, "published", "nfb")
    assert body["family"] == ["male_19_50", "female_19_50", "male_14_18", "female_4_8"]


def test_costs_without_period_give_the_latest(client: TestClient) -> None:
    body = client.get("/v1/costs", params={"region": "lachine"}).json()
    assert body["period"] == "2026-11"
    assert body["family"] is None  # not recorded then: unknown, not today's setting


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"region": "atlantis"}, 404, "unknown region"),
        ({"region": "lachine", "period": "2019-01"}, 404, "no basket cost"),
        ({"region": "lachine", "period": "2026-13"}, 422, "YYYY-MM"),
    ],
)
def test_errors_are_one_line_with_the_right_status(
    client: TestClient, params: dict[str, str], status: int, message: str
) -> None:
    response = client.get("/v1/costs", params=params)
    assert response.status_code == status
    assert message in response.json()["detail"]


def test_health_regions_and_docs(client: TestClient) -> None:
    assert client.get("/health").json()["status"] == "ok"
    codes = [region["code"] for region in client.get("/v1/regions").json()]
    assert "mercier-est" in codes
    assert client.get("/docs").status_code == 200
    assert "/v1/costs" in client.get("/openapi.json").json()["paths"]
