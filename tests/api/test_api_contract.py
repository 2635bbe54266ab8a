"""The API's contract: one declared error body, strict periods, security headers on every answer."""

from __future__ import annotations

import pytest
from accounts import bearer
from fastapi.testclient import TestClient

from api.app import create_app
from api.errors import ErrorBody
from api.security import API_POLICY, DOCS_POLICY
from basket.periods import check_month, check_period
from core.errors import InvalidInput

# Each request is refused; the status it gets.
REFUSED = [
    ("get", "/v1/costs", {"region": "atlantis"}, 404),
    ("get", "/v1/costs", {"region": "montreal", "period": "2026-13"}, 422),
    ("get", "/v1/costs", {"region": "montreal", "period": "2026-11\n"}, 422),
    ("get", "/v1/trends", {"region": "atlantis"}, 404),
    ("get", "/v1/nowhere", {}, 404),
    ("post", "/v1/surveys", {}, 401),
]


@pytest.fixture
def client(db_url: str) -> TestClient:
    return TestClient(create_app())


@pytest.mark.parametrize(("method", "path", "params", "status"), REFUSED)
def test_every_4xx_body_validates_against_the_declared_schema(
    client: TestClient, method: str, path: str, params: dict[str, str], status: int
) -> None:
    answer = client.request(method, path, params=params)
    assert answer.status_code == status
    body = ErrorBody.model_validate(answer.json())
    assert isinstance(body.detail, str) and "\n" not in body.detail and body.detail


def test_a_validation_error_is_one_line_with_the_fields(client: TestClient, db_url: str) -> None:
    answer = client.post("/v1/surveys", headers=bearer(db_url, "coordinator"))  # no file
    assert answer.status_code == 422
    body = ErrorBody.model_validate(answer.json())
    assert body.detail.startswith("body.file: ")
    assert body.errors and body.errors[0].loc == ["body", "file"]


def test_openapi_declares_the_error_body_and_404_403_on_every_route(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    declared = schema["components"]["schemas"]["ErrorBody"]
    assert declared["properties"]["detail"]["type"] == "string"
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            for status in ("403", "404", "413", "422", "503"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/ErrorBody"}, path


@pytest.mark.parametrize("text", ["2026-11\n", "2026-11\r\n", " 2026-11", "2026-11 "])
def test_period_with_a_trailing_newline_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        check_month(text)
    with pytest.raises(InvalidInput):
        check_period(text.replace("11", "Q4"))


def test_period_percent_0a_is_refused_by_the_api(client: TestClient) -> None:
    answer = client.get("/v1/costs?region=montreal&period=2026-11%0A")
    assert answer.status_code == 422
    assert "YYYY-MM" in answer.json()["detail"]


def test_empty_base_on_trends_is_treated_as_absent(client: TestClient) -> None:
    # No cost stored: both answer the same 404, neither a 422 for the blank base.
    blank = client.get("/v1/trends?region=montreal&base=&from=&to=")
    absent = client.get("/v1/trends?region=montreal")
    assert blank.status_code == absent.status_code != 422
    assert blank.json() == absent.json()


def test_security_headers_on_a_json_route(client: TestClient) -> None:
    answer = client.get("/v1/regions")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["content-security-policy"] == API_POLICY
    assert "unsafe-inline" not in answer.headers["content-security-policy"]
    refused = client.get("/v1/costs", params={"region": "atlantis"})
    assert refused.headers["content-security-policy"] == API_POLICY


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_security_headers_on_the_docs_let_them_render(client: TestClient, page: str) -> None:
    answer = client.get(page)
    assert answer.status_code == 200
    assert answer.headers["x-frame-options"] == "DENY"
    policy = answer.headers["content-security-policy"]
    assert policy == DOCS_POLICY
    assert "script-src 'self' 'unsafe-inline'" in policy  # Swagger UI starts inline
    assert "https:" not in policy and "*" not in policy  # still nothing from elsewhere
    # The bundles the page loads come from this server, and carry the headers too.
    asset = client.get("/static-offline-docs/swagger-ui-bundle.js")
    assert asset.headers["x-content-type-options"] == "nosniff"
