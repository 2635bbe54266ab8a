"""`ppne bench load`: an open-loop fixed rate, counted per route, against a served database."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from bench.load import run_load
from cli.main import app

SLOW_ANSWER_SECONDS = 0.4


class _SlowOrBroken(BaseHTTPRequestHandler):
    # costs answers 200 after a pause; observations answers 500 at once.
    def do_GET(self) -> None:
        if self.path.startswith("/v1/costs"):
            time.sleep(SLOW_ANSWER_SECONDS)
            status = 200
        else:
            status = 500
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def stub_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowOrBroken)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_requests_leave_on_schedule_however_slow_the_answers(stub_api: str) -> None:
    (result,) = run_load(stub_api, ["costs"], rate=20, seconds=1)
    assert (result.sent, result.ok, result.errors) == (20, 20, 0)
    # A closed loop would take 20 x 0.4 s; on schedule, the last leaves at 0.95 s.
    assert result.elapsed < 20 * SLOW_ANSWER_SECONDS / 2
    # Latency counts from the scheduled moment: never under the server's own pause.
    assert min(result.latencies) >= SLOW_ANSWER_SECONDS


def test_failed_answers_are_errors_with_their_status(stub_api: str) -> None:
    (result,) = run_load(stub_api, ["observations"], rate=10, seconds=0.5)
    assert (result.sent, result.ok, result.errors) == (5, 0, 5)
    assert result.first_errors[0] == "HTTP 500"
    assert result.achieved_rate == 0


def test_an_unknown_route_is_refused_in_one_line() -> None:
    result = CliRunner().invoke(app, ["bench", "load", "--routes", "costs,prices"])
    assert result.exit_code == 2
    assert "--routes 'costs,prices': choose among costs, observations" in result.output


@pytest.mark.slow
def test_bench_load_holds_20_requests_a_second_on_a_served_sqlite_database() -> None:
    result = CliRunner().invoke(app, ["bench", "load", "--rate", "20", "--seconds", "2"])
    assert result.exit_code == 0, result.output
    for route in ("costs", "observations"):
        line = next(line for line in result.output.splitlines() if line.startswith(route + ":"))
        counts = re.search(r"sent (\d+), ok (\d+), errors (\d+), achieved ([\d.]+)", line)
        assert counts is not None, line
        assert (int(counts[1]), int(counts[2]), int(counts[3])) == (40, 40, 0)
        assert 15 <= float(counts[4]) <= 25
        assert re.search(r"p50 [\d.]+ ms, p90 [\d.]+ ms, p99 [\d.]+ ms, max [\d.]+ ms", line)
