"""Demo records: the two organisations, one account per role, and fictitious clients.

`ppne demo` runs this after the database upgrade. Everything is generated from the seed
(Faker fr_CA and a `random.Random`), except the passwords, drawn with `secrets` and returned
once for the command line to print: only their Argon2 hashes are stored. Running it again adds
nothing: accounts are looked up by email, clients by their "DEMO-" file numbers, activities by
title.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import date

from faker import Faker
from sqlmodel import Session, col, select

from core.models import (
    Client,
    CouponKind,
    Membership,
    Organisation,
    OrganisationActivity,
    Program,
    Region,
    User,
)
from core.regions import ensure_regions
from services.access.actor import Actor
from services.access.organisations import ensure_organisations, organisation_by_slug
from services.access.passwords import hash_password
from services.access.roles import Role
from services.records.audit import audit
from services.records.demo_context import DemoContext
from services.records.demo_people import add_group_sessions, add_person
from services.records.demo_sesame import seed_sesame_operations

DOMAIN = "demo"
FILE_PREFIX = "DEMO-"
# How many fictitious clients each organisation gets.
CLIENTS = {"alima": 36, "sesame": 30}
# The served territories: forward sortation area -> region code, as
# core/data/records/postal_territories.csv files them (a test holds the two together).
TERRITORIES = {
    "H1L": "mercier-est",
    "H1N": "mercier-est",
    "H1B": "montreal-est",
    "H1C": "riviere-des-prairies",
    "H1E": "riviere-des-prairies",
    "H1A": "pointe-aux-trembles",
    "H8S": "lachine",
    "H8T": "lachine",
}
ACTIVITIES = {
    "alima": [
        ("training", "Formation : la méthode Higgins pour les intervenantes (démo)", 18,
         "intervenantes de CLSC"),
        ("publication", "Coût du panier PPNE, édition de démonstration", None, None),
        ("webinar", "Webinaire : manger sainement pendant la grossesse (démo)", 64, "grand public"),
    ],
    "sesame": [
        ("committee", "Table de concertation en sécurité alimentaire de Mercier-Est (démo)", 12,
         "organismes du quartier"),
        ("media", "Reportage sur la popote roulante dans le journal local (démo)", None, None),
    ],
}  # fmt: skip


@dataclass(frozen=True)
class DemoAccount:
    """A demo account; `password` is given in clear only on the run that created it."""

    email: str
    organisation: str
    role: str
    password: str | None


@dataclass
class DemoRecords:
    """What a run added: accounts (new ones carry their password), clients and activities."""

    accounts: list[DemoAccount] = field(default_factory=list)
    clients_added: dict[str, int] = field(default_factory=dict)
    activities_added: int = 0
    coupon_allocations: int = 0
    operations: dict[str, int] = field(default_factory=dict)  # Le Sésame's, what was added

    @property
    def new_accounts(self) -> list[DemoAccount]:
        """The accounts created by this run (the only ones whose password is known)."""
        return [account for account in self.accounts if account.password is not None]


def demo_email(role: Role | str, organisation: str) -> str:
    """The email of a demo account, e.g. dietitian@alima.demo."""
    return f"{Role(role).value}@{organisation}.{DOMAIN}"


def new_password() -> str:
    """A random password of 22 URL-safe characters (about 128 bits)."""
    return secrets.token_urlsafe(16)


def _ensure_account(session: Session, owner: Organisation, role: Role) -> DemoAccount:
    email = demo_email(role, owner.slug)
    user = session.exec(select(User).where(User.email == email)).first()
    if user is not None:
        return DemoAccount(email, owner.slug, role.value, None)
    password = new_password()
    label = role.value.replace("_", " ").capitalize()
    user = User(
        email=email,
        display_name=f"{label} ({owner.slug}, démo)",
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    assert user.id is not None and owner.id is not None
    session.add(Membership(user_id=user.id, organisation_id=owner.id, role=role.value))
    return DemoAccount(email, owner.slug, role.value, password)


def _territories(session: Session) -> dict[str, int]:
    regions = session.exec(
        select(Region).where(col(Region.code).in_(set(TERRITORIES.values())))
    ).all()
    by_code = {region.code: region.id for region in regions if region.id is not None}
    return {fsa: by_code[code] for fsa, code in TERRITORIES.items() if code in by_code}


def _has_demo_clients(session: Session, owner: Organisation) -> bool:
    return (
        session.exec(
            select(Client.id).where(
                Client.organisation_id == owner.id,
                col(Client.file_number).startswith(FILE_PREFIX),
            )
        ).first()
        is not None
    )


def _staff(session: Session, owner: Organisation) -> dict[str, int]:
    rows = session.exec(
        select(Membership.role, User.id)
        .join(User, col(User.id) == Membership.user_id)
        .where(Membership.organisation_id == owner.id, col(User.email).endswith(f".{DOMAIN}"))
    ).all()
    return {role: user_id for role, user_id in rows if user_id is not None}


def _programs(session: Session, owner: Organisation) -> dict[str, Program]:
    programs = session.exec(select(Program).where(Program.organisation_id == owner.id)).all()
    return {program.code: program for program in programs}


def _add_clients(
    session: Session, actor: Actor, owner: Organisation, context: DemoContext, count: int
) -> int:
    for number in range(1, count + 1):
        client = add_person(session, context, number)
        audit(
            session,
            actor,
            "create",
            "client",
            record_id=client.id,
            client=client,
            detail="fictitious demo client (ppne demo)",
        )
    add_group_sessions(session, context)
    return count


def _add_activities(session: Session, owner: Organisation, today: date) -> int:
    added = 0
    for offset, (kind, title, participants, profile) in enumerate(ACTIVITIES[owner.slug]):
        exists = session.exec(
            select(OrganisationActivity.id).where(
                OrganisationActivity.organisation_id == owner.id,
                OrganisationActivity.title == title,
            )
        ).first()
        if exists is not None:
            continue
        assert owner.id is not None
        session.add(
            OrganisationActivity(
                organisation_id=owner.id,
                kind=kind,
                title=title,
                held_on=date.fromordinal(today.toordinal() - 20 - 35 * offset),
                participants=participants,
                participant_profile=profile,
                notes="Activité fictive de démonstration",
            )
        )
        added += 1
    return added


def seed_demo_records(
    session: Session, actor: Actor, *, seed: int, today: date | None = None
) -> DemoRecords:
    """Add the demo organisations, accounts, clients and activities that are missing, and Le
    Sésame's operations (services/records/demo_sesame.py) unless they exist; commit.

    Deterministic for a seed and a day (dates are counted back from `today`). The passwords of
    the accounts created are in the answer, and nowhere else.
    """
    today = today or date.today()
    ensure_regions(session)
    ensure_organisations(session)
    territories = _territories(session)
    coupon_kinds = list(
        session.exec(select(CouponKind).where(CouponKind.phase == "prenatal")).all()
    )
    result = DemoRecords()
    for offset, slug in enumerate(CLIENTS):
        owner = organisation_by_slug(session, slug)
        for role in Role:
            result.accounts.append(_ensure_account(session, owner, role))
        session.flush()
        result.activities_added += _add_activities(session, owner, today)
        if _has_demo_clients(session, owner):
            result.clients_added[slug] = 0
            continue
        fake = Faker("fr_CA")
        fake.seed_instance(seed + offset)
        context = DemoContext(
            organisation=owner,
            programs=_programs(session, owner),
            staff=_staff(session, owner),
            territories=territories,
            coupon_kinds=coupon_kinds if slug == "alima" else [],
            fake=fake,
            rng=random.Random(seed * 10 + offset),
            today=today,
        )
        result.clients_added[slug] = _add_clients(session, actor, owner, context, CLIENTS[slug])
        result.coupon_allocations += context.coupon_allocations
    session.commit()
    operations = seed_sesame_operations(session, actor, seed=seed, today=today)
    result.operations = operations.added
    return result
