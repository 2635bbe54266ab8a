"""Scheduled jobs: the shipped schedule, cadences, and runs that stop where a step fails."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from local_ports import free_port

from core.db import session_scope
from core.errors import InvalidInput
from core.models import ScheduledRun
from services.schedule import RunContext, find_job, load_jobs, recent_runs, run_job
from services.schedule.jobs import MONTREAL, cadence_trigger

HEADER = "job,spider,spider_args,cadence,compute,publish,needs,description\n"


def jobs_file(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "jobs.csv"
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_the_shipped_schedule_reads_and_names_each_chain_and_the_ppne_rounds() -> None:
    jobs = {job.name: job for job in load_jobs()}
    assert jobs["demo-weekly"].steps == ("crawl", "compute", "publish")
    costs = jobs["stores-costs-weekly"]
    assert costs.steps == ("compute", "publish")
    assert {"metro-weekly", "walmart-weekly"} <= set(costs.needs)
    # After each PPNE round (January, April, July, October): the first of the next month.
    sunday = datetime(2026, 11, 29, 12, 0, tzinfo=MONTREAL)
    assert jobs["ppne-round"].next_run(sunday) == datetime(2027, 2, 1, 7, 0, tzinfo=MONTREAL)


def test_a_weekly_cadence_fires_on_the_named_day_in_montreal_time() -> None:
    job = find_job(load_jobs(), "demo-weekly")  # 0 6 * * mon
    sunday_evening = datetime(2026, 11, 29, 23, 0, tzinfo=MONTREAL)
    assert job.next_run(sunday_evening) == datetime(2026, 11, 30, 6, 0, tzinfo=MONTREAL)
    # Across the change to daylight time, still 06:00 on the wall clock.
    assert job.next_run(datetime(2027, 3, 9, 7, 0, tzinfo=MONTREAL)) == datetime(
        2027, 3, 15, 6, 0, tzinfo=MONTREAL
    )


@pytest.mark.parametrize(
    ("cadence", "reason"),
    [
        ("0 6 * * 1", "name the weekday"),
        ("61 6 * * mon", "neither a crontab line"),
        ("every 0 minutes", "at least 1"),
        ("sometimes", "neither a crontab line"),
    ],
)
def test_a_bad_cadence_is_refused_with_its_reason(cadence: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        cadence_trigger(cadence)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("a,,,every 1 hours,no,,,", "with no spider must compute"),
        ("a,demo,,every 1 hours,no,bulletin,,", "publishes computes first"),
        ("a,demo,,every 1 hours,maybe,,,", "compute 'maybe': yes or no"),
        ("a,demo,,every 1 hours,yes,poster,,", "publish 'poster'"),
        ("a,demo,store,every 1 hours,yes,,,", "not key=value"),
        ("a,demo,,every 1 hours,yes,,zzz,", "needs unknown job"),
        ("Bad Name,demo,,every 1 hours,yes,,,", "lowercase letters"),
    ],
)
def test_a_bad_schedule_line_is_refused_naming_file_and_line(
    tmp_path: Path, line: str, reason: str
) -> None:
    path = jobs_file(tmp_path, "ok,demo,,every 1 hours,yes,,,", line)
    with pytest.raises(InvalidInput, match=reason) as refused:
        load_jobs(path)
    assert "jobs.csv" in str(refused.value)


def test_a_failed_crawl_computes_and_publishes_nothing(db_url: str, tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    path = jobs_file(
        tmp_path, f"weekly,demo,base_url={dead};periods=2026-10,every 1 hours,yes,bulletin,,"
    )
    out = tmp_path / "out"
    run = run_job(find_job(load_jobs(path), "weekly"), RunContext(db_url, out, crawl_timeout=120))
    assert run.outcome == "failed"
    assert run.step == "crawl"
    assert run.costs_stored is None and run.published is None
    assert run.message and run.message.startswith("crawl")
    assert not out.exists() or not any(out.iterdir())
    with session_scope(db_url) as session:
        assert [stored.outcome for stored in recent_runs(session, "weekly")] == ["failed"]


def test_a_job_whose_needed_crawl_failed_does_not_publish(db_url: str, tmp_path: Path) -> None:
    path = jobs_file(
        tmp_path,
        "crawl-a,demo,,every 1 hours,no,,,",
        "crawl-b,demo,,every 1 hours,no,,,",
        "costs,,,every 1 hours,yes,bulletin,crawl-a crawl-b,",
    )
    jobs = load_jobs(path)
    with session_scope(db_url) as session:
        session.add(ScheduledRun(job="crawl-a", outcome="succeeded", step="done"))
        session.add(ScheduledRun(job="crawl-b", outcome="failed", step="crawl"))
        session.commit()
    out = tmp_path / "out"
    run = run_job(find_job(jobs, "costs"), RunContext(db_url, out))
    assert run.outcome == "failed"
    assert run.message == "needs crawl-b, which last run failed: nothing computed or published"
    assert run.costs_stored is None and not out.exists()


def test_the_files_published_are_listed_whole_within_the_column() -> None:
    from services.schedule.pipeline import listing

    paths = [f"/srv/out/press/chart-{number:02d}.svg" for number in range(100)]
    text = listing(paths, limit=200)
    lines = text.splitlines()
    assert len(text) <= 200
    assert lines[:-1] == paths[: len(lines) - 1]
    assert lines[-1] == f"... and {100 - len(lines) + 1} more"
    assert listing(paths[:2]) == "\n".join(paths[:2])
