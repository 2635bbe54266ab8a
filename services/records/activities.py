"""What an organisation does beyond its clients: trainings, tools, publications, committees,
media, meetings with decision makers; and the downloads of the project's own publications.

None of it is about clients: no consent is needed and nothing is suppressed. Writes need
ACTIVITIES_WRITE in the activity's organisation and leave an audit row like any other.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field
from sqlmodel import Session, col, func, select

from core.errors import N_, InvalidInput
from core.models import OrganisationActivity, PublicationDownload
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.scope import organisation_for, organisation_record_for

ACTIVITY_KINDS = (
    "training",
    "webinar",
    "tool",
    "publication",
    "accompaniment",
    "committee",
    "media",
    "decision_maker_meeting",
)
ACTIVITY_COLUMNS = ("activity_kind", "activities", "participants", "readers", "downloads")


class ActivitiesSection(BaseModel):
    """The organisation's activities in a period, one row per kind (ACTIVITY_COLUMNS)."""

    columns: list[str]
    rows: list[dict[str, Any]]


class ActivityInput(BaseModel):
    """An activity as typed in (all fields for a new one)."""

    kind: str
    title: str = Field(min_length=1, max_length=300)
    held_on: date
    participants: int | None = Field(default=None, ge=0)
    participant_profile: str | None = Field(default=None, max_length=200)
    readers: int | None = Field(default=None, ge=0)
    notes: str | None = Field(default=None, max_length=500)


class ActivityChange(BaseModel):
    """The fields to change; the others stay."""

    kind: str | None = None
    title: str | None = Field(default=None, min_length=1, max_length=300)
    held_on: date | None = None
    participants: int | None = Field(default=None, ge=0)
    participant_profile: str | None = Field(default=None, max_length=200)
    readers: int | None = Field(default=None, ge=0)
    notes: str | None = Field(default=None, max_length=500)


class ActivityView(ActivityInput):
    """A stored activity."""

    id: int
    organisation_id: int


def _view(activity: OrganisationActivity) -> ActivityView:
    return ActivityView.model_validate(activity, from_attributes=True)


def _check_kind(kind: str | None) -> None:
    if kind is not None and kind not in ACTIVITY_KINDS:
        raise InvalidInput(
            N_("unknown activity kind %(kind)r: use one of %(kinds)s"),
            kind=kind,
            kinds=", ".join(ACTIVITY_KINDS),
        )


def add_activity(
    session: Session, actor: Actor, organisation: str | None, data: ActivityInput
) -> ActivityView:
    """Record an activity of the organisation."""
    owner = organisation_for(session, actor, Permission.ACTIVITIES_WRITE, organisation)
    assert owner.id is not None
    _check_kind(data.kind)
    activity = OrganisationActivity(organisation_id=owner.id, **data.model_dump())
    session.add(activity)
    session.flush()
    audit(session, actor, "create", "organisation_activity", record_id=activity.id,
          organisation_id=owner.id)  # fmt: skip
    session.commit()
    return _view(activity)


def list_activities(
    session: Session,
    actor: Actor,
    organisation: str | None,
    *,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> list[ActivityView]:
    """The organisation's activities, oldest first, optionally within dates."""
    owner = organisation_for(session, actor, Permission.ACTIVITIES_WRITE, organisation)
    query = select(OrganisationActivity).where(OrganisationActivity.organisation_id == owner.id)
    if starts_on is not None:
        query = query.where(OrganisationActivity.held_on >= starts_on)
    if ends_on is not None:
        query = query.where(OrganisationActivity.held_on <= ends_on)
    rows = session.exec(
        query.order_by(col(OrganisationActivity.held_on), col(OrganisationActivity.id))
    ).all()
    return [_view(row) for row in rows]


def _activity_for(session: Session, actor: Actor, activity_id: int) -> OrganisationActivity:
    """The activity, if she may write her organisation's; another organisation's is 404."""
    return organisation_record_for(
        session, actor, OrganisationActivity, activity_id, Permission.ACTIVITIES_WRITE, "activity"
    )


def update_activity(
    session: Session, actor: Actor, activity_id: int, change: ActivityChange
) -> ActivityView:
    """Change the fields given of an activity."""
    activity = _activity_for(session, actor, activity_id)
    values = change.model_dump(exclude_unset=True)
    _check_kind(values.get("kind"))
    for name, value in values.items():
        if value is None and name in ("kind", "title", "held_on"):
            raise InvalidInput(N_("%(name)s cannot be emptied"), name=name)
        setattr(activity, name, value)
    session.add(activity)
    audit(session, actor, "update", "organisation_activity", record_id=activity.id,
          organisation_id=activity.organisation_id, detail=",".join(sorted(values)))  # fmt: skip
    session.commit()
    return _view(activity)


def delete_activity(session: Session, actor: Actor, activity_id: int) -> None:
    """Delete an activity typed in by mistake."""
    activity = _activity_for(session, actor, activity_id)
    audit(session, actor, "delete", "organisation_activity", record_id=activity.id,
          organisation_id=activity.organisation_id)  # fmt: skip
    session.delete(activity)
    session.commit()


def count_publication_download(session: Session, name: str, on: date | None = None) -> None:
    """Count one download of the project's publication `name` (never who downloaded it)."""
    name = name.strip()
    if not name:
        raise InvalidInput(N_("a publication needs a name"))
    session.add(PublicationDownload(publication=name[:200], downloaded_on=on or date.today()))
    session.commit()


def activities_section(
    session: Session, organisation_id: int, starts_on: date, ends_on: date
) -> ActivitiesSection:
    """The activities of the outputs report: per kind, how many, participants, readers; the
    downloads of the project's own publications (all of them: they are not an
    organisation's) go on the publication row."""
    held = col(OrganisationActivity.held_on).between(starts_on, ends_on)
    sums = session.exec(
        select(
            OrganisationActivity.kind,
            func.count(),
            func.coalesce(func.sum(OrganisationActivity.participants), 0),
            func.coalesce(func.sum(OrganisationActivity.readers), 0),
        )
        .where(OrganisationActivity.organisation_id == organisation_id, held)
        .group_by(OrganisationActivity.kind)
    ).all()
    by_kind = {kind: (count, participants, readers) for kind, count, participants, readers in sums}
    downloads = session.exec(
        select(func.count()).where(
            col(PublicationDownload.downloaded_on).between(starts_on, ends_on)
        )
    ).one()
    rows: list[dict[str, Any]] = []
    for kind in ACTIVITY_KINDS:
        count, participants, readers = by_kind.get(kind, (0, 0, 0))
        rows.append({
            "activity_kind": kind,
            "activities": int(count or 0),
            "participants": int(participants or 0),
            "readers": int(readers or 0),
            "downloads": int(downloads) if kind == "publication" else 0,
        })  # fmt: skip
    return ActivitiesSection(columns=list(ACTIVITY_COLUMNS), rows=rows)
