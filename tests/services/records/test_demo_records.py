"""The demo records: accounts per role, fictitious clients in the served territories, once."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import func
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from basket.households import parse_members
from cli.demo_records import demo_records
from cli.main import app
from core.db import dispose_engines, session_scope
from core.migrate import upgrade
from core.models import (
    Attendance,
    AuditEvent,
    Client,
    Consent,
    CouponAllocation,
    CouponKind,
    Enrolment,
    GroupSession,
    Infant,
    Membership,
    NutritionAssessment,
    OrganisationActivity,
    Pregnancy,
    Region,
    ServiceEvent,
    User,
    WeightCheck,
)
from services.access.actor import Actor
from services.access.passwords import hash_password
from services.access.roles import Role
from services.access.signin import sign_in
from services.records.demo import CLIENTS, TERRITORIES, DemoRecords, seed_demo_records

TODAY = date(2026, 11, 15)
RECORD_TABLES = [
    User,
    Membership,
    Client,
    Consent,
    Enrolment,
    ServiceEvent,
    GroupSession,
    Attendance,
    Pregnancy,
    Infant,
    NutritionAssessment,
    WeightCheck,
    CouponAllocation,
    OrganisationActivity,
    AuditEvent,
]


@pytest.fixture
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """One real Argon2 hash for every demo account: hashing twelve takes seconds on CI."""
    monkeypatch.setattr("services.records.demo.hash_password", lambda _password: _one_hash())


@lru_cache(maxsize=1)
def _one_hash() -> str:
    return hash_password("the same password for all")


def seed(url: str, demo_seed: int = 2026) -> DemoRecords:
    with session_scope(url) as session:
        return seed_demo_records(session, Actor.command_line(), seed=demo_seed, today=TODAY)


def counts(session: Session) -> dict[str, int]:
    return {
        table.__name__: session.exec(select(func.count()).select_from(table)).one()
        for table in RECORD_TABLES
    }


def clients_of(url: str) -> list[tuple[str, str, str, str | None, str | None]]:
    with session_scope(url) as session:
        clients = session.exec(select(Client).order_by(Client.file_number)).all()
        return [
            (c.file_number, c.first_name, c.last_name, c.postal_code, c.household_members)
            for c in clients
        ]


def test_one_account_per_role_and_organisation_hashed_with_argon2(db_url: str) -> None:
    result = seed(db_url)

    assert len(result.new_accounts) == len(Role) * 2
    with session_scope(db_url) as session:
        users = session.exec(select(User)).all()
        memberships = session.exec(select(Membership)).all()
    assert {u.email for u in users} == {
        f"{role.value}@{org}.demo" for role in Role for org in ("alima", "sesame")
    }
    assert all(user.password_hash.startswith("$argon2id$") for user in users)
    assert {(m.role) for m in memberships} == {role.value for role in Role}
    # Each shown password signs its account in.
    account = next(a for a in result.accounts if a.email == "dietitian@alima.demo")
    assert account.password is not None and len(account.password) >= 16
    with session_scope(db_url) as session:
        token, _ = sign_in(
            session, account.email, account.password, source="test", token_days=1,
            max_failures=5, window_minutes=15,
        )  # fmt: skip
    assert token.startswith("ppne_")


@pytest.mark.usefixtures("quick_hashes")
def test_clients_are_fictitious_in_the_served_territories(db_url: str) -> None:
    seed(db_url)

    with session_scope(db_url) as session:
        clients = session.exec(select(Client)).all()
        regions = {r.id: r.code for r in session.exec(select(Region)).all()}
        intakes = session.exec(select(ServiceEvent).where(ServiceEvent.kind == "intake")).all()
    assert len(clients) == sum(CLIENTS.values())
    for client in clients:
        assert re.fullmatch(r"DEMO-[AS]-\d{3}", client.file_number)
        assert client.phone and client.phone.startswith("514-555-01")
        assert client.email is None or client.email.endswith("@example.com")
        assert client.postal_code is not None
        fsa = client.postal_code[:3]
        assert fsa in TERRITORIES
        assert regions[client.territory_id] == TERRITORIES[fsa]
        assert client.household_members is not None
        members = parse_members(client.household_members)
        assert len(members) >= 1
    assert len(intakes) == len(clients)
    assert all(event.notes and "fictif" in event.notes for event in intakes)


@pytest.mark.usefixtures("quick_hashes")
def test_files_have_consents_services_and_alima_perinatal_care(db_url: str) -> None:
    seed(db_url)

    with session_scope(db_url) as session:
        alima_ids = set(
            session.exec(
                select(Client.id).where(col(Client.file_number).startswith("DEMO-A"))
            ).all()
        )
        consents = session.exec(select(Consent)).all()
        found = counts(session)
        pregnancies = session.exec(select(Pregnancy)).all()
        assessments = session.exec(select(NutritionAssessment)).all()
        kinds = {e.kind for e in session.exec(select(ServiceEvent)).all()}
        restricted = session.exec(
            select(ServiceEvent).where(col(ServiceEvent.notes_restricted).is_(True))
        ).all()
        audits = session.exec(select(AuditEvent)).all()
    purposes = {c.purpose for c in consents}
    assert {"services", "statistics", "sharing"} <= purposes
    assert all(c.resource for c in consents if c.purpose == "sharing")
    withdrawn = [c for c in consents if c.withdrawn_on is not None]
    assert len(withdrawn) == 2  # one in each organisation
    assert {"intake", "individual_consultation", "phone_follow_up", "group_attendance"} <= kinds
    assert restricted and all(e.client_id in alima_ids for e in restricted)
    assert {p.client_id for p in pregnancies} == alima_ids
    assert found["Infant"] > 0 and found["WeightCheck"] > 0 and assessments
    assert all(a.client_id in alima_ids for a in assessments)
    assert found["GroupSession"] == 5 and found["Attendance"] > 0
    assert found["OrganisationActivity"] == 5
    # No coupon kinds in this database: no allocation.
    assert found["CouponAllocation"] == 0
    # One audit row per client created, by the operator at the command line; Le Sésame's
    # operations (services/records/demo_sesame.py) went through audited use cases too.
    created = [a for a in audits if a.record_type == "client"]
    assert len(created) == found["Client"]
    assert {(a.action, a.user_id) for a in created} == {("create", None)}
    assert all(a.source.startswith("cli:") and a.user_id is None for a in audits)


@pytest.mark.usefixtures("quick_hashes")
def test_a_second_run_adds_nothing(db_url: str) -> None:
    seed(db_url)
    with session_scope(db_url) as session:
        before = counts(session)

    again = seed(db_url)

    with session_scope(db_url) as session:
        assert counts(session) == before
    assert again.new_accounts == []
    assert again.clients_added == {"alima": 0, "sesame": 0}
    assert len(again.accounts) == len(Role) * 2


@pytest.mark.usefixtures("quick_hashes")
def test_alima_clients_get_allocations_when_coupon_kinds_exist(db_url: str) -> None:
    with session_scope(db_url) as session:
        session.add(CouponKind(code="milk", name_fr="Lait", name_en="Milk"))
        session.add(CouponKind(code="tofu", name_fr="Tofu", name_en="Tofu", phase="postnatal"))
        session.commit()

    result = seed(db_url)

    with session_scope(db_url) as session:
        allocations = session.exec(select(CouponAllocation)).all()
        alima_ids = set(
            session.exec(
                select(Client.id).where(col(Client.file_number).startswith("DEMO-A"))
            ).all()
        )
    assert result.coupon_allocations == len(allocations) == CLIENTS["alima"]
    assert {a.client_id for a in allocations} == alima_ids
    assert all(1 <= a.per_week <= 3 for a in allocations)


@pytest.mark.slow
@pytest.mark.usefixtures("quick_hashes")
def test_the_same_seed_gives_the_same_clients(db_url: str, tmp_path: Path) -> None:
    other = f"sqlite:///{tmp_path / 'other.db'}"
    upgrade(other)
    seed(db_url)
    seed(other)
    assert clients_of(db_url) == clients_of(other)

    third = f"sqlite:///{tmp_path / 'third.db'}"
    upgrade(third)
    seed(third, demo_seed=7)
    assert [c[1:3] for c in clients_of(third)] != [c[1:3] for c in clients_of(db_url)]
    dispose_engines()


def test_the_command_prints_passwords_once(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    demo_records(TODAY)
    first = capsys.readouterr().out
    demo_records(TODAY)
    second = " ".join(capsys.readouterr().out.split())  # rich wraps at 80 columns

    rows = [line for line in first.splitlines() if ".demo" in line]
    assert len(rows) == len(Role) * 2
    password = rows[0].split("│")[3].strip()
    assert len(password) == 22
    assert "36 alima, 30 sesame" in first
    assert "exist already" in second and "shown when they were created" in second
    assert password not in second
    with session_scope(db_url) as session:
        hashes = [u.password_hash for u in session.exec(select(User)).all()]
    assert all(password not in value for value in hashes)


@pytest.mark.usefixtures("quick_hashes")
def test_ppne_demo_adds_the_records_before_the_crawl(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    crawls: list[list[str]] = []

    def failed_crawl(command: list[str], **_: object) -> subprocess.CompletedProcess[str]:
        crawls.append(command)
        return subprocess.CompletedProcess(command, 1)

    monkeypatch.setattr("cli.main.subprocess.run", failed_crawl)

    result = CliRunner().invoke(app, ["demo", "--no-serve", "--months", "1"])

    assert crawls and "the demo crawl failed" in str(result.exception)
    assert "dietitian@alima.demo" in result.output
    with session_scope(db_url) as session:
        assert session.exec(select(func.count()).select_from(Client)).one() == sum(CLIENTS.values())


@pytest.mark.usefixtures("quick_hashes")
def test_a_narrow_terminal_never_cuts_a_password(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = io.StringIO()
    monkeypatch.setattr("cli.demo_records.console", Console(file=screen, width=36))
    shown: list[str] = []

    def numbered_password() -> str:
        shown.append(f"pw{len(shown):02d}-{'x' * 17}")
        return shown[-1]

    monkeypatch.setattr("services.records.demo.new_password", numbered_password)

    demo_records(TODAY)

    assert len(shown) == len(Role) * 2
    assert all(password in screen.getvalue() for password in shown)


def test_the_demo_files_its_postal_codes_as_the_shipped_mapping_does(db_url: str) -> None:
    from core.db import session_scope
    from core.models import Region
    from services.records.demo import TERRITORIES
    from services.records.territories import ensure_postal_territories, territory_for_postal_code

    with session_scope(db_url) as session:
        ensure_postal_territories(session)
        for fsa, region_code in TERRITORIES.items():
            region = territory_for_postal_code(session, f"{fsa} 1A1")
            assert isinstance(region, Region) and region.code == region_code, fsa
