"""The scheduled jobs, read from a CSV (core/data/schedule.csv unless another is given).

A job is up to three steps in order: crawl with a spider, compute the costs, publish an
edition. Its cadence is a crontab line in Montréal time ("0 6 * * 1": Mondays at 06:00) or an
interval ("every 30 seconds", "every 6 hours"). Weekdays are named (mon ... sun): APScheduler 3
and cron number them differently. `needs` names jobs whose latest run must have
succeeded first: costs computed from a failed crawl are never published.

APScheduler (3.x) reads the cadences: its cron trigger is the one the daemon fires on, so the
next run `ppne schedule list` prints is the one that will happen.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core.errors import InvalidInput

MONTREAL = ZoneInfo("America/Montreal")
SHIPPED_JOBS = resources.files("core") / "data" / "schedule.csv"
COLUMNS = ("job", "spider", "spider_args", "cadence", "compute", "publish", "needs", "description")
PUBLICATIONS = ("bulletin", "press", "brief", "ppne")
INTERVAL = re.compile(r"\Aevery (\d+) (second|minute|hour|day)s?\Z")
JOB_NAME = re.compile(r"\A[a-z0-9][a-z0-9-]{0,63}\Z")


@dataclass(frozen=True)
class ScheduledJob:
    """One line of the schedule: what to run and when."""

    name: str
    spider: str | None
    spider_args: dict[str, str]
    cadence: str
    compute: bool
    publish: str | None
    needs: tuple[str, ...]
    description: str

    def trigger(self) -> BaseTrigger:
        """The APScheduler trigger of this job's cadence (valid: checked when read)."""
        return cadence_trigger(self.cadence)

    def next_run(self, after: datetime) -> datetime | None:
        """When the daemon would next start this job, after `after` (aware)."""
        trigger = self.trigger()
        return trigger.get_next_fire_time(None, after.astimezone(MONTREAL))

    @property
    def steps(self) -> tuple[str, ...]:
        """The steps of a run, in order."""
        chosen = (
            ("crawl", self.spider is not None),
            ("compute", self.compute),
            ("publish", self.publish is not None),
        )
        return tuple(step for step, wanted in chosen if wanted)


def cadence_trigger(cadence: str) -> BaseTrigger:
    """Read a crontab line or an "every N units" interval, in Montréal time.

    Raises:
        InvalidInput: the cadence is neither.
    """
    interval = INTERVAL.match(cadence.strip())
    if interval:
        count, unit = int(interval.group(1)), interval.group(2)
        if count < 1:
            raise InvalidInput(f"cadence {cadence!r}: the interval must be at least 1")
        return IntervalTrigger(timezone=MONTREAL, **{unit + "s": count})
    fields = cadence.split()
    if len(fields) == 5 and any(character.isdigit() for character in fields[4]):
        # APScheduler 3 counts weekdays from Monday = 0 where cron counts from Sunday = 0:
        # a number would fire on the wrong day, a name cannot.
        raise InvalidInput(
            f"cadence {cadence!r}: name the weekday (mon, tue, ... sun), not its number"
        )
    try:
        return CronTrigger.from_crontab(cadence, timezone=MONTREAL)
    except ValueError as error:
        raise InvalidInput(
            f"cadence {cadence!r} is neither a crontab line (minute hour day month weekday) "
            f"nor 'every N seconds|minutes|hours|days': {error}"
        ) from None


def load_jobs(path: Path | None = None) -> list[ScheduledJob]:
    """Read and check the schedule; every error names its line.

    Raises:
        InvalidInput: a column is missing, a value is wrong, or a name repeats.
    """
    text = path.read_text(encoding="utf-8-sig") if path else SHIPPED_JOBS.read_text("utf-8")
    where = str(path) if path else "core/data/schedule.csv"
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput(f"{where}: missing column(s) {', '.join(missing)}")
    jobs: list[ScheduledJob] = []
    for line, row in enumerate(reader, start=2):
        try:
            jobs.append(_job(row))
        except InvalidInput as error:
            raise InvalidInput(f"{where}, line {line}: {error}") from None
    _check_names(jobs, where)
    return jobs


def find_job(jobs: list[ScheduledJob], name: str) -> ScheduledJob:
    """The job of this name.

    Raises:
        InvalidInput: no job has it (the known ones are listed).
    """
    for job in jobs:
        if job.name == name:
            return job
    known = ", ".join(job.name for job in jobs)
    raise InvalidInput(f"no scheduled job {name!r}; the jobs are: {known}")


def _job(row: dict[str, str]) -> ScheduledJob:
    name = (row["job"] or "").strip()
    if not JOB_NAME.match(name):
        raise InvalidInput(f"job name {name!r}: lowercase letters, digits and dashes")
    cadence = (row["cadence"] or "").strip()
    cadence_trigger(cadence)  # refused here, not when the daemon starts
    publish = (row["publish"] or "").strip() or None
    if publish is not None and publish not in PUBLICATIONS:
        raise InvalidInput(f"publish {publish!r}: one of {', '.join(PUBLICATIONS)}")
    compute = _yes_no(row["compute"], "compute")
    if publish and not compute:
        # Publishing costs nobody recomputed would print last week's figures as new.
        raise InvalidInput("a job that publishes computes first (compute = yes)")
    spider = (row["spider"] or "").strip() or None
    if spider is None and not compute:
        raise InvalidInput("a job with no spider must compute")
    return ScheduledJob(
        name=name,
        spider=spider,
        spider_args=_spider_args(row["spider_args"] or ""),
        cadence=cadence,
        compute=compute,
        publish=publish,
        needs=tuple((row["needs"] or "").split()),
        description=(row["description"] or "").strip(),
    )


def _yes_no(value: str, column: str) -> bool:
    answer = (value or "").strip().lower()
    if answer not in ("yes", "no"):
        raise InvalidInput(f"{column} {value!r}: yes or no")
    return answer == "yes"


def _spider_args(text: str) -> dict[str, str]:
    """`key=value` pairs separated by semicolons (a URL may hold commas)."""
    arguments: dict[str, str] = {}
    for part in filter(None, (piece.strip() for piece in text.split(";"))):
        key, equals, value = part.partition("=")
        if not equals or not key.strip():
            raise InvalidInput(f"spider argument {part!r} is not key=value")
        arguments[key.strip()] = value.strip()
    return arguments


def _check_names(jobs: list[ScheduledJob], where: str) -> None:
    names = [job.name for job in jobs]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise InvalidInput(f"{where}: job name(s) repeated: {', '.join(repeated)}")
    for job in jobs:
        unknown = [need for need in job.needs if need not in names]
        if unknown:
            raise InvalidInput(f"{where}: job {job.name} needs unknown job(s) {', '.join(unknown)}")
        if job.name in job.needs:
            raise InvalidInput(f"{where}: job {job.name} needs itself")


def upcoming(jobs: list[ScheduledJob], now: datetime) -> list[tuple[ScheduledJob, datetime | None]]:
    """Each job with its next start after `now`, soonest first (never-firing jobs last)."""
    far = now + timedelta(days=100 * 366)
    pairs = [(job, job.next_run(now)) for job in jobs]
    return sorted(pairs, key=lambda pair: pair[1] or far)
