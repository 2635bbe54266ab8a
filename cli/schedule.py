"""`ppne schedule list|run|status`: collection, costs and publication on a schedule.

`ppne schedule run` with no job is the daemon: APScheduler fires each job at its cadence and
runs it as `ppne schedule run JOB --trigger schedule` in a process of its own, so a crawl's
reactor, a crash or a leak never outlives one run. With a job, it runs that job now.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cli.database import database_url, open_session

schedule_app = typer.Typer(
    help="Collection, costs and publication on a schedule.", no_args_is_help=True
)
console = Console()

JobsOption = Annotated[
    Path | None,
    typer.Option("--jobs", help="Schedule CSV (default: the shipped core/data/schedule.csv)"),
]


@schedule_app.command("list")
def list_command(
    jobs_file: JobsOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the jobs, their cadence and steps, and when each runs next (Montréal time)."""
    import json

    from services.schedule import load_jobs, upcoming

    pairs = upcoming(load_jobs(jobs_file), datetime.now(UTC))
    if as_json:
        rows = [
            {
                "job": job.name,
                "cadence": job.cadence,
                "steps": list(job.steps),
                "spider": job.spider,
                "publish": job.publish,
                "needs": list(job.needs),
                "next_run": next_run.isoformat() if next_run else None,
                "description": job.description,
            }
            for job, next_run in pairs
        ]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table(title="Scheduled jobs (next run in Montréal time)")
    for header in ("job", "cadence", "steps", "needs", "next run"):
        table.add_column(header)
    for job, next_run in pairs:
        table.add_row(
            job.name,
            job.cadence,
            " → ".join(job.steps),
            ", ".join(job.needs) or "—",
            next_run.strftime("%Y-%m-%d %H:%M %Z") if next_run else "never",
        )
    console.print(table)


@schedule_app.command("run")
def run_command(
    job: Annotated[
        str | None, typer.Argument(help="Run this job now (none: start the daemon)")
    ] = None,
    jobs_file: JobsOption = None,
    trigger: Annotated[
        str, typer.Option(help="Recorded as who started the run: manual or schedule")
    ] = "manual",
    region: Annotated[str, typer.Option(help="Region the publication headlines")] = "montreal",
    max_runs: Annotated[
        int | None, typer.Option(help="Daemon: stop after this many runs (for a trial)")
    ] = None,
) -> None:
    """Run one job now, or run the daemon that starts every job at its cadence."""
    from core.errors import InvalidInput
    from services.schedule import find_job, load_jobs

    if trigger not in ("manual", "schedule"):
        raise InvalidInput(f"trigger {trigger!r}: manual or schedule")
    jobs = load_jobs(jobs_file)
    if job is None:
        _daemon(jobs_file, max_runs)
        return
    _run_now(find_job(jobs, job), trigger, region)


def _run_now(job: object, trigger: str, region: str) -> None:
    from core.settings import get_settings
    from services.schedule import RunContext, ScheduledJob, run_duration, run_job

    assert isinstance(job, ScheduledJob)
    context = RunContext(database_url(), get_settings().out_dir, region=region, trigger=trigger)
    console.print(f"{job.name}: {' → '.join(job.steps)}")
    run = run_job(job, context)
    summary = (
        f"run {run.id} of {job.name}: {run.outcome} at step {run.step} in {run_duration(run):.1f} s"
    )
    if run.observations_stored is not None:
        summary += f"; {run.observations_stored} prices stored"
    if run.costs_stored is not None:
        summary += f"; {run.costs_stored} costs stored"
    console.print(summary)
    if run.published:
        console.print("published:\n  " + run.published.replace("\n", "\n  "))
    if run.outcome != "succeeded":
        typer.echo(f"error: {job.name} failed: {run.message}", err=True)
        raise typer.Exit(1)


def _daemon(jobs_file: Path | None, max_runs: int | None) -> None:
    from apscheduler.schedulers.blocking import BlockingScheduler

    from services.schedule import load_jobs
    from services.schedule.jobs import MONTREAL

    jobs = load_jobs(jobs_file)
    scheduler = BlockingScheduler(timezone=MONTREAL)
    finished = 0
    lock = threading.Lock()

    def launch(name: str) -> None:
        nonlocal finished
        command = [sys.executable, "-m", "cli", "schedule", "run", name, "--trigger", "schedule"]
        if jobs_file is not None:
            command += ["--jobs", str(jobs_file)]
        code = subprocess.run(command, check=False).returncode
        console.print(f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC {name}: exit {code}")
        with lock:
            finished += 1
            if max_runs is not None and finished >= max_runs:
                scheduler.shutdown(wait=False)

    for job in jobs:
        # One run of a job at a time; runs missed while the daemon was down are run once.
        scheduler.add_job(
            launch,
            job.trigger(),
            args=[job.name],
            id=job.name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=3600,
        )
    console.print(f"scheduler: {len(jobs)} jobs; Ctrl-C to stop")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)


@schedule_app.command("status")
def status_command(
    job: Annotated[str | None, typer.Option(help="Only this job's runs")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many runs")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The latest scheduled runs, newest first, with their outcome and the step reached."""
    import json

    from services.schedule import recent_runs, run_duration

    with open_session() as session:
        runs = recent_runs(session, job, limit)
    if as_json:
        rows = [
            {
                "id": run.id,
                "job": run.job,
                "trigger": run.trigger,
                "started_at": run.started_at.isoformat(),
                "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                "outcome": run.outcome,
                "step": run.step,
                "collection_run_id": run.collection_run_id,
                "observations_stored": run.observations_stored,
                "costs_stored": run.costs_stored,
                "published": run.published.splitlines() if run.published else [],
                "message": run.message,
            }
            for run in runs
        ]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table(title="Scheduled runs, newest first")
    for header in ("run", "job", "trigger", "started (UTC)", "seconds", "outcome", "step", "note"):
        table.add_column(header)
    for run in runs:
        table.add_row(
            str(run.id),
            run.job,
            run.trigger,
            f"{run.started_at:%Y-%m-%d %H:%M}",
            f"{run_duration(run):.0f}",
            run.outcome,
            run.step,
            run.message or "",
        )
    console.print(table)
