"""Clients of an organisation, their contacts, consent per purpose and program enrolments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.models.base import timestamp_field, utc_now


class Client(SQLModel, table=True):
    """A person followed by one organisation; another organisation never sees her."""

    __table_args__ = (UniqueConstraint("organisation_id", "file_number"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    file_number: str = Field(max_length=32)
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    birth_date: date | None = None
    language: str = Field(default="fr", max_length=2)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=254)
    address: str | None = Field(default=None, max_length=300)
    postal_code: str | None = Field(default=None, max_length=7)
    # From the postal code (core/data/records/postal_territories.csv), or set by hand.
    territory_id: int | None = Field(default=None, foreign_key="region.id")
    # The household as `ppne cost household --members` reads it: "F:31,M:33,F:2".
    household_members: str | None = Field(default=None, max_length=200)
    # Given only if she chooses to, for the affordability view (monthly, dollars).
    monthly_income: Decimal | None = Field(default=None, sa_type=Numeric(12, 2))
    monthly_rent: Decimal | None = Field(default=None, sa_type=Numeric(12, 2))
    referral_source: str | None = Field(default=None, max_length=200)
    status: str = Field(default="active", max_length=16)  # active | paused | closed
    status_reason: str | None = Field(default=None, max_length=200)
    closed_on: date | None = None
    # A merged file points to the one that carries on; both histories are kept.
    merged_into_id: int | None = Field(default=None, foreign_key="client.id")
    anonymised_at: datetime | None = timestamp_field(default=None)
    created_at: datetime = timestamp_field(default_factory=utc_now)


class ClientPause(SQLModel, table=True):
    """A scheduled pause of services (a hospital stay, a trip)."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    starts_on: date
    ends_on: date | None = None
    reason: str = Field(default="", max_length=200)


class ClientContact(SQLModel, table=True):
    """Someone to call about a client: an emergency contact or a referent."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    kind: str = Field(max_length=16)  # emergency | referent
    name: str = Field(max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    relation: str | None = Field(default=None, max_length=100)


class Consent(SQLModel, table=True):
    """Consent for one purpose, as given (who, how, which text) until it is withdrawn."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    # services | sharing | statistics | reminders
    purpose: str = Field(max_length=16)
    # For sharing: the named resource the information may go to.
    resource: str | None = Field(default=None, max_length=200)
    given_by: str = Field(default="client", max_length=16)  # client | parent | guardian
    given_by_name: str | None = Field(default=None, max_length=200)
    method: str = Field(default="written", max_length=16)  # written | verbal | electronic
    text_version: str = Field(max_length=32)
    given_on: date
    withdrawn_on: date | None = None
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")


class Enrolment(SQLModel, table=True):
    """A client in a program from one date to another."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    starts_on: date
    ends_on: date | None = None
    end_reason: str | None = Field(default=None, max_length=200)
