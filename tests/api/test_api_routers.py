"""The app is built from one router per subject; every domain error goes through one handler."""

from __future__ import annotations

import asyncio
import inspect
import json

import pytest
from accounts import bearer
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.app import create_app
from api.errors import domain_error_handler
from api.routers import surveys
from core.errors import Forbidden, InvalidInput, NoData, PpneError, RegionNotFound


def test_the_app_serves_each_subject_from_its_router() -> None:
    paths = create_app().openapi()["paths"]
    # The public routes; the signed-in ones live under /v1/auth and /v1/records.
    public = {
        path: sorted(methods)
        for path, methods in paths.items()
        if not path.startswith(("/v1/auth/", "/v1/records/"))
    }
    assert public == {
        "/health": ["get"],
        "/v1/costs": ["get"],
        "/v1/households": ["get"],
        "/v1/trends": ["get"],
        "/v1/regions": ["get"],
        "/v1/surveys": ["post"],
        "/v1/observations": ["get"],
        "/v1/observations/facets": ["get"],
        "/v1/stores": ["get"],
        "/v1/items": ["get"],
        "/v1/groups": ["get"],
        "/v1/basket-versions": ["get"],
        "/v1/dumps": ["get"],
        "/v1/dumps/latest/{name}": ["get"],
        "/v1/alerts": ["get"],
        "/v1/lineage": ["get"],
    }
    (route,) = surveys.router.routes
    assert isinstance(route, APIRoute) and route.endpoint is surveys.upload_survey


def test_the_survey_upload_runs_in_the_thread_pool() -> None:
    # A plain function: FastAPI runs it in a worker thread, so an import never blocks the loop.
    assert not inspect.iscoroutinefunction(surveys.upload_survey)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (Forbidden("no"), 403),
        (RegionNotFound("no"), 404),
        (NoData("no"), 404),
        (InvalidInput("no"), 422),
        (PpneError("no"), 400),
    ],
)
def test_each_domain_error_has_its_status(error: PpneError, status: int) -> None:
    answer = asyncio.run(domain_error_handler(None, error))  # type: ignore[arg-type]
    assert answer.status_code == status
    assert json.loads(answer.body) == {"detail": "no"}


def test_upload_needs_a_coordinator_and_a_bad_suffix_is_refused(db_url: str) -> None:
    client = TestClient(create_app())
    files = {"file": ("releve.csv", b"a,b\n", "text/csv")}
    answer = client.post("/v1/surveys", files=files)
    assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
    answer = client.post("/v1/surveys", files=files, headers=bearer(db_url, "dietitian"))
    assert answer.status_code == 403
    assert answer.json() == {"detail": "your role does not allow surveys:upload"}
    pdf = {"file": ("releve.pdf", b"%PDF", "application/pdf")}
    answer = client.post("/v1/surveys", files=pdf, headers=bearer(db_url, "coordinator"))
    assert answer.status_code == 422
    assert answer.json()["detail"] == "survey sheets are .xlsx or .csv, not '.pdf'"
