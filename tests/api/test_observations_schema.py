"""The public read API against its own OpenAPI schema: generated requests (schemathesis,
a few examples per route) never get a server error."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from observations_world import build_world

from api.app import create_app

PUBLIC_GETS = (
    r"^/v1/(observations|stores|items|groups|basket-versions|dumps|costs|trends|regions"
    r"|alerts|lineage)"
)


def test_no_generated_request_gets_a_server_error(db_url: str) -> None:
    build_world(db_url, rows=12)
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())
    schema = schema.include(path_regex=PUBLIC_GETS, method="GET")
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        # A few derandomised examples per route: the whole test stays within seconds.
        @given(case=operation.as_strategy())
        @settings(
            max_examples=10,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def no_server_error(case: Any) -> None:
            response = case.call()
            assert response.status_code < 500, (case.path, case.query, response.text[:300])

        no_server_error()
        checked.append(operation.path)
    assert {"/v1/observations", "/v1/observations/facets", "/v1/stores"} <= set(checked)
