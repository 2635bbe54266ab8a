"""What generating the demo records of one organisation shares: the seeded sources, its
programs and staff, and the clients made so far."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from faker import Faker
from sqlmodel import Session

from core.models import (
    Client,
    Consent,
    CouponKind,
    GroupSession,
    Organisation,
    Pregnancy,
    Program,
    ServiceEvent,
)

# Le Sésame's territories by forward sortation area, and the meals-on-wheels route of each:
# its clients live there (core/data/records/fsa_centroids.csv places every one of them).
SESAME_ROUTES = (
    ("Mercier-Est (démo)", ("H1L", "H1N")),
    ("Montréal-Est et Pointe-aux-Trembles (démo)", ("H1B", "H1A")),
    ("Rivière-des-Prairies (démo)", ("H1C", "H1E")),
)
SESAME_FSAS = tuple(fsa for _name, fsas in SESAME_ROUTES for fsa in fsas)


@dataclass
class DemoContext:
    """What generating an organisation's clients needs, and what it has made so far."""

    organisation: Organisation
    programs: dict[str, Program]
    staff: dict[str, int]  # role -> user id of the demo account
    territories: dict[str, int]  # forward sortation area -> region id
    coupon_kinds: list[CouponKind]
    fake: Faker
    rng: random.Random
    today: date
    clients: list[tuple[Client, date]] = field(default_factory=list)  # with intake day
    coupon_allocations: int = 0

    def program_id(self, code: str) -> int:
        """The id of one of the organisation's programs."""
        program_id = self.programs[code].id
        assert program_id is not None
        return program_id

    def days_ago(self, days: int) -> date:
        """The day `days` before today."""
        return self.today - timedelta(days=days)


def row_id(row: Client | GroupSession | Pregnancy | Consent | CouponKind | Organisation) -> int:
    """The id of a flushed row."""
    assert row.id is not None  # flushed
    return row.id


def add_event(
    session: Session,
    context: DemoContext,
    client: Client,
    program: str,
    kind: str,
    on: date,
    **values: Any,
) -> None:
    """Add a service event of `client` in one of the organisation's programs."""
    session.add(
        ServiceEvent(
            client_id=row_id(client),
            program_id=context.program_id(program),
            kind=kind,
            occurred_on=on,
            **values,
        )
    )
