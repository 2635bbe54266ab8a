"""Scheduled collection: jobs as data, each run recorded with its outcome (docs/schedule.md)."""

from services.schedule.jobs import ScheduledJob, find_job, load_jobs, upcoming
from services.schedule.pipeline import RunContext, latest_run, recent_runs, run_duration, run_job

__all__ = [
    "RunContext",
    "ScheduledJob",
    "find_job",
    "latest_run",
    "load_jobs",
    "recent_runs",
    "run_duration",
    "run_job",
    "upcoming",
]
