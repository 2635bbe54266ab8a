"""`ppne bench web`: its percentiles, cookies and report, and one short run (slow)."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from bench.web import PageLoad, cookies_of, describe, percentile, summarise
from cli.main import app


def test_percentiles_are_nearest_rank() -> None:
    latencies = [n / 1000 for n in range(100, 0, -1)]  # 1..100 ms, in any order
    assert percentile(latencies, 0.50) == 0.050
    assert percentile(latencies, 0.95) == 0.095  # not 0.096: 0.95 * 100 is not exact
    assert percentile(latencies, 0.99) == 0.099
    assert percentile([0.2], 0.99) == 0.2
    assert percentile([], 0.5) == 0.0


def test_a_summary_counts_only_answered_requests_per_second() -> None:
    load = summarise("/app/home", [0.01] * 9 + [0.2], failures=2, seconds=2.0)
    assert (load.requests, load.failures) == (10, 2)
    assert load.per_second == 4.0
    assert (load.p50_ms, load.p95_ms, load.p99_ms) == (10.0, 200.0, 200.0)


def test_cookies_are_read_from_set_cookie_headers_only() -> None:
    headers = [
        ("content-type", "text/html"),
        ("set-cookie", "ppne_session=abc.def; HttpOnly; Max-Age=3600; Path=/app; SameSite=lax"),
        ("Set-Cookie", 'ppne_csrf="xyz"; Path=/app'),
    ]
    assert cookies_of(headers) == {"ppne_session": "abc.def", "ppne_csrf": "xyz"}


def test_the_report_names_the_pages_over_the_target() -> None:
    fast = PageLoad("/app/home", 100, 0, 1.0, 10.0, 40.0, 60.0)
    slow = PageLoad("/app/privacy/audit", 50, 1, 1.0, 60.0, 120.0, 200.0)
    text = describe([fast, slow])
    assert "/app/home: 100.0 requests/s (100 requests, 0 failed), p50 10.0 ms, p95 40.0 ms" in text
    assert text.endswith("target p95 < 100 ms: over 100 ms p95: /app/privacy/audit")
    assert describe([fast]).endswith("all under")


@pytest.mark.slow
def test_bench_web_signs_in_and_prints_each_page(db_url: str) -> None:
    result = CliRunner().invoke(
        app, ["bench", "web", "--clients", "2", "--seconds", "0.3", "--months", "1"]
    )
    assert result.exit_code == 0, result.output
    for page in ("/app/home", "/app/privacy/audit", "/app/privacy/incidents"):
        line = next(line for line in result.output.splitlines() if line.startswith(page + ":"))
        figures = re.search(r"\((\d+) requests, (\d+) failed\), p50 .* p95 .* p99", line)
        assert figures is not None, line
        assert int(figures[1]) > 0 and int(figures[2]) == 0
    assert "target p95 < 100 ms:" in result.output
