"""Is this person already followed? The duplicate search run before every intake.

Names are compared with rapidfuzz's token_sort_ratio on "first last", after folding case,
accents and hyphens ("Marie-Ève Tremblay" and "marie eve TREMBLAY" score 100), so word order
and small typos matter little. A file is a candidate when:
- the birth dates are equal and the names score at least NAME_THRESHOLD (85), or
- a birth date is missing on one side and the names score at least NAME_ONLY_THRESHOLD (95).
Different birth dates never match: two women of one name are common, a mistyped birth date
is rarer and the user still sees the list when she searches by name.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from rapidfuzz import fuzz
from sqlmodel import Session, or_, select

from core.errors import N_, PpneError
from core.models import Client
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.client_models import DuplicateCandidate
from services.records.scope import organisation_for

NAME_THRESHOLD = 85.0
NAME_ONLY_THRESHOLD = 95.0


class DuplicateSuspected(PpneError):
    """An intake found files that may be the same person; the API answers 409 with them."""

    def __init__(self, candidates: list[DuplicateCandidate]) -> None:
        super().__init__(
            N_(
                "%(count)s file(s) may be the same person: open one of them, "
                "or confirm the intake with force=true"
            ),
            count=len(candidates),
        )
        self.candidates = candidates


def folded_name(first_name: str, last_name: str) -> str:
    """ "Marie-Ève  Tremblay" -> "marie eve tremblay": what the comparison sees."""
    text = unicodedata.normalize("NFKD", f"{first_name} {last_name}")
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = "".join(char if char.isalnum() else " " for char in text.casefold())
    return " ".join(text.split())


def find_duplicates(
    session: Session,
    organisation_id: int,
    first_name: str,
    last_name: str,
    birth_date: date | None,
    *,
    exclude_id: int | None = None,
) -> list[DuplicateCandidate]:
    """The organisation's files that may be this person, best score first (no audit here)."""
    query = select(Client).where(
        Client.organisation_id == organisation_id,
        Client.merged_into_id.is_(None),  # type: ignore[union-attr]
        Client.anonymised_at.is_(None),  # type: ignore[union-attr]
    )
    if birth_date is not None:
        # Only same-day or undated files can match: filtered by the database, not in Python.
        query = query.where(
            or_(Client.birth_date == birth_date, Client.birth_date.is_(None))  # type: ignore[union-attr]
        )
    wanted = folded_name(first_name, last_name)
    candidates = []
    for client in session.exec(query):
        if client.id == exclude_id:
            continue
        score = fuzz.token_sort_ratio(wanted, folded_name(client.first_name, client.last_name))
        both_dated = birth_date is not None and client.birth_date is not None
        threshold = NAME_THRESHOLD if both_dated else NAME_ONLY_THRESHOLD
        if score >= threshold:
            assert client.id is not None
            candidates.append(
                DuplicateCandidate(
                    id=client.id,
                    file_number=client.file_number,
                    first_name=client.first_name,
                    last_name=client.last_name,
                    birth_date=client.birth_date,
                    score=round(score, 1),
                )
            )
    return sorted(candidates, key=lambda candidate: (-candidate.score, candidate.file_number))


def duplicate_candidates(
    session: Session,
    actor: Actor,
    first_name: str,
    last_name: str,
    birth_date: date | None,
    *,
    organisation: str | None = None,
) -> list[DuplicateCandidate]:
    """The search the intake form runs first: candidate files of her organisation (audited)."""
    owner = organisation_for(session, actor, Permission.CLIENTS_READ, organisation)
    assert owner.id is not None
    candidates = find_duplicates(session, owner.id, first_name, last_name, birth_date)
    audit(
        session,
        actor,
        "read",
        "duplicate_search",
        organisation_id=owner.id,
        detail=f"{len(candidates)} candidate(s)",
    )
    session.commit()
    return candidates
