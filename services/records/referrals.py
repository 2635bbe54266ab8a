"""Referrals of a client to complementary resources, sharing her information only with consent.

Law 25: information goes to another organisation only with her consent for that purpose and
that resource. A referral that shares information needs a "sharing" consent in force naming
the resource on the day of the referral; the consent it relied on is recorded with it.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlmodel import Session, select

from core.errors import N_, InvalidInput
from core.models import Referral
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.consents import active_consent
from services.records.scope import client_for


class ReferralAnswer(BaseModel):
    """A referral and the consent it shared information under, if any."""

    id: int
    client_id: int
    resource: str
    reason: str | None
    referred_on: date
    shared_information: bool
    consent_id: int | None
    staff_id: int | None


def referral_answer(referral: Referral) -> ReferralAnswer:
    """The answer for one referral."""
    assert referral.id is not None
    return ReferralAnswer(
        id=referral.id,
        client_id=referral.client_id,
        resource=referral.resource,
        reason=referral.reason,
        referred_on=referral.referred_on,
        shared_information=referral.shared_information,
        consent_id=referral.consent_id,
        staff_id=referral.staff_id,
    )


def refer(
    session: Session,
    actor: Actor,
    client_id: int,
    resource: str,
    *,
    reason: str | None = None,
    referred_on: date | None = None,
    shared_information: bool = False,
) -> ReferralAnswer:
    """Refer a client to a resource (today unless told).

    Raises:
        InvalidInput: information is to be shared and no sharing consent naming this
            resource is in force that day (none given, or withdrawn).
    """
    client = client_for(session, actor, client_id, Permission.SERVICES_WRITE)
    resource = resource.strip()
    if not resource:
        raise InvalidInput(N_("name the resource she is referred to"))
    referred_on = referred_on or date.today()
    consent_id = None
    if shared_information:
        consent = active_consent(session, client_id, "sharing", resource=resource, on=referred_on)
        if consent is None:
            raise InvalidInput(
                N_(
                    "consent missing: she has no sharing consent in force for %(resource)r on "
                    "%(referred_on)s; record her consent first, or refer without sharing "
                    "information"
                ),
                resource=resource,
                referred_on=referred_on.isoformat(),
            )
        consent_id = consent.id
    referral = Referral(
        client_id=client_id,
        resource=resource,
        reason=reason,
        referred_on=referred_on,
        shared_information=shared_information,
        consent_id=consent_id,
        staff_id=actor.user_id,
    )
    session.add(referral)
    session.flush()
    audit(
        session,
        actor,
        "create",
        "referral",
        record_id=referral.id,
        client=client,
        detail=f"{resource}{' (shared)' if shared_information else ''}",
    )
    session.commit()
    return referral_answer(referral)


def list_referrals(session: Session, actor: Actor, client_id: int) -> list[ReferralAnswer]:
    """A client's referrals, latest first."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_READ)
    rows = session.exec(
        select(Referral)
        .where(Referral.client_id == client_id)
        .order_by(Referral.referred_on.desc(), Referral.id.desc())  # type: ignore[attr-defined,union-attr]
    ).all()
    audit(session, actor, "read", "referral_list", client=client, detail=f"{len(rows)} referrals")
    session.commit()
    return [referral_answer(row) for row in rows]
