"""An Alima client's perinatal file for the demo: pregnancy, baby, assessment, weights, coupons.

The assessment and prescription figures are drawn at random, like everything else here: the
Higgins method is the dietitian's, and the system only records what she decides.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session

from core.models import (
    Client,
    CouponAllocation,
    Enrolment,
    Infant,
    NutritionAssessment,
    Pregnancy,
    WeightCheck,
)
from services.records.demo_context import DemoContext, add_event, row_id


def add_alima_file(session: Session, context: DemoContext, client: Client, intake: date) -> None:
    """Add her pregnancy, baby if born, assessment, follow-ups with weights and coupons."""
    rng, dietitian = context.rng, context.staff.get("dietitian")
    expected = intake + timedelta(weeks=40 - rng.randint(12, 30))
    pregnancy = Pregnancy(client_id=row_id(client), expected_on=expected)
    born_on = expected + timedelta(days=rng.randint(-14, 7))
    born = born_on < context.today
    if born:
        pregnancy.outcome, pregnancy.outcome_on = "live_birth", born_on
    session.add(pregnancy)
    session.flush()
    prenatal_end = born_on if born else None
    session.add(
        Enrolment(
            client_id=row_id(client),
            program_id=context.program_id("prenatal"),
            starts_on=intake,
            ends_on=prenatal_end,
            end_reason="naissance" if born else None,
        )
    )
    if born:
        session.add(
            Infant(
                client_id=row_id(client),
                pregnancy_id=pregnancy.id,
                first_name=context.fake.first_name(),
                birth_date=born_on,
                birth_weight_g=rng.randint(2500, 4200),
                gestational_age_weeks=rng.randint(37, 41),
                feeding=rng.choice(["breast", "formula", "mixed"]),
            )
        )
        session.add(
            Enrolment(
                client_id=row_id(client),
                program_id=context.program_id("postnatal"),
                starts_on=born_on,
            )
        )
    assessed = intake + timedelta(days=7)
    weight = Decimal(rng.randint(500, 900)) / 10
    if assessed <= context.today:
        session.add(
            NutritionAssessment(
                client_id=row_id(client),
                program_id=context.program_id("prenatal"),
                assessed_on=assessed,
                dietitian_id=dietitian,
                pre_pregnancy_weight_kg=weight,
                height_cm=Decimal(rng.randint(150, 178)),
                risk_factors=rng.choice(["faible revenu", "isolement", "adolescence", "stress"]),
                calories_kcal=rng.randrange(2200, 2900, 50),
                protein_g=rng.randrange(75, 115, 5),
                supplements="multivitamine prénatale",
                notes="Évaluation fictive (démo)",
            )
        )
    # A follow-up every two weeks until the birth: a weight at each visit, calls between.
    day, visit = intake + timedelta(days=14), 0
    while day < (prenatal_end or context.today):
        visit += 1
        if visit % 2:
            weight += Decimal(rng.randint(5, 15)) / 10
            add_event(
                session,
                context,
                client,
                "prenatal",
                "individual_consultation",
                day,
                duration_minutes=45,
                staff_id=dietitian,
                notes="Suivi de poids et d'alimentation (note clinique fictive)",
                notes_restricted=True,
            )
            session.add(
                WeightCheck(
                    client_id=row_id(client),
                    program_id=context.program_id("prenatal"),
                    measured_on=day,
                    weight_kg=weight,
                    recorded_by_id=dietitian,
                )
            )
        else:
            add_event(
                session,
                context,
                client,
                "prenatal",
                "phone_follow_up",
                day,
                duration_minutes=15,
                staff_id=dietitian,
                mode="phone",
            )
        day += timedelta(days=14)
    for kind in context.coupon_kinds:
        session.add(
            CouponAllocation(
                client_id=row_id(client),
                coupon_kind_id=row_id(kind),
                per_week=rng.randint(1, 3),
                starts_on=assessed,
                ends_on=prenatal_end,
                set_by_id=dietitian,
                reason="Allocation fictive (démo)",
            )
        )
        context.coupon_allocations += 1
