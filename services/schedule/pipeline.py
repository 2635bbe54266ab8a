"""Run one scheduled job: crawl, compute, publish, each only when the step before it held.

Every run is a `ScheduledRun` row, written when it starts (outcome "running") and updated
after each step, so a run killed mid-way is still visible, at the step it reached. The crawl
runs in a child process: Scrapy's reactor starts once per process, and a daemon outlives
many crawls. A failed crawl, or a job it `needs` whose latest run failed, ends the run
before anything is computed or published.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from core.db import session_scope
from core.errors import PpneError
from core.models import ScheduledRun
from core.models.base import utc_now
from services.costing import compute_costs
from services.protocol import costing_protocol
from services.publishing import publish_edition
from services.schedule.jobs import ScheduledJob

# Long enough for a chain's whole catalogue; a crawl still running after it is stopped.
CRAWL_TIMEOUT_SECONDS = 6 * 3600


@dataclass(frozen=True)
class RunContext:
    """Where a run writes and what it publishes for."""

    database_url: str
    out_dir: Path
    region: str = "montreal"
    trigger: str = "manual"
    crawl_timeout: float = CRAWL_TIMEOUT_SECONDS


class StepFailed(PpneError):
    """A step of a scheduled run did not hold; the run stops there."""


def run_job(job: ScheduledJob, context: RunContext) -> ScheduledRun:
    """Run the job's steps in order and record the run; return the finished record."""
    run_id = _start(job, context)
    try:
        _check_needs(job, context.database_url)
        if job.spider is not None:
            _record(context.database_url, run_id, step="crawl")
            _crawl_step(job, context, run_id)
        if job.compute:
            _record(context.database_url, run_id, step="compute")
            _compute_step(context, run_id)
        if job.publish is not None:
            _record(context.database_url, run_id, step="publish")
            _publish_step(job, context, run_id)
    except Exception as error:  # every failure is recorded, whatever raised it
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        return _finish(context.database_url, run_id, "failed", message)
    return _finish(context.database_url, run_id, "succeeded", None, step="done")


def _start(job: ScheduledJob, context: RunContext) -> int:
    with session_scope(context.database_url) as session:
        run = ScheduledRun(job=job.name, trigger=context.trigger, step=job.steps[0])
        session.add(run)
        session.commit()
        assert run.id is not None
        return run.id


def _record(database_url: str, run_id: int, **values: Any) -> None:
    with session_scope(database_url) as session:
        run = session.get(ScheduledRun, run_id)
        assert run is not None
        for name, value in values.items():
            setattr(run, name, value)
        session.commit()


def _finish(
    database_url: str, run_id: int, outcome: str, message: str | None, step: str | None = None
) -> ScheduledRun:
    with session_scope(database_url) as session:
        run = session.get(ScheduledRun, run_id)
        assert run is not None
        run.outcome, run.finished_at = outcome, utc_now()
        run.message = message[:2000] if message else None
        if step is not None:
            run.step = step
        session.commit()
        return run


def _check_needs(job: ScheduledJob, database_url: str) -> None:
    with session_scope(database_url) as session:
        for need in job.needs:
            latest = latest_run(session, need)
            if latest is None or latest.outcome != "succeeded":
                state = "never ran" if latest is None else f"last run {latest.outcome}"
                raise StepFailed(f"needs {need}, which {state}: nothing computed or published")


def latest_run(session: Session, job: str) -> ScheduledRun | None:
    """The most recent run of a job, finished or not."""
    statement = (
        select(ScheduledRun)
        .where(ScheduledRun.job == job)
        .order_by(col(ScheduledRun.started_at).desc(), col(ScheduledRun.id).desc())
        .limit(1)
    )
    return session.exec(statement).first()


def _crawl_step(job: ScheduledJob, context: RunContext, run_id: int) -> None:
    assert job.spider is not None
    summary = crawl_in_child(
        job.spider, context.database_url, job.spider_args, context.crawl_timeout
    )
    _record(
        context.database_url,
        run_id,
        collection_run_id=summary.get("run_id"),
        observations_stored=summary.get("stored"),
    )
    if summary.get("error"):
        raise StepFailed(f"crawl: {summary['error']}")
    if summary.get("outcome") != "succeeded":
        raise StepFailed(f"crawl {summary.get('outcome')}: {summary.get('message')}")


def crawl_in_child(
    spider: str, database_url: str, arguments: dict[str, str], timeout: float
) -> dict[str, Any]:
    """Crawl in a fresh process; return its summary as a dict ("error" when it raised)."""
    spawn = multiprocessing.get_context("spawn")
    answers: multiprocessing.Queue[dict[str, Any]] = spawn.Queue()
    child = spawn.Process(target=_crawl, args=(spider, database_url, arguments, answers))
    child.start()
    try:
        answer = answers.get(timeout=timeout)
    except Exception:  # queue.Empty, or the child died without answering
        answer = {"error": f"no answer from the crawl within {timeout:.0f} s"}
    child.join(timeout=30)
    if child.is_alive():
        child.kill()
        child.join()
    return answer


def _crawl(
    spider: str,
    database_url: str,
    arguments: dict[str, str],
    answers: multiprocessing.Queue[dict[str, Any]],
) -> None:
    # Imported here: the child is a fresh interpreter, and the parent never starts a reactor.
    from services.collection import collect_prices

    try:
        summary = collect_prices(spider, database_url, **arguments)
    except Exception as error:
        answers.put({"error": str(error).splitlines()[0] if str(error) else repr(error)})
        return
    answers.put(
        {
            "run_id": summary.run_id,
            "outcome": summary.outcome,
            "stored": summary.stored,
            "message": summary.message,
        }
    )


def _compute_step(context: RunContext, run_id: int) -> None:
    from core.settings import get_settings

    protocol = costing_protocol(get_settings())
    with session_scope(context.database_url) as session:
        summary = compute_costs(session, protocol)
    _record(context.database_url, run_id, costs_stored=summary.rows_written)


def _publish_step(job: ScheduledJob, context: RunContext, run_id: int) -> None:
    from core.settings import get_settings

    assert job.publish is not None
    with session_scope(context.database_url) as session:
        written = publish_edition(
            session, get_settings(), job.publish, context.out_dir, context.region
        )
    _record(context.database_url, run_id, published=listing([str(path) for path in written.files]))


def listing(paths: list[str], limit: int = 2000) -> str:
    """Whole paths, one per line, within `limit` characters; the rest counted."""
    lines: list[str] = []
    for index, path in enumerate(paths):
        rest = len(paths) - index
        if len("\n".join([*lines, path, f"... and {rest} more"])) > limit:
            return "\n".join([*lines, f"... and {rest} more"])
        lines.append(path)
    return "\n".join(lines)


def recent_runs(session: Session, job: str | None = None, limit: int = 20) -> list[ScheduledRun]:
    """The latest runs, newest first, of one job or of all."""
    statement = select(ScheduledRun)
    if job is not None:
        statement = statement.where(ScheduledRun.job == job)
    statement = statement.order_by(
        col(ScheduledRun.started_at).desc(), col(ScheduledRun.id).desc()
    ).limit(limit)
    return list(session.exec(statement))


def run_duration(run: ScheduledRun, now: datetime | None = None) -> float:
    """Seconds the run took, or has taken so far."""
    end = run.finished_at or now or utc_now()
    return (end - run.started_at).total_seconds()
