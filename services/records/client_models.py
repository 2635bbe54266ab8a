"""What the client use cases take and give back: pydantic models, never ORM rows.

The API uses the same models for its request and answer bodies, so a field means one thing
from the form to the database.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

Status = Literal["active", "paused", "closed"]
Purpose = Literal["services", "sharing", "statistics", "reminders"]
GivenBy = Literal["client", "parent", "guardian"]
Method = Literal["written", "verbal", "electronic"]
ContactKind = Literal["emergency", "referent"]


class ClientFields(BaseModel):
    """What an intake records about a person (names and the rest as she gives them)."""

    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    birth_date: date | None = None
    language: Literal["fr", "en"] = "fr"
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=254)
    address: str | None = Field(default=None, max_length=300)
    postal_code: str | None = Field(default=None, max_length=7, description="e.g. H1L 2A3")
    household_members: str | None = Field(default=None, max_length=200, examples=["F:31,F:2"])
    monthly_income: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    monthly_rent: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    referral_source: str | None = Field(default=None, max_length=200)


class ClientChanges(BaseModel):
    """A partial update: only the fields sent are changed (null clears an optional one)."""

    first_name: str | None = Field(default=None, min_length=1, max_length=100)
    last_name: str | None = Field(default=None, min_length=1, max_length=100)
    birth_date: date | None = None
    language: Literal["fr", "en"] | None = None
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=254)
    address: str | None = Field(default=None, max_length=300)
    postal_code: str | None = Field(default=None, max_length=7)
    household_members: str | None = Field(default=None, max_length=200)
    monthly_income: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    monthly_rent: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    referral_source: str | None = Field(default=None, max_length=200)


class ConsentInput(BaseModel):
    """A consent as given: for one purpose, by whom, how, and which text she was shown."""

    purpose: Purpose
    resource: str | None = Field(
        default=None, max_length=200, description="For sharing: the named resource"
    )
    given_by: GivenBy = "client"
    given_by_name: str | None = Field(default=None, max_length=200)
    method: Method = "written"
    text_version: str = Field(min_length=1, max_length=32)
    given_on: date | None = Field(default=None, description="Today when left out")


class ConsentView(BaseModel):
    """A consent, withdrawn or not (a withdrawal is recorded, never deleted)."""

    id: int
    purpose: str
    resource: str | None
    given_by: str
    given_by_name: str | None
    method: str
    text_version: str
    given_on: date
    withdrawn_on: date | None


class MergedInto(BaseModel):
    """Where a merged file carries on."""

    id: int
    file_number: str


class ClientView(BaseModel):
    """A client file as its reader may see it."""

    id: int
    organisation: str
    file_number: str
    first_name: str
    last_name: str
    birth_date: date | None
    language: str
    phone: str | None
    email: str | None
    address: str | None
    postal_code: str | None
    territory: str | None = Field(description="Region code from the postal code")
    household_members: str | None
    monthly_income: Decimal | None
    monthly_rent: Decimal | None
    finances_restricted: bool = Field(
        description="True when income and rent are hidden: her role does not give finances:read"
    )
    referral_source: str | None
    status: str
    status_reason: str | None
    closed_on: date | None
    paused_today: bool = Field(description="A scheduled pause covers today")
    merged_into: MergedInto | None = Field(description="Set on a merged file: read that one")
    created_on: date


class ClientSummary(BaseModel):
    """One line of a client list."""

    id: int
    file_number: str
    first_name: str
    last_name: str
    birth_date: date | None
    status: str
    territory: str | None


class ClientPage(BaseModel):
    """One page of a client list, and how many there are in all."""

    total: int
    page: int
    per_page: int
    items: list[ClientSummary]


class DuplicateCandidate(BaseModel):
    """A file that may be the same person, with the name similarity score (0-100)."""

    id: int
    file_number: str
    first_name: str
    last_name: str
    birth_date: date | None
    score: float


class StatusChange(BaseModel):
    """A new status, why, and (closing) the day the file closed."""

    status: Status
    reason: str | None = Field(default=None, max_length=200)
    closed_on: date | None = Field(default=None, description="Closing: today when left out")


class PauseInput(BaseModel):
    """A scheduled pause of services."""

    starts_on: date
    ends_on: date | None = None
    reason: str = Field(default="", max_length=200)


class PauseView(PauseInput):
    """A scheduled pause as recorded."""

    id: int


class ContactInput(BaseModel):
    """Someone to call about the client."""

    kind: ContactKind
    name: str = Field(min_length=1, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    relation: str | None = Field(default=None, max_length=100)


class ContactView(ContactInput):
    """A contact as recorded."""

    id: int


class EnrolmentInput(BaseModel):
    """Enrol the client in a program of her organisation (by its code)."""

    program: str = Field(min_length=1, max_length=48, examples=["prenatal"])
    starts_on: date | None = Field(default=None, description="Today when left out")


class EnrolmentEnd(BaseModel):
    """End an enrolment."""

    ends_on: date | None = Field(default=None, description="Today when left out")
    reason: str = Field(min_length=1, max_length=200)


class EnrolmentView(BaseModel):
    """A client's enrolment in a program."""

    id: int
    program: str
    starts_on: date
    ends_on: date | None
    end_reason: str | None


class MergeResult(BaseModel):
    """What a merge moved, table by table, and what it had to leave on the merged file."""

    kept: ClientView
    merged_id: int
    merged_file_number: str
    moved: dict[str, int]
    left: dict[str, int] = Field(
        description="Rows left on the merged file because the kept one already has the same"
        " (e.g. both attended one session)"
    )
