"""What the scheduler did: one row per run of a scheduled job, with each step's result."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from core.models.base import timestamp_field, utc_now

SCHEDULED_OUTCOMES = ("running", "succeeded", "failed")


class ScheduledRun(SQLModel, table=True):
    """A scheduled job's run: crawl, then compute, then publish, each only if the last held."""

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=64, index=True)
    # "schedule" when the scheduler fired it, "manual" when someone ran it by hand.
    trigger: str = Field(default="manual", max_length=16)
    started_at: datetime = timestamp_field(default_factory=utc_now)
    finished_at: datetime | None = timestamp_field(default=None)
    outcome: str = Field(default="running", max_length=16)
    # The step it ended on: crawl, compute, publish or done.
    step: str = Field(default="crawl", max_length=16)
    collection_run_id: int | None = Field(default=None, foreign_key="collectionrun.id")
    observations_stored: int | None = None
    costs_stored: int | None = None
    published: str | None = Field(default=None, max_length=2000)
    message: str | None = Field(default=None, max_length=2000)
