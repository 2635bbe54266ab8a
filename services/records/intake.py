"""Opening a client file: the duplicate check first, then the file, its number and consents.

File numbers are per organisation: the slug's first letter, the year, a sequence
("A-2026-0001" for Alima, "S-2026-0001" for Le Sésame). The (organisation, file number)
unique constraint refuses a number two intakes computed at the same moment; the second
request fails and can simply be sent again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from core.models import Client, Organisation
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.client_models import ClientFields, ClientView, ConsentInput
from services.records.clients import client_view, territory_id_for
from services.records.consent_records import add_consent, check_consent
from services.records.duplicates import DuplicateSuspected, find_duplicates
from services.records.scope import organisation_for


def next_file_number(session: Session, organisation: Organisation, year: int) -> str:
    """The organisation's next file number for `year`, e.g. "A-2026-0007"."""
    prefix = f"{organisation.slug[:1].upper()}-{year}-"
    numbers = session.exec(
        select(Client.file_number).where(
            Client.organisation_id == organisation.id,
            col(Client.file_number).startswith(prefix),
        )
    ).all()
    used = [int(number[len(prefix) :]) for number in numbers if number[len(prefix) :].isdigit()]
    return f"{prefix}{max(used, default=0) + 1:04d}"


def open_client(
    session: Session,
    actor: Actor,
    organisation: str | None,
    fields: ClientFields,
    *,
    consents: Sequence[ConsentInput] = (),
    force: bool = False,
) -> ClientView:
    """Open a file after a duplicate check across the organisation.

    The territory comes from the postal code. Audited: one "create" row for the file and one
    per consent.

    Raises:
        DuplicateSuspected: files that may be the same person, unless `force` (the search is
            audited as a read of those files).
        InvalidInput: a malformed postal code, or a consent the law does not accept.
    """
    owner = organisation_for(session, actor, Permission.CLIENTS_WRITE, organisation)
    assert owner.id is not None
    today = date.today()
    # Check every consent before anything is written, so a refused one opens no file.
    for consent in consents:
        check_consent(fields.birth_date, consent, consent.given_on or today)
    postal_code, territory_id = territory_id_for(session, fields.postal_code)
    candidates = find_duplicates(
        session, owner.id, fields.first_name, fields.last_name, fields.birth_date
    )
    if candidates and not force:
        audit(
            session,
            actor,
            "read",
            "duplicate_search",
            organisation_id=owner.id,
            detail=f"intake stopped: {len(candidates)} candidate(s)",
        )
        session.commit()
        raise DuplicateSuspected(candidates)
    client = Client(
        **fields.model_dump(exclude={"postal_code"}),
        organisation_id=owner.id,
        file_number=next_file_number(session, owner, today.year),
        postal_code=postal_code,
        territory_id=territory_id,
    )
    session.add(client)
    session.flush()
    detail = f"intake past {len(candidates)} candidate(s)" if candidates else "intake"
    audit(session, actor, "create", "client", record_id=client.id, client=client, detail=detail)
    for consent in consents:
        add_consent(session, actor, client, consent)
    session.commit()
    session.refresh(client)
    return client_view(session, actor, client)
