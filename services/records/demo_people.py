"""One fictitious client and her file, and the group sessions, for the demo records.

Everything is drawn from the context's seeded Faker and `random.Random`, in a fixed order, so a
seed and a day give the same files. File numbers start with "DEMO-", phone numbers are in the
555-01xx range kept for fiction, emails at example.com, and every intake note says the file is
fictitious.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from core.models import (
    Attendance,
    Client,
    ClientContact,
    ClientPause,
    Consent,
    Enrolment,
    GroupSession,
    Referral,
)
from services.records.demo_alima import add_alima_file
from services.records.demo_context import SESAME_FSAS, DemoContext, add_event, row_id

FICTITIOUS = "Dossier fictif généré pour la démonstration (ppne demo)."
TEXT_VERSION = "demo-2026"
SOURCES = ["CLSC", "Bouche-à-oreille", "Médecin de famille", "Site web", "Organisme du quartier"]
SHARING = {"alima": "CLSC de Mercier-Est", "sesame": "Moisson Montréal"}
WORKSHOPS = {
    "alima": (
        "workshops",
        [
            "Atelier : allaitement",
            "Atelier : premiers aliments de bébé",
            "Atelier : cuisiner à petit budget",
        ],
    ),
    "sesame": (
        "collective_kitchens",
        ["Cuisine collective : soupes", "Cuisine collective : lunchs"],
    ),
}


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(char for char in folded.lower() if char.isalnum())


def _postal_code(context: DemoContext, fsas: list[str]) -> tuple[str, int | None]:
    rng = context.rng
    fsa = rng.choice(fsas)
    letter = rng.choice("ABCEGHJKLMNPRSTVXY")
    return f"{fsa} {rng.randint(0, 9)}{letter}{rng.randint(0, 9)}", context.territories.get(fsa)


def _household(rng: random.Random, first: str, senior: bool) -> str:
    # The client is member 1. `--members` has no pregnancy mark: basket/households.py takes
    # pregnant members by number (`--pregnant 1`), and her Pregnancy row says whether she is.
    members = [first]
    if rng.random() < (0.4 if senior else 0.65):
        sex = "M" if first.startswith("F") else "F"
        age = int(first.split(":")[1]) + rng.randint(-3, 6)
        members.append(f"{sex}:{max(age, 18)}")
    if not senior:
        members += [f"{rng.choice('FM')}:{rng.randint(1, 12)}" for _ in range(rng.randint(0, 2))]
    return ",".join(members)


def _client(session: Session, context: DemoContext, number: int, senior: bool) -> Client:
    fake, rng, slug = context.fake, context.rng, context.organisation.slug
    woman = slug == "alima" or rng.random() < 0.6
    first = fake.first_name_female() if woman else fake.first_name_male()
    last = fake.last_name()
    age = rng.randint(65, 92) if senior else rng.randint(18, 42 if slug == "alima" else 60)
    fsas = list(context.territories) or ["H1L"]
    if slug == "sesame":  # Le Sésame serves its four territories only
        fsas = [fsa for fsa in SESAME_FSAS if fsa in context.territories] or fsas
    if slug == "sesame" and rng.random() < 0.6:
        fsas = [fsa for fsa in ("H1L", "H1N") if fsa in context.territories] or fsas
    postal_code, territory = _postal_code(context, fsas)
    shares_income = rng.random() < 0.5
    client = Client(
        organisation_id=row_id(context.organisation),
        file_number=f"DEMO-{slug[0].upper()}-{number:03d}",
        first_name=first,
        last_name=last,
        birth_date=context.days_ago(age * 365 + rng.randint(0, 364)),
        language="en" if rng.random() < 0.15 else "fr",
        phone=f"514-555-01{rng.randint(0, 99):02d}",
        email=f"{_ascii(first)}.{_ascii(last)}@example.com" if rng.random() < 0.6 else None,
        address=f"{fake.street_address()}, Montréal",
        postal_code=postal_code,
        territory_id=territory,
        household_members=_household(rng, f"{'F' if woman else 'M'}:{age}", senior),
        monthly_income=Decimal(rng.randrange(900, 3200, 50)) if shares_income else None,
        monthly_rent=Decimal(rng.randrange(450, 1300, 25)) if shares_income else None,
        referral_source=rng.choice(SOURCES),
    )
    session.add(client)
    session.flush()
    return client


def _consents(
    session: Session, context: DemoContext, client: Client, number: int, on: date
) -> None:
    rng, slug = context.rng, context.organisation.slug
    recorder = context.staff.get("coordinator")

    def consent(purpose: str, **values: Any) -> Consent:
        row = Consent(
            client_id=row_id(client),
            purpose=purpose,
            text_version=TEXT_VERSION,
            given_on=on,
            recorded_by_id=recorder,
            **values,
        )
        session.add(row)
        return row

    consent("services")
    if number == 2 or rng.random() < 0.85:
        # One withdrawn consent in each organisation, to show a withdrawal.
        withdrawn = on + timedelta(days=30) if number == 2 else None
        consent(
            "statistics",
            withdrawn_on=withdrawn if withdrawn and withdrawn < context.today else None,
        )
    if rng.random() < 0.2:
        sharing = consent("sharing", resource=SHARING[slug])
        session.flush()
        session.add(
            Referral(
                client_id=row_id(client),
                resource=SHARING[slug],
                reason="Orientation vers une ressource complémentaire (démo)",
                referred_on=on + timedelta(days=rng.randint(7, 20)),
                shared_information=True,
                consent_id=sharing.id,
                staff_id=recorder,
            )
        )
    if rng.random() < 0.4:
        consent("reminders", method="verbal")


def _sesame_file(
    session: Session, context: DemoContext, client: Client, intake: date, senior: bool
) -> None:
    rng, coordinator = context.rng, context.staff.get("coordinator")
    program = "meals_on_wheels" if senior else rng.choice(["produce_boxes", "food_aid"])
    session.add(
        Enrolment(
            client_id=row_id(client), program_id=context.program_id(program), starts_on=intake
        )
    )
    if senior:
        add_event(
            session,
            context,
            client,
            program,
            "home_visit",
            intake + timedelta(days=3),
            duration_minutes=40,
            staff_id=coordinator,
            mode="home",
        )
        session.add(
            ClientContact(
                client_id=row_id(client),
                kind="emergency",
                name=context.fake.name(),
                phone=f"514-555-01{rng.randint(0, 99):02d}",
                relation=rng.choice(["fille", "fils", "voisine", "neveu"]),
            )
        )
    day = intake + timedelta(days=30)
    while day < context.today:
        kind = "phone_follow_up" if senior else "distribution"
        add_event(
            session,
            context,
            client,
            program,
            kind,
            day,
            duration_minutes=10,
            staff_id=coordinator,
            mode="phone" if senior else "in_person",
        )
        day += timedelta(days=30)


def add_person(session: Session, context: DemoContext, number: int) -> Client:
    """Add one fictitious client with her consents, enrolments, services and, at Alima, her
    pregnancy, baby, assessment, weights and coupon allocations; return her."""
    slug = context.organisation.slug
    senior = slug == "sesame" and context.rng.random() < 0.55
    client = _client(session, context, number, senior)
    intake = context.days_ago(context.rng.randint(20, 240))
    first_program = "prenatal" if slug == "alima" else ("meals_on_wheels" if senior else "food_aid")
    add_event(
        session,
        context,
        client,
        first_program,
        "intake",
        intake,
        duration_minutes=60,
        staff_id=context.staff.get("coordinator"),
        notes=FICTITIOUS,
    )
    _consents(session, context, client, number, intake)
    if slug == "alima":
        add_alima_file(session, context, client, intake)
    else:
        _sesame_file(session, context, client, intake, senior)
        if senior and number % 7 == 3:
            session.add(
                ClientPause(
                    client_id=row_id(client),
                    starts_on=context.days_ago(10),
                    ends_on=context.days_ago(-10),
                    reason="séjour à l'hôpital",
                )
            )
    context.clients.append((client, intake))
    return client


def add_group_sessions(session: Session, context: DemoContext) -> None:
    """Add the organisation's workshops of the last months, with who registered and came."""
    rng = context.rng
    code, titles = WORKSHOPS[context.organisation.slug]
    enrolled: set[int] = set()
    for index, title in enumerate(titles):
        held_on = context.days_ago(90 - 30 * index)
        group = GroupSession(
            program_id=context.program_id(code),
            title=title,
            held_on=held_on,
            capacity=12,
            location="Salle communautaire (démo)",
        )
        session.add(group)
        session.flush()
        eligible = [client for client, intake in context.clients if intake <= held_on]
        for client in rng.sample(eligible, min(8, len(eligible))):
            present = rng.random() < 0.8
            session.add(
                Attendance(
                    group_session_id=row_id(group), client_id=row_id(client), present=present
                )
            )
            if present:
                add_event(
                    session,
                    context,
                    client,
                    code,
                    "group_attendance",
                    held_on,
                    duration_minutes=90,
                    group_session_id=group.id,
                )
            if row_id(client) not in enrolled:
                enrolled.add(row_id(client))
                session.add(
                    Enrolment(
                        client_id=row_id(client),
                        program_id=context.program_id(code),
                        starts_on=held_on,
                    )
                )
