"""Service-records rows for tests: the shipped organisations, a client, a consent.

Like factories.py: each `make_*` takes the session and keyword overrides, adds one row and
flushes; the caller commits.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from sqlmodel import Session

from core.models import Client, Consent, Organisation, Program
from services.access.organisations import (
    ensure_organisations,
    organisation_by_slug,
    program_by_code,
)

_numbers = itertools.count(1)


def organisation(session: Session, slug: str = "alima") -> Organisation:
    """Return a shipped organisation, loading them first if needed."""
    ensure_organisations(session)
    return organisation_by_slug(session, slug)


def program(session: Session, slug: str = "alima", code: str = "prenatal") -> Program:
    """Return a shipped program of a shipped organisation."""
    return program_by_code(session, organisation(session, slug), code)


def make_client(session: Session, org: str = "alima", **overrides: Any) -> Client:
    """Add a client of `org` with a fresh file number."""
    owner = organisation(session, org)
    number = next(_numbers)
    values: dict[str, Any] = {
        "organisation_id": owner.id,
        "file_number": f"T-{number:05d}",
        "first_name": f"Prénom{number}",
        "last_name": f"Nom{number}",
        "birth_date": date(1995, 1, 1),
    }
    client = Client(**{**values, **overrides})
    session.add(client)
    session.flush()
    return client


def make_consent(session: Session, client: Client, purpose: str, **overrides: Any) -> Consent:
    """Add a consent of `client` for `purpose`, given on 2026-01-01 in writing."""
    assert client.id is not None
    values: dict[str, Any] = {
        "client_id": client.id,
        "purpose": purpose,
        "text_version": "2026-01",
        "given_on": date(2026, 1, 1),
    }
    consent = Consent(**{**values, **overrides})
    session.add(consent)
    session.flush()
    return consent
