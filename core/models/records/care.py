"""What is done with a client: service events, group sessions, referrals, pregnancy, clinical."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Numeric, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.models.base import timestamp_field, utc_now


class GroupSession(SQLModel, table=True):
    """A workshop or group meeting of a program, with its capacity."""

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    title: str = Field(max_length=200)
    held_on: date
    duration_minutes: int = 90
    capacity: int = 12
    location: str | None = Field(default=None, max_length=200)


class Attendance(SQLModel, table=True):
    """A client registered for a group session, and whether she came."""

    __table_args__ = (UniqueConstraint("group_session_id", "client_id"),)

    id: int | None = Field(default=None, primary_key=True)
    group_session_id: int = Field(foreign_key="groupsession.id", index=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    present: bool = True


class ServiceEvent(SQLModel, table=True):
    """One service given to a client: intake, consultation, follow-up, visit, referral..."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    # intake | individual_consultation | phone_follow_up | home_visit | group_attendance
    # | referral | distribution
    kind: str = Field(max_length=32)
    occurred_on: date = Field(index=True)
    duration_minutes: int | None = None
    staff_id: int | None = Field(default=None, foreign_key="user.id")
    mode: str = Field(default="in_person", max_length=16)  # in_person | phone | video | home
    notes: str | None = Field(default=None, sa_type=Text)
    # Restricted notes are read by the dietitians of the event's program only.
    notes_restricted: bool = False
    group_session_id: int | None = Field(default=None, foreign_key="groupsession.id")
    created_at: datetime = timestamp_field(default_factory=utc_now)


class Referral(SQLModel, table=True):
    """A client sent to a complementary resource (needs her consent to share, if anything is)."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    resource: str = Field(max_length=200)
    reason: str | None = Field(default=None, max_length=300)
    referred_on: date
    shared_information: bool = False
    consent_id: int | None = Field(default=None, foreign_key="consent.id")
    staff_id: int | None = Field(default=None, foreign_key="user.id")


class Pregnancy(SQLModel, table=True):
    """A pregnancy followed by Alima: expected date and outcome."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    expected_on: date
    outcome: str | None = Field(default=None, max_length=24)  # live_birth | loss | moved...
    outcome_on: date | None = None


class Infant(SQLModel, table=True):
    """A baby born to a followed client."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    pregnancy_id: int | None = Field(default=None, foreign_key="pregnancy.id")
    first_name: str | None = Field(default=None, max_length=100)
    birth_date: date
    birth_weight_g: int | None = None
    gestational_age_weeks: int | None = None
    feeding: str | None = Field(default=None, max_length=16)  # breast | formula | mixed


class NutritionAssessment(SQLModel, table=True):
    """The dietitian's assessment and prescription (restricted). Recorded, never computed."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    assessed_on: date
    dietitian_id: int | None = Field(default=None, foreign_key="user.id")
    pre_pregnancy_weight_kg: Decimal | None = Field(default=None, sa_type=Numeric(5, 1))
    height_cm: Decimal | None = Field(default=None, sa_type=Numeric(5, 1))
    risk_factors: str | None = Field(default=None, sa_type=Text)
    calories_kcal: int | None = None
    protein_g: int | None = None
    supplements: str | None = Field(default=None, max_length=300)
    notes: str | None = Field(default=None, sa_type=Text)


class WeightCheck(SQLModel, table=True):
    """A weight taken at a follow-up (restricted)."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    measured_on: date
    weight_kg: Decimal = Field(sa_type=Numeric(5, 1))
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")
