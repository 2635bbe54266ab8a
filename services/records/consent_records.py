"""Give, withdraw and list a client's consents (Law 25: one purpose at a time, express).

A withdrawal sets `withdrawn_on`; the row stays, so what was allowed when remains known.
A person under 14 cannot consent herself: a parent or guardian does (Act respecting the
protection of personal information in the private sector, s. 14).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from core.errors import N_, InvalidInput, NotFound
from core.models import Client, Consent
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.client_models import ConsentInput, ConsentView
from services.records.clients import writable
from services.records.scope import client_for

MINIMUM_AGE_TO_CONSENT = 14


def age_on(birth_date: date, day: date) -> int:
    """Full years of age on `day`."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def check_consent(birth_date: date | None, consent: ConsentInput, given_on: date) -> None:
    """Refuse a consent the law does not accept as given.

    Raises:
        InvalidInput: a client under 14 consenting herself; a sharing consent without the
            named resource; a consent dated before her birth.
    """
    if consent.purpose == "sharing" and not (consent.resource or "").strip():
        raise InvalidInput(N_("a sharing consent names the resource the information may go to"))
    if birth_date is None:
        return
    if given_on < birth_date:
        raise InvalidInput(N_("a consent cannot be dated before the client's birth"))
    if consent.given_by == "client" and age_on(birth_date, given_on) < MINIMUM_AGE_TO_CONSENT:
        raise InvalidInput(
            N_(
                "the client is under 14: a parent or guardian gives consent (given_by=parent or "
                "guardian; Law 25, private sector act s. 14)"
            )
        )
    if consent.given_by != "client" and not (consent.given_by_name or "").strip():
        raise InvalidInput(
            N_("name the %(given_by)s who gives consent (given_by_name)"), given_by=consent.given_by
        )


def consent_view(consent: Consent) -> ConsentView:
    """The answer for one consent row."""
    assert consent.id is not None
    return ConsentView.model_validate(consent, from_attributes=True)


def add_consent(session: Session, actor: Actor, client: Client, consent: ConsentInput) -> Consent:
    """Add a checked consent row and its audit row to the session (the caller commits)."""
    assert client.id is not None
    given_on = consent.given_on or date.today()
    check_consent(client.birth_date, consent, given_on)
    row = Consent(
        client_id=client.id,
        purpose=consent.purpose,
        resource=consent.resource,
        given_by=consent.given_by,
        given_by_name=consent.given_by_name,
        method=consent.method,
        text_version=consent.text_version,
        given_on=given_on,
        recorded_by_id=actor.user_id,
    )
    session.add(row)
    session.flush()
    audit(
        session,
        actor,
        "create",
        "consent",
        record_id=row.id,
        client=client,
        detail=f"purpose: {consent.purpose}, given by {consent.given_by}",
    )
    return row


def give_consent(
    session: Session, actor: Actor, client_id: int, consent: ConsentInput
) -> ConsentView:
    """Record a consent given for one purpose."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_WRITE)
    writable(client)
    row = add_consent(session, actor, client, consent)
    session.commit()
    session.refresh(row)
    return consent_view(row)


def withdraw_consent(
    session: Session,
    actor: Actor,
    client_id: int,
    consent_id: int,
    *,
    withdrawn_on: date | None = None,
) -> ConsentView:
    """Record the withdrawal of a consent (from `withdrawn_on`, today by default)."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_WRITE)
    consent = session.get(Consent, consent_id)
    if consent is None or consent.client_id != client.id:
        raise NotFound(f"no consent {consent_id} for client {client_id}")
    if consent.withdrawn_on is not None:
        raise InvalidInput(
            N_("consent %(consent_id)s was already withdrawn on %(withdrawn_on)s"),
            consent_id=consent_id,
            withdrawn_on=consent.withdrawn_on,
        )
    day = withdrawn_on or date.today()
    if day < consent.given_on:
        raise InvalidInput(N_("a consent cannot be withdrawn before it was given"))
    consent.withdrawn_on = day
    session.add(consent)
    audit(
        session,
        actor,
        "update",
        "consent",
        record_id=consent.id,
        client=client,
        detail=f"withdrawn: {consent.purpose}",
    )
    session.commit()
    session.refresh(consent)
    return consent_view(consent)


def list_consents(session: Session, actor: Actor, client_id: int) -> list[ConsentView]:
    """Every consent of a client, withdrawn ones included, newest first (one audit row)."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_READ)
    rows = session.exec(
        select(Consent)
        .where(Consent.client_id == client.id)
        .order_by(col(Consent.given_on).desc(), col(Consent.id).desc())
    ).all()
    audit(session, actor, "read", "consent", client=client, detail=f"{len(rows)} consent(s)")
    session.commit()
    return [consent_view(row) for row in rows]
