"""Organisations, their programs, the people who sign in, their roles and their tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from core.models.base import timestamp_field, utc_now


class Organisation(SQLModel, table=True):
    """An organisation whose clients are kept apart from every other's (Alima, Le Sésame)."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=200)
    # Law 25 asks for a named person in charge of privacy with published contact details.
    privacy_contact: str | None = Field(default=None, max_length=300)


class Program(SQLModel, table=True):
    """A service of an organisation (prenatal follow-up, meals on wheels...) and its retention."""

    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    code: str = Field(max_length=48)
    name_fr: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    # Law 25 s. 23: once a file is closed this many months, destroy or anonymise it.
    retention_months: int = Field(default=84)
    retention_action: str = Field(default="anonymise", max_length=16)  # destroy | anonymise


class User(SQLModel, table=True):
    """A person who signs in; what she may do comes from her memberships."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    display_name: str = Field(default="", max_length=200)
    # Argon2 only (pwdlib); the clear password is never stored or logged.
    password_hash: str = Field(max_length=255)
    language: str = Field(default="fr", max_length=2)
    active: bool = Field(default=True)
    created_at: datetime = timestamp_field(default_factory=utc_now)
    disabled_at: datetime | None = timestamp_field(default=None)


class Membership(SQLModel, table=True):
    """A role of a user in an organisation, optionally limited to one of its programs."""

    __table_args__ = (UniqueConstraint("user_id", "organisation_id", "role", "program_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    # admin, coordinator, dietitian, volunteer, analyst or privacy_officer
    role: str = Field(max_length=24)
    program_id: int | None = Field(default=None, foreign_key="program.id")


class ApiToken(SQLModel, table=True):
    """A bearer token of a user; only its SHA-256 is kept, so a stolen database signs no one in."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    name: str = Field(default="", max_length=100)
    created_at: datetime = timestamp_field(default_factory=utc_now)
    expires_at: datetime = timestamp_field()
    revoked_at: datetime | None = timestamp_field(default=None)
    last_used_at: datetime | None = timestamp_field(default=None)


class LoginAttempt(SQLModel, table=True):
    """One sign-in attempt, kept in the database so the rate limit holds across processes."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    succeeded: bool
    at: datetime = timestamp_field(default_factory=utc_now, index=True)
    source: str = Field(default="", max_length=64)
