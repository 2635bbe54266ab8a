"""Anonymise a closed file (Law 25 s. 23): nothing left that names her, counts kept.

Every text column of every table of a file is either blanked here or kept on purpose (KEPT),
and a test checks that no column is left unclassified, so a table added later must be decided
on. What stays: her service events, distributions, enrolments, consents (with their dates),
pregnancies and weights — what the counts and statistics are made of.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import delete, select, update
from sqlmodel import Session

from core.models.base import metadata, utc_now

ANONYMOUS = "anonymisé"
# Rows removed outright: other people's names and phone numbers.
DELETED = frozenset({"clientcontact"})
# Columns overwritten, by table: names, contact details, finances, free text.
SCRUBBED: dict[str, dict[str, Any]] = {
    "client": {
        "first_name": ANONYMOUS,
        "last_name": ANONYMOUS,
        "phone": None,
        "email": None,
        "address": None,
        # Ages and sexes of her household, with her birth year and area, narrow her down.
        "household_members": None,
        "monthly_income": None,
        "monthly_rent": None,
        "status_reason": None,
    },
    "clientpause": {"reason": ""},
    "consent": {"given_by_name": None},
    "enrolment": {"end_reason": None},
    "serviceevent": {"notes": None},
    "referral": {"reason": None},
    "infant": {"first_name": None},
    "nutritionassessment": {"risk_factors": None, "notes": None},
    "couponallocation": {"reason": None},
    "distributionline": {"serials": None},
    "accessrequest": {"requester": ANONYMOUS, "notes": None},
}
# Text columns kept: codes and categories, not people. file_number and postal_code are
# rewritten below rather than blanked.
KEPT: dict[str, frozenset[str]] = {
    "client": frozenset({"file_number", "postal_code", "language", "status", "referral_source"}),
    "consent": frozenset({"purpose", "resource", "given_by", "method", "text_version"}),
    "serviceevent": frozenset({"kind", "mode"}),
    "referral": frozenset({"resource"}),
    "pregnancy": frozenset({"outcome"}),
    "infant": frozenset({"feeding"}),
    "nutritionassessment": frozenset({"supplements"}),
    "distribution": frozenset({"period", "price_status"}),
    "distributionline": frozenset({"price_status"}),
    "accessrequest": frozenset({"kind"}),
}


def anonymise_file(session: Session, found: dict[str, set[int]]) -> dict[str, int]:
    """Anonymise the rows of a file found by `client_rows.file_row_ids`; return row counts."""
    counts: dict[str, int] = {}
    for name, ids in found.items():
        if not ids:
            continue
        table = metadata.tables[name]
        where = table.c.id.in_(sorted(ids))
        if name in DELETED:
            session.execute(delete(table).where(where))
        elif name in SCRUBBED:
            session.execute(update(table).where(where).values(**SCRUBBED[name]))
        counts[name] = len(ids)
    _generalise_clients(session, found.get("client", set()))
    _generalise_births(session, found.get("infant", set()))
    return counts


def _year_only(day: date | None) -> date | None:
    """A date reduced to January 1 of its year: the age band survives, the birthday does not."""
    return None if day is None else date(day.year, 1, 1)


def _generalise_clients(session: Session, ids: set[int]) -> None:
    """File number replaced, postal code cut to its area (FSA), birth date to its year."""
    table = metadata.tables["client"]
    now = utc_now()
    rows = session.execute(
        select(table.c.id, table.c.postal_code, table.c.birth_date).where(
            table.c.id.in_(sorted(ids))
        )
    ).all()
    for client_id, postal_code, birth_date in rows:
        # The first three characters (FSA) give the territory the reports count by; an FSA
        # holds thousands of households.
        fsa = postal_code.replace(" ", "")[:3].upper() if postal_code else None
        session.execute(
            update(table)
            .where(table.c.id == client_id)
            .values(
                # The old number may sit on paper files: a new one breaks the link.
                file_number=f"ANON-{client_id}",
                postal_code=fsa,
                birth_date=_year_only(birth_date),
                anonymised_at=now,
            )
        )


def _generalise_births(session: Session, ids: set[int]) -> None:
    """A baby's birth date reduced to its year, like her mother's."""
    table = metadata.tables["infant"]
    rows = session.execute(
        select(table.c.id, table.c.birth_date).where(table.c.id.in_(sorted(ids)))
    ).all()
    for infant_id, birth_date in rows:
        session.execute(
            update(table).where(table.c.id == infant_id).values(birth_date=_year_only(birth_date))
        )
