"""Client files in the service layer: territory, intake, duplicates, consents, finances, audit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
import records_factories
from sqlmodel import Session, func, select

from core.db import session_scope
from core.errors import InvalidInput, NotFound
from core.models import AuditEvent, Consent, PostalTerritory
from services.access.actor import Actor, Grant
from services.access.roles import Role
from services.records.client_models import (
    ClientChanges,
    ClientFields,
    ConsentInput,
    StatusChange,
)
from services.records.clients import change_status, read_client, search_clients, update_client
from services.records.consent_records import give_consent, list_consents, withdraw_consent
from services.records.consents import active_consent
from services.records.duplicates import DuplicateSuspected, duplicate_candidates
from services.records.intake import open_client
from services.records.territories import (
    ensure_postal_territories,
    normalise_postal_code,
    territory_for_postal_code,
)


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    with session_scope(db_url) as session:
        ensure_postal_territories(session)
        records_factories.organisation(session)
        session.commit()
        yield session


def actor(session: Session, role: Role = Role.COORDINATOR, org: str = "alima") -> Actor:
    owner = records_factories.organisation(session, org)
    assert owner.id is not None
    return Actor(None, f"{role.value}@{org}.example", (Grant(owner.id, role),), "test")


def audit_rows(session: Session) -> int:
    return session.exec(select(func.count()).select_from(AuditEvent)).one()


MARIE = ClientFields(first_name="Marie-Ève", last_name="Tremblay", birth_date=date(1994, 3, 2))
SERVICES = ConsentInput(purpose="services", text_version="2026-01", given_on=date(2026, 1, 5))


def test_postal_codes_are_normalised_and_give_their_territory(session: Session) -> None:
    assert normalise_postal_code(" h1l 2a3 ") == "H1L 2A3"
    assert normalise_postal_code("h1l2a3") == "H1L 2A3"
    for wrong in ("12345", "H1L 2A", "D1L 2A3", "H1L-2A3x", ""):
        with pytest.raises(InvalidInput, match="Canadian postal code"):
            normalise_postal_code(wrong)
    expected = {
        "h1l 2a3": "mercier-est",
        "H1B 1A1": "montreal-est",
        "H1E 1A1": "riviere-des-prairies",
        "H1A 1A1": "pointe-aux-trembles",
        "H8S 1A1": "lachine",
        "H2X 1Y4": "montreal",
        "H7N 1A1": "montreal-cma",
    }
    for code, region in expected.items():
        found = territory_for_postal_code(session, code)
        assert found is not None and found.code == region, code
    assert territory_for_postal_code(session, "K1A 0B1") is None  # Ottawa: not in the table


def test_loading_the_territories_twice_changes_nothing(session: Session) -> None:
    count = session.exec(select(func.count()).select_from(PostalTerritory)).one()
    assert count > 100
    assert ensure_postal_territories(session) == 0
    assert session.exec(select(func.count()).select_from(PostalTerritory)).one() == count


def test_intake_opens_a_numbered_file_with_its_territory_and_audits_each_consent(
    session: Session,
) -> None:
    coordinator = actor(session)
    before = audit_rows(session)
    fields = MARIE.model_copy(update={"postal_code": "h1n 1a1"})
    file = open_client(session, coordinator, None, fields, consents=[SERVICES])
    year = date.today().year
    assert (file.file_number, file.territory, file.postal_code) == (
        f"A-{year}-0001",
        "mercier-est",
        "H1N 1A1",
    )
    assert audit_rows(session) == before + 2  # the file and its one consent
    assert active_consent(session, file.id, "services", on=date(2026, 2, 1)) is not None
    other = ClientFields(first_name="Awa", last_name="Diallo", birth_date=date(2000, 1, 1))
    assert open_client(session, coordinator, "alima", other).file_number == f"A-{year}-0002"
    sesame = actor(session, org="sesame")
    assert open_client(session, sesame, None, other).file_number == f"S-{year}-0001"


def test_the_duplicate_check_finds_the_same_woman_spelled_otherwise(session: Session) -> None:
    coordinator = actor(session)
    first = open_client(session, coordinator, None, MARIE)
    again = ClientFields(first_name="Marie Eve", last_name="TREMBLAY", birth_date=date(1994, 3, 2))
    before = audit_rows(session)
    with pytest.raises(DuplicateSuspected) as raised:
        open_client(session, coordinator, None, again)
    (candidate,) = raised.value.candidates
    assert (candidate.id, candidate.file_number, candidate.score) == (
        first.id,
        first.file_number,
        100.0,
    )
    assert audit_rows(session) == before + 1  # the search, and no file
    forced = open_client(session, coordinator, None, again, force=True)
    assert forced.id != first.id
    # Another birth date is another woman; a missing one needs an almost equal name.
    other_day = again.model_copy(update={"birth_date": date(1994, 3, 3)})
    assert (
        duplicate_candidates(session, coordinator, "Marie Eve", "Tremblay", other_day.birth_date)
        == []
    )
    assert len(duplicate_candidates(session, coordinator, "Marie-Eve", "Tremblay", None)) == 2
    assert duplicate_candidates(session, coordinator, "Marie", "Tremblay", None) == []
    # Le Sésame never sees Alima's files, nor are they its duplicates.
    sesame = actor(session, org="sesame")
    assert open_client(session, sesame, None, again).file_number.startswith("S-")


def test_a_withdrawn_consent_is_kept_and_no_longer_in_force(session: Session) -> None:
    coordinator = actor(session)
    file = open_client(session, coordinator, None, MARIE, consents=[SERVICES])
    (consent,) = list_consents(session, coordinator, file.id)
    withdrawn = withdraw_consent(
        session, coordinator, file.id, consent.id, withdrawn_on=date(2026, 3, 1)
    )
    assert withdrawn.withdrawn_on == date(2026, 3, 1)
    assert active_consent(session, file.id, "services", on=date(2026, 3, 2)) is None
    assert active_consent(session, file.id, "services", on=date(2026, 2, 1)) is not None
    assert session.get(Consent, consent.id) is not None
    with pytest.raises(InvalidInput, match="already withdrawn"):
        withdraw_consent(session, coordinator, file.id, consent.id)


def test_a_client_under_14_does_not_consent_herself(session: Session) -> None:
    coordinator = actor(session)
    child = ClientFields(first_name="Léa", last_name="Roy", birth_date=date(2013, 6, 1))
    with pytest.raises(InvalidInput, match="under 14"):
        open_client(session, coordinator, None, child, consents=[SERVICES])
    assert search_clients(session, coordinator).total == 0  # nothing was opened
    file = open_client(session, coordinator, None, child)
    with pytest.raises(InvalidInput, match="under 14"):
        give_consent(session, coordinator, file.id, SERVICES)
    by_parent = SERVICES.model_copy(update={"given_by": "parent", "given_by_name": "Anne Roy"})
    assert give_consent(session, coordinator, file.id, by_parent).given_by == "parent"
    # At 14 she consents herself.
    later = SERVICES.model_copy(update={"given_on": date(2027, 6, 1)})
    assert give_consent(session, coordinator, file.id, later).given_by == "client"


def test_finances_are_shown_only_with_finances_read(session: Session) -> None:
    coordinator = actor(session)
    fields = MARIE.model_copy(
        update={"monthly_income": Decimal("1850.00"), "monthly_rent": Decimal("925.50")}
    )
    file = open_client(session, coordinator, None, fields)
    assert (file.monthly_income, file.finances_restricted) == (None, True)
    seen = read_client(session, actor(session, Role.DIETITIAN), file.id)
    assert (str(seen.monthly_income), str(seen.monthly_rent)) == ("1850.00", "925.50")
    assert seen.finances_restricted is False


def test_update_and_status_each_leave_one_audit_row_naming_fields_not_values(
    session: Session,
) -> None:
    coordinator = actor(session)
    file = open_client(session, coordinator, None, MARIE)
    before = audit_rows(session)
    changed = update_client(
        session, coordinator, file.id, ClientChanges(phone="514-555-0101", postal_code="H1A1A1")
    )
    assert changed.territory == "pointe-aux-trembles"
    row = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()  # type: ignore[union-attr]
    assert row is not None and row.detail == "fields: phone, postal_code"
    assert "514" not in (row.detail or "")
    with pytest.raises(InvalidInput, match="say why"):
        change_status(session, coordinator, file.id, StatusChange(status="closed"))
    closed = change_status(
        session, coordinator, file.id, StatusChange(status="closed", reason="moved")
    )
    assert (closed.status, closed.closed_on) == ("closed", date.today())
    assert audit_rows(session) == before + 2
    read_client(session, coordinator, file.id)
    assert audit_rows(session) == before + 3


def test_another_organisation_reads_nothing(session: Session) -> None:
    file = open_client(session, actor(session), None, MARIE)
    with pytest.raises(NotFound):
        read_client(session, actor(session, org="sesame"), file.id)


def test_the_list_filters_by_name_number_and_status_a_page_at_a_time(session: Session) -> None:
    coordinator = actor(session)
    for number in range(5):
        fields = ClientFields(first_name="Awa", last_name=f"Diallo{number}")
        open_client(session, coordinator, None, fields, force=True)
    first = open_client(session, coordinator, None, MARIE)
    before = audit_rows(session)
    page = search_clients(session, coordinator, text="diallo", per_page=2, page=2)
    assert (page.total, [item.last_name for item in page.items]) == (5, ["Diallo2", "Diallo3"])
    assert audit_rows(session) == before + 1
    found = search_clients(session, coordinator, text=first.file_number)
    assert [item.id for item in found.items] == [first.id]
    assert search_clients(session, coordinator, status="closed").total == 0
    accents = search_clients(session, coordinator, text="eve TREMB")
    assert [item.first_name for item in accents.items] == ["Marie-Ève"]
