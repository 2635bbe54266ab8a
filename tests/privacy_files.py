"""Law 25 tests' rows: a client file with a row in every table that reaches her, and actors.

`full_file` fills every table of a client's file (as the foreign keys find them) so exports
and purges are checked on all of them; `actor` signs in a user with one role.
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

import records_factories
from sqlalchemy import func, select
from sqlmodel import Session, col
from sqlmodel import select as select_rows

from core.models import (
    AccessRequest,
    Attendance,
    AuditEvent,
    BoxOffer,
    BoxOrder,
    Client,
    ClientContact,
    ClientPause,
    CouponAllocation,
    CouponKind,
    DeliveryFollowup,
    DeliveryRoute,
    DeliveryRun,
    DeliveryStop,
    Distribution,
    DistributionLine,
    Enrolment,
    FoodAidItem,
    FoodAidVisit,
    GroupSession,
    Infant,
    KitchenParticipant,
    KitchenSession,
    MealPlan,
    NutritionAssessment,
    Pregnancy,
    Referral,
    ServiceEvent,
    User,
    WeightCheck,
)
from core.models.base import metadata
from services.access.actor import Actor, load_actor
from services.access.users import create_user

_numbers = itertools.count(1)


def actor(session: Session, role: str = "privacy_officer", org: str = "alima") -> Actor:
    """A new account with `role` in `org`, as the use cases see her."""
    records_factories.organisation(session, org)
    session.commit()
    email = f"{role}-{next(_numbers)}@{org}.example"
    user = create_user(session, email, "a long test password", organisation=org, role=role)
    return load_actor(session, user, "203.0.113.9")


def full_file(
    session: Session, org: str = "alima", program: str = "prenatal", **client: Any
) -> Client:
    """A client of `org` enrolled in `program`, with a row in every table of a file.

    Free text is filled everywhere, so an anonymisation that forgets a column shows.
    """
    program_row = records_factories.program(session, org, program)
    staff = User(email=f"staff-{next(_numbers)}@{org}.example", password_hash="x")
    session.add(staff)
    session.flush()
    values = {
        "phone": "514-555-0101",
        "email": "marie@example.org",
        "address": "1234 rue Hochelaga",
        "postal_code": "H1L 2Z3",
        "birth_date": date(1994, 7, 14),
        "household_members": "F:31,M:33,F:2",
        "monthly_income": Decimal("1850.00"),
        "monthly_rent": Decimal("950.00"),
        "status_reason": "déménagée à Laval",
    }
    owner = records_factories.make_client(session, org, **{**values, **client})
    cid, pid, sid = owner.id, program_row.id, staff.id
    assert cid is not None and pid is not None and sid is not None
    consent = records_factories.make_consent(
        session, owner, "sharing", resource="CLSC", given_by="parent", given_by_name="Jeanne B."
    )
    workshop = GroupSession(program_id=pid, title="Atelier purées", held_on=date(2020, 3, 2))
    kind = CouponKind(
        code=f"milk-{next(_numbers)}", name_fr="Lait", name_en="Milk", phase="prenatal"
    )
    pregnancy = Pregnancy(client_id=cid, expected_on=date(2020, 6, 1), outcome="live_birth")
    distribution = Distribution(
        client_id=cid, program_id=pid, distributed_on=date(2020, 3, 9), staff_id=sid
    )
    session.add_all([workshop, kind, pregnancy, distribution])
    session.flush()
    assert workshop.id and kind.id and pregnancy.id and distribution.id
    session.add_all(
        [
            ClientPause(client_id=cid, starts_on=date(2020, 4, 1), reason="hospitalisée"),
            ClientContact(client_id=cid, kind="emergency", name="Paul B.", phone="514-555-0102"),
            Enrolment(client_id=cid, program_id=pid, starts_on=date(2020, 1, 6),
                      ends_on=date(2020, 9, 1), end_reason="bébé de 4 mois"),
            Attendance(group_session_id=workshop.id, client_id=cid),
            ServiceEvent(client_id=cid, program_id=pid, kind="individual_consultation",
                         occurred_on=date(2020, 2, 3), staff_id=sid, notes="Nausées, fatigue"),
            Referral(client_id=cid, resource="CLSC", reason="suivi psychosocial",
                     referred_on=date(2020, 2, 3), shared_information=True, consent_id=consent.id),
            Infant(client_id=cid, pregnancy_id=pregnancy.id, first_name="Léa",
                   birth_date=date(2020, 5, 28)),
            NutritionAssessment(client_id=cid, program_id=pid, assessed_on=date(2020, 1, 20),
                                risk_factors="anémie", notes="Higgins: déficit protéique",
                                supplements="fer"),
            WeightCheck(client_id=cid, program_id=pid, measured_on=date(2020, 2, 3),
                        weight_kg=Decimal("64.5")),
            CouponAllocation(client_id=cid, coupon_kind_id=kind.id, per_week=7,
                             starts_on=date(2020, 1, 20), reason="grossesse gémellaire"),
            DistributionLine(distribution_id=distribution.id, coupon_kind_id=kind.id, count=7,
                             serials="A100-A106"),
            AccessRequest(organisation_id=owner.organisation_id, client_id=cid, kind="access",
                          requester="Marie B.", received_on=date(2021, 1, 4),
                          due_on=date(2021, 2, 3), notes="par courriel"),
        ]
    )  # fmt: skip
    session.flush()
    _meals_on_wheels(session, owner, pid, sid)
    _sesame_services(session, owner, pid)
    return owner


def _sesame_services(session: Session, owner: Client, pid: int) -> None:
    """A produce-box order, a collective kitchen she took part in, a food-aid visit."""
    org = owner.organisation_id
    offer = BoxOffer(
        organisation_id=org,
        program_id=pid,
        week_of=date(2020, 3, 2),
        name="Boîte de mars",
        price=Decimal("12.00"),
    )
    kitchen = KitchenSession(
        organisation_id=org,
        program_id=pid,
        held_on=date(2020, 3, 4),
        place="Sous-sol de l'église",
        recipe="Soupe aux lentilles",
    )
    visit = FoodAidVisit(client_id=owner.id, program_id=pid, visited_on=date(2020, 3, 5))
    session.add_all([offer, kitchen, visit])
    session.flush()
    session.add_all(
        [
            BoxOrder(box_offer_id=offer.id, client_id=owner.id, ordered_on=date(2020, 3, 1)),
            KitchenParticipant(kitchen_session_id=kitchen.id, client_id=owner.id),
            FoodAidItem(food_aid_visit_id=visit.id, item_code="lentils_dry", quantity=Decimal(900)),
        ]
    )  # fmt: skip
    session.flush()


def _meals_on_wheels(session: Session, owner: Client, pid: int, sid: int) -> None:
    """A meal plan, a stop on a run, and the follow-up of a no-answer."""
    route = DeliveryRoute(
        organisation_id=owner.organisation_id,
        name="Route 1",
        driver_id=sid,
        depot_latitude=45.59,
        depot_longitude=-73.54,
    )
    session.add(route)
    session.flush()
    run = DeliveryRun(
        organisation_id=owner.organisation_id,
        route_id=route.id,
        run_date=date(2020, 3, 2),
        driver_id=sid,
    )
    plan = MealPlan(
        client_id=owner.id,
        program_id=pid,
        weekdays="1,3",
        starts_on=date(2020, 3, 1),
        diet_codes="diabétique",
        allergens="arachides",
        door_notes="Sonner 2 fois",
        latitude=45.6,
        longitude=-73.53,
        route_id=route.id,
        route_position=1,
    )
    session.add_all([run, plan])
    session.flush()
    stop = DeliveryStop(
        run_id=run.id,
        plan_id=plan.id,
        client_id=owner.id,
        position=1,
        meals=1,
        outcome="no_answer",
        outcome_note="Rideaux fermés",
    )
    session.add(stop)
    session.flush()
    session.add(
        DeliveryFollowup(
            organisation_id=owner.organisation_id,
            stop_id=stop.id,
            client_id=owner.id,
            resolution="Hospitalisée, fille jointe",
        )
    )
    session.flush()


def file_tables() -> set[str]:
    """The tables of a client's file, found here from the metadata on their own: every table
    with a foreign key to `client`, or to a table already found."""
    found = {"client"}
    grew = True
    while grew:
        before = len(found)
        for table in metadata.tables.values():
            if any(key.column.table.name in found for key in table.foreign_keys):
                found.add(table.name)
        grew = len(found) > before
    return found


def counts(session: Session, client_id: int) -> dict[str, int]:
    """How many rows each table with a `client_id` column holds for her."""
    result = {}
    for name in sorted(file_tables()):
        table = metadata.tables[name]
        column = table.c.id if name == "client" else table.c.get("client_id")
        if column is None:
            continue
        result[name] = session.execute(
            select(func.count()).select_from(table).where(column == client_id)
        ).scalar_one()
    return result


def audit_rows(session: Session) -> list[AuditEvent]:
    """Every audit row, oldest first."""
    session.expire_all()
    return list(session.exec(select_rows(AuditEvent).order_by(col(AuditEvent.id))).all())
