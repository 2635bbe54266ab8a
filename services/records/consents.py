"""Whether a client's consent covers a purpose today: the one rule every use case asks."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, or_, select

from core.models import Consent

PURPOSES = ("services", "sharing", "statistics", "reminders")


def active_consent(
    session: Session,
    client_id: int,
    purpose: str,
    *,
    resource: str | None = None,
    on: date | None = None,
) -> Consent | None:
    """The consent in force for `purpose` on a day (today by default), or None.

    Sharing is consent to share with one named resource: `resource` must match it
    (case-insensitively); the other purposes ignore it.
    """
    on = on or date.today()
    rows = session.exec(
        select(Consent).where(
            Consent.client_id == client_id,
            Consent.purpose == purpose,
            Consent.given_on <= on,
            or_(Consent.withdrawn_on.is_(None), Consent.withdrawn_on > on),  # type: ignore[union-attr]
        )
    ).all()
    for consent in rows:
        if purpose != "sharing":
            return consent
        if resource and consent.resource and consent.resource.casefold() == resource.casefold():
            return consent
    return None
