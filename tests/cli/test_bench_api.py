"""`ppne bench api` serves a seeded database and prints both routes' figures."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from cli.main import app


@pytest.mark.slow
def test_bench_api_prints_requests_per_second_of_costs_and_trends(db_url: str) -> None:
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "api",
            "--clients",
            "2",
            "--seconds",
            "0.3",
            "--months",
            "2",
            "--observations",
            "0",
        ],
    )
    assert result.exit_code == 0, result.output
    for route in ("/v1/costs", "/v1/trends"):
        line = next(line for line in result.output.splitlines() if line.startswith(route + ":"))
        figures = re.search(r"([\d,.]+) requests/s \((\d+) requests, (\d+) failed\)", line)
        assert figures is not None, line
        assert int(figures[2]) > 0 and int(figures[3]) == 0
    assert "/v1/costs / /v1/trends requests/s:" in result.output
