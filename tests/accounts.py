"""Accounts for tests: a user with one role, and the bearer header of a fresh token."""

from __future__ import annotations

import itertools

from core.db import session_scope
from services.access.organisations import ensure_organisations
from services.access.users import create_user, new_token

PASSWORD = "a long test password"
_numbers = itertools.count(1)


def bearer(
    db_url: str,
    role: str,
    *,
    organisation: str = "alima",
    program: str | None = None,
    email: str | None = None,
) -> dict[str, str]:
    """Create an account with `role` (and the shipped organisations if missing); return the
    `Authorization` header of a token for it."""
    email = email or f"{role}-{next(_numbers)}@{organisation}.example"
    with session_scope(db_url) as session:
        ensure_organisations(session)
        session.commit()
        create_user(session, email, PASSWORD, organisation=organisation, role=role, program=program)
        token = new_token(session, email, days=1)
    return {"Authorization": f"Bearer {token}"}
