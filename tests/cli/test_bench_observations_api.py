"""`ppne bench api` serves observations beside Datasette and streams them (a small run)."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from cli.main import app


@pytest.mark.slow
def test_bench_api_compares_observations_with_datasette_and_streams(db_url: str) -> None:
    pytest.importorskip("datasette")
    result = CliRunner().invoke(
        app,
        ["bench", "api", "--clients", "2", "--seconds", "0.3", "--months", "1",
         "--observations", "3000"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    for name in ("ppne page 1", "datasette page 1", "ppne page 2", "datasette page 2"):
        line = next(line for line in result.output.splitlines() if line.startswith(name + ":"))
        assert re.search(r"[\d,.]+ requests/s \(0 failed\)", line), line
    assert "ppne / datasette requests/s, page 1:" in result.output
    for kind in ("csv", "parquet"):
        assert re.search(
            rf"stream {kind}: 3,000 rows, .* rows/s; API peak memory \d+ MB", result.output
        )
