"""Referrals share information only under a sharing consent naming the resource."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import records_factories
from care_people import actor, audit_rows, last_audit
from sqlmodel import Session

from core.db import session_scope
from core.errors import InvalidInput, NotFound
from services.records.referrals import list_referrals, refer


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    with session_scope(db_url) as opened:
        yield opened


def test_sharing_needs_her_consent_for_that_resource_until_she_withdraws_it(
    session: Session,
) -> None:
    coordinator = actor(session, "coordinator")
    client = records_factories.make_client(session)
    session.commit()
    with pytest.raises(InvalidInput, match=r"consent missing.*'CLSC Hochelaga'"):
        refer(session, coordinator, client.id, "CLSC Hochelaga", shared_information=True)
    # Without sharing anything, a referral needs no consent.
    plain = refer(session, coordinator, client.id, "CLSC Hochelaga")
    assert plain.consent_id is None and not plain.shared_information

    other = records_factories.make_consent(session, client, "sharing", resource="Moisson Montréal")
    session.commit()
    with pytest.raises(InvalidInput, match="consent missing"):
        refer(session, coordinator, client.id, "CLSC Hochelaga", shared_information=True)
    consent = records_factories.make_consent(session, client, "sharing", resource="CLSC Hochelaga")
    session.commit()
    before = audit_rows(session)
    shared = refer(
        session, coordinator, client.id, "clsc hochelaga", reason="suivi", shared_information=True
    )
    assert shared.consent_id == consent.id != other.id
    assert audit_rows(session) == before + 1
    assert (last_audit(session).action, last_audit(session).record_type) == ("create", "referral")

    consent.withdrawn_on = date.today()
    session.add(consent)
    session.commit()
    with pytest.raises(InvalidInput, match="consent missing"):
        refer(session, coordinator, client.id, "CLSC Hochelaga", shared_information=True)
    before = audit_rows(session)
    assert [row.id for row in list_referrals(session, coordinator, client.id)] == [
        shared.id,
        plain.id,
    ]
    assert audit_rows(session) == before + 1


def test_another_organisations_client_cannot_be_referred(session: Session) -> None:
    sesame = actor(session, "coordinator", organisation="sesame")
    client = records_factories.make_client(session)
    session.commit()
    with pytest.raises(NotFound):
        refer(session, sesame, client.id, "CLSC")
    with pytest.raises(NotFound):
        list_referrals(session, sesame, client.id)
