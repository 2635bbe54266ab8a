"""The register of confidentiality incidents (Law 25 s. 3.8): one entry per incident.

The fields are the ones the Commission d'accès à l'information asks to find in the register:
what information, the circumstances, dates of the incident and of its discovery, how many
people, the assessment of the risk of serious harm, the notices sent, the measures taken.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from core.errors import N_, InvalidInput
from core.models import ConfidentialityIncident
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.scope import organisation_for, organisation_record_for


class IncidentChange(BaseModel):
    """Fields of an entry that may be set or corrected after it is recorded."""

    information_concerned: str | None = Field(default=None, min_length=1)
    circumstances: str | None = Field(default=None, min_length=1)
    occurred_on: date | None = None
    discovered_on: date | None = None
    people_affected: int | None = Field(default=None, ge=0)
    serious_harm_risk: bool | None = None
    risk_assessment: str | None = None
    commission_notified_on: date | None = None
    people_notified_on: date | None = None
    measures_taken: str | None = None


class NewIncident(IncidentChange):
    """An incident as first recorded: what, how and when it was discovered at least."""

    information_concerned: str = Field(min_length=1)
    circumstances: str = Field(min_length=1)
    discovered_on: date
    serious_harm_risk: bool = False


class IncidentView(BaseModel):
    """An entry of the register, and whether notices are still owed."""

    id: int
    information_concerned: str
    circumstances: str
    occurred_on: date | None
    discovered_on: date
    people_affected: int | None
    serious_harm_risk: bool
    risk_assessment: str | None
    commission_notified_on: date | None
    people_notified_on: date | None
    measures_taken: str | None
    recorded_at: datetime
    notices_owed: bool = Field(
        description="A risk of serious harm, and the Commission or the people not yet notified"
    )


def record_incident(
    session: Session, actor: Actor, incident: NewIncident, *, organisation: str | None = None
) -> IncidentView:
    """Add an entry to the organisation's register; audited as "create"."""
    org = organisation_for(session, actor, Permission.PRIVACY_MANAGE, organisation)
    assert org.id is not None
    row = ConfidentialityIncident(
        organisation_id=org.id, recorded_by_id=actor.user_id, **incident.model_dump()
    )
    _check_dates(row)
    session.add(row)
    session.flush()
    audit(session, actor, "create", "incident", record_id=row.id, organisation_id=org.id)
    session.commit()
    return _view(row)


def update_incident(
    session: Session, actor: Actor, incident_id: int, change: IncidentChange
) -> IncidentView:
    """Correct or complete an entry (notices sent, measures taken); audited as "update".

    Raises:
        NotFound: no such entry, or another organisation's.
        InvalidInput: a required field emptied, or dates out of order.
    """
    row = organisation_record_for(
        session, actor, ConfidentialityIncident, incident_id, Permission.PRIVACY_MANAGE, "incident"
    )
    fields: dict[str, Any] = change.model_dump(exclude_unset=True)
    for required in ("information_concerned", "circumstances", "discovered_on"):
        if required in fields and fields[required] is None:
            raise InvalidInput(N_("%(required)s cannot be emptied"), required=required)
    for name, value in fields.items():
        setattr(row, name, value)
    _check_dates(row)
    session.add(row)
    audit(
        session,
        actor,
        "update",
        "incident",
        record_id=row.id,
        organisation_id=row.organisation_id,
        detail=", ".join(sorted(fields)) or None,
    )
    session.commit()
    session.refresh(row)
    return _view(row)


def list_incidents(
    session: Session, actor: Actor, *, organisation: str | None = None
) -> list[IncidentView]:
    """The organisation's register, newest discovery first; one "read" audit row."""
    org = organisation_for(session, actor, Permission.PRIVACY_MANAGE, organisation)
    rows = session.exec(
        select(ConfidentialityIncident)
        .where(ConfidentialityIncident.organisation_id == org.id)
        .order_by(
            col(ConfidentialityIncident.discovered_on).desc(),
            col(ConfidentialityIncident.id).desc(),
        )
    ).all()
    audit(
        session,
        actor,
        "read",
        "incident_list",
        organisation_id=org.id,
        detail=f"{len(rows)} incidents",
    )
    session.commit()
    return [_view(row) for row in rows]


def _check_dates(row: ConfidentialityIncident) -> None:
    """An incident is discovered after it happens, and notices follow the discovery."""
    if row.occurred_on is not None and row.occurred_on > row.discovered_on:
        raise InvalidInput(N_("occurred_on is after discovered_on"))
    for name in ("commission_notified_on", "people_notified_on"):
        notified = getattr(row, name)
        if notified is not None and notified < row.discovered_on:
            raise InvalidInput(N_("%(name)s is before discovered_on"), name=name)


def _view(row: ConfidentialityIncident) -> IncidentView:
    assert row.id is not None
    owed = row.serious_harm_risk and (
        row.commission_notified_on is None or row.people_notified_on is None
    )
    fields = row.model_dump(exclude={"organisation_id", "recorded_by_id"})
    return IncidentView(notices_owed=owed, **fields)
