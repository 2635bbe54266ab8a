"""Law 25: the audit log, access requests, confidentiality incidents, postal territories."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from core.models.base import timestamp_field, utc_now


class AuditEvent(SQLModel, table=True):
    """One read or write of a client's data: who, what, which record, when, from where.

    Append-only: migration 0009 adds triggers that refuse UPDATE and DELETE on this table.
    """

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = timestamp_field(default_factory=utc_now, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    # read | create | update | delete | export | merge | purge | anonymise | refuse
    action: str = Field(max_length=16)
    record_type: str = Field(max_length=48)
    record_id: int | None = None
    # Kept as a number, not a foreign key: the audit of a destroyed file outlives it.
    client_id: int | None = Field(default=None, index=True)
    source: str = Field(default="", max_length=64)  # an IP address, or "cli"
    detail: str | None = Field(default=None, max_length=500)


class AccessRequest(SQLModel, table=True):
    """A request to access, correct or carry away one's data, due within 30 days (s. 27-32)."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    client_id: int | None = Field(default=None, foreign_key="client.id")
    kind: str = Field(max_length=16)  # access | correction | portability
    requester: str = Field(max_length=200)
    received_on: date
    due_on: date
    answered_on: date | None = None
    notes: str | None = Field(default=None, max_length=1000)
    handled_by_id: int | None = Field(default=None, foreign_key="user.id")


class ConfidentialityIncident(SQLModel, table=True):
    """An entry of the incident register, with the fields the Commission asks for."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    information_concerned: str = Field(sa_type=Text)
    circumstances: str = Field(sa_type=Text)
    occurred_on: date | None = None
    discovered_on: date
    people_affected: int | None = None
    serious_harm_risk: bool = False
    risk_assessment: str | None = Field(default=None, sa_type=Text)
    commission_notified_on: date | None = None
    people_notified_on: date | None = None
    measures_taken: str | None = Field(default=None, sa_type=Text)
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")
    recorded_at: datetime = timestamp_field(default_factory=utc_now)


class PostalTerritory(SQLModel, table=True):
    """A forward sortation area (first three characters of a postal code) and its territory."""

    id: int | None = Field(default=None, primary_key=True)
    fsa: str = Field(max_length=3, unique=True)
    region_id: int = Field(foreign_key="region.id")
    source: str = Field(max_length=300)
