"""The organisations and programs shipped as data, and looking them up by slug and code."""

from __future__ import annotations

import csv
from importlib import resources

from sqlmodel import Session, select

from core.errors import NotFound
from core.models import Organisation, Program

PROGRAMS_FILE = resources.files("core") / "data" / "records" / "programs.csv"


def ensure_organisations(session: Session) -> int:
    """Add the shipped organisations and programs that are missing; return how many rows."""
    added = 0
    with PROGRAMS_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        organisation = session.exec(
            select(Organisation).where(Organisation.slug == row["organisation"])
        ).first()
        if organisation is None:
            organisation = Organisation(slug=row["organisation"], name=row["organisation_name"])
            session.add(organisation)
            session.flush()
            added += 1
        if _program(session, organisation, row["code"]) is None:
            assert organisation.id is not None
            session.add(
                Program(
                    organisation_id=organisation.id,
                    code=row["code"],
                    name_fr=row["name_fr"],
                    name_en=row["name_en"],
                    retention_months=int(row["retention_months"]),
                    retention_action=row["retention_action"],
                )
            )
            added += 1
    session.flush()
    return added


def _program(session: Session, organisation: Organisation, code: str) -> Program | None:
    return session.exec(
        select(Program).where(Program.organisation_id == organisation.id, Program.code == code)
    ).first()


def organisation_by_slug(session: Session, slug: str) -> Organisation:
    """Return the organisation `slug`, or raise NotFound listing the ones there are."""
    organisation = session.exec(select(Organisation).where(Organisation.slug == slug)).first()
    if organisation is None:
        known = ", ".join(session.exec(select(Organisation.slug)).all()) or "none yet"
        raise NotFound(f"no organisation {slug!r} (known: {known})")
    return organisation


def program_by_code(session: Session, organisation: Organisation, code: str) -> Program:
    """Return the program `code` of an organisation, or raise NotFound listing its programs."""
    program = _program(session, organisation, code)
    if program is None:
        codes = session.exec(
            select(Program.code).where(Program.organisation_id == organisation.id)
        ).all()
        raise NotFound(
            f"organisation {organisation.slug} has no program {code!r} "
            f"(its programs: {', '.join(codes)})"
        )
    return program
