"""`ppne schedule`: the daemon runs a short cadence end to end on the demo site."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

JOBS = (
    "job,spider,spider_args,cadence,compute,publish,needs,description\n"
    "quick,demo,store=iga-lachine;periods=2026-10,every 2 seconds,yes,bulletin,,one store\n"
)


def ppne(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=os.environ.copy(),
        check=False,
    )


def test_the_daemon_crawls_computes_and_publishes_on_its_cadence(
    db_url: str, tmp_path: Path
) -> None:
    upgrade = ppne("db", "upgrade")  # the regions and the reference basket
    assert upgrade.returncode == 0, upgrade.stderr
    jobs = tmp_path / "jobs.csv"
    jobs.write_text(JOBS, encoding="utf-8")
    daemon = ppne("schedule", "run", "--jobs", str(jobs), "--max-runs", "1")
    assert daemon.returncode == 0, daemon.stderr
    assert "quick: exit 0" in daemon.stdout

    status = ppne("schedule", "status", "--json")
    assert status.returncode == 0, status.stderr
    (run,) = json.loads(status.stdout)
    assert (run["job"], run["trigger"], run["outcome"], run["step"]) == (
        "quick",
        "schedule",
        "succeeded",
        "done",
    )
    assert run["observations_stored"] > 0 and run["costs_stored"] > 0
    published = [Path(path) for path in run["published"]]
    assert {path.suffix for path in published} >= {".pdf", ".html"}
    assert all(path.is_file() and path.stat().st_size > 0 for path in published if path.suffix)
    assert all(path.is_relative_to(tmp_path / "out") for path in published)


def test_schedule_list_needs_no_database_and_run_names_the_known_jobs(tmp_path: Path) -> None:
    listed = ppne("schedule", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert "demo-weekly" in {row["job"] for row in json.loads(listed.stdout)}
    unknown = ppne("schedule", "run", "nope", "--jobs", str(tmp_path / "missing.csv"))
    assert unknown.returncode != 0
