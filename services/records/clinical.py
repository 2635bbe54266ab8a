"""Nutrition assessments and weight checks: clinical data, for the program's dietitians only.

The system records the dietitian's own assessment and prescription (calories, protein,
supplements) as she writes them. It does not compute them: the Higgins method Alima follows
is the dietitian's professional judgement, and it is protected; nothing here implements it.

Reading or writing needs CLINICAL_READ or CLINICAL_WRITE for the record's program: a
dietitian whose membership is limited to one program is refused another's records (403), a
coordinator is refused them all (403), another organisation's answer 404. In a list, the
records of programs she may not read come with their fields hidden ("restricted": true).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, select

from core.errors import N_, InvalidInput
from core.models import Client, NutritionAssessment, WeightCheck
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.care_scope import client_in_program, program_code
from services.records.scope import client_for, client_record_for

ASSESSMENT_FIELDS = (
    "assessed_on",
    "pre_pregnancy_weight_kg",
    "height_cm",
    "risk_factors",
    "calories_kcal",
    "protein_g",
    "supplements",
    "notes",
)
WEIGHT_FIELDS = ("measured_on", "weight_kg")


class AssessmentAnswer(BaseModel):
    """An assessment and prescription; every field but the day None when `restricted`."""

    id: int
    client_id: int
    program: str
    assessed_on: date
    dietitian_id: int | None
    pre_pregnancy_weight_kg: Decimal | None
    height_cm: Decimal | None
    risk_factors: str | None
    calories_kcal: int | None
    protein_g: int | None
    supplements: str | None
    notes: str | None
    restricted: bool = False


class WeightAnswer(BaseModel):
    """A weight taken at a follow-up; the weight None when `restricted`."""

    id: int
    client_id: int
    program: str
    measured_on: date
    weight_kg: Decimal | None
    recorded_by_id: int | None
    restricted: bool = False


def assessment_answer(
    session: Session, row: NutritionAssessment, *, hidden: bool = False
) -> AssessmentAnswer:
    """The answer for one assessment, its clinical fields hidden when asked."""
    assert row.id is not None
    # The day stays visible: that she was seen is not clinical, what was found is.
    fields = {
        name: None if hidden and name != "assessed_on" else getattr(row, name)
        for name in ASSESSMENT_FIELDS
    }
    return AssessmentAnswer(
        id=row.id,
        client_id=row.client_id,
        program=program_code(session, row.program_id),
        dietitian_id=row.dietitian_id,
        restricted=hidden,
        **fields,
    )


def weight_answer(session: Session, row: WeightCheck, *, hidden: bool = False) -> WeightAnswer:
    """The answer for one weight, hidden when asked."""
    assert row.id is not None
    return WeightAnswer(
        id=row.id,
        client_id=row.client_id,
        program=program_code(session, row.program_id),
        measured_on=row.measured_on,
        weight_kg=None if hidden else row.weight_kg,
        recorded_by_id=row.recorded_by_id,
        restricted=hidden,
    )


def _apply(row: Any, changes: Mapping[str, Any], allowed: tuple[str, ...], required: str) -> None:
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise InvalidInput(
            N_("cannot change %(unknown)s: use %(allowed)s"),
            unknown=", ".join(unknown),
            allowed=", ".join(allowed),
        )
    for name, value in changes.items():
        if value is None and name in (required, "weight_kg"):
            raise InvalidInput(N_("%(name)s cannot be empty"), name=name)
        setattr(row, name, value)
    for name in ("calories_kcal", "protein_g", "weight_kg", "height_cm"):
        value = getattr(row, name, None)
        if value is not None and value <= 0:
            raise InvalidInput(N_("%(name)s must be positive"), name=name)


def _record_for(
    session: Session, actor: Actor, model: Any, record_id: int, permission: Permission, what: str
) -> tuple[Any, Client]:
    """A clinical record, checked for `permission` on its program (404 outside her orgs)."""
    return client_record_for(session, actor, model, record_id, permission, what, in_program=True)


def add_assessment(
    session: Session, actor: Actor, client_id: int, program: str, fields: Mapping[str, Any]
) -> AssessmentAnswer:
    """Record the dietitian's assessment and prescription (the caller is the dietitian)."""
    client, chosen = client_in_program(
        session, actor, client_id, program, Permission.CLINICAL_WRITE
    )
    assert chosen.id is not None
    row = NutritionAssessment(
        client_id=client_id,
        program_id=chosen.id,
        assessed_on=date.today(),
        dietitian_id=actor.user_id,
    )
    _apply(row, fields, ASSESSMENT_FIELDS, "assessed_on")
    session.add(row)
    session.flush()
    audit(session, actor, "create", "nutrition_assessment", record_id=row.id, client=client)
    session.commit()
    return assessment_answer(session, row)


def get_assessment(session: Session, actor: Actor, assessment_id: int) -> AssessmentAnswer:
    """One assessment, for a dietitian of its program."""
    row, client = _record_for(
        session, actor, NutritionAssessment, assessment_id, Permission.CLINICAL_READ, "assessment"
    )
    audit(session, actor, "read", "nutrition_assessment", record_id=row.id, client=client)
    session.commit()
    return assessment_answer(session, row)


def update_assessment(
    session: Session, actor: Actor, assessment_id: int, changes: Mapping[str, Any]
) -> AssessmentAnswer:
    """Correct an assessment or its prescription."""
    row, client = _record_for(
        session, actor, NutritionAssessment, assessment_id, Permission.CLINICAL_WRITE, "assessment"
    )
    _apply(row, changes, ASSESSMENT_FIELDS, "assessed_on")
    session.add(row)
    audit(
        session,
        actor,
        "update",
        "nutrition_assessment",
        record_id=row.id,
        client=client,
        detail=", ".join(sorted(changes)),
    )
    session.commit()
    return assessment_answer(session, row)


def _clinical_rows(
    session: Session, actor: Actor, client_id: int, model: Any, order: Any, what: str
) -> tuple[list[Any], Client, list[bool]]:
    """A client's rows of one clinical table, and for each whether it is hidden from her."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_READ)
    rows = list(
        session.exec(select(model).where(model.client_id == client_id).order_by(order.desc())).all()
    )
    hidden = [
        not actor.allows(Permission.CLINICAL_READ, client.organisation_id, row.program_id)
        for row in rows
    ]
    audit(session, actor, "read", f"{what}_list", client=client, detail=f"{len(rows)} rows")
    session.commit()
    return rows, client, hidden


def list_assessments(session: Session, actor: Actor, client_id: int) -> list[AssessmentAnswer]:
    """A client's assessments, latest first; other programs' ones hidden."""
    rows, _, hidden = _clinical_rows(
        session,
        actor,
        client_id,
        NutritionAssessment,
        NutritionAssessment.assessed_on,
        "nutrition_assessment",
    )
    return [assessment_answer(session, row, hidden=h) for row, h in zip(rows, hidden, strict=True)]


def add_weight(
    session: Session,
    actor: Actor,
    client_id: int,
    program: str,
    weight_kg: Decimal,
    measured_on: date | None = None,
) -> WeightAnswer:
    """Record a weight taken at a follow-up (today unless told)."""
    client, chosen = client_in_program(
        session, actor, client_id, program, Permission.CLINICAL_WRITE
    )
    assert chosen.id is not None
    row = WeightCheck(
        client_id=client_id,
        program_id=chosen.id,
        measured_on=measured_on or date.today(),
        weight_kg=weight_kg,
        recorded_by_id=actor.user_id,
    )
    _apply(row, {}, WEIGHT_FIELDS, "measured_on")
    session.add(row)
    session.flush()
    audit(session, actor, "create", "weight_check", record_id=row.id, client=client)
    session.commit()
    return weight_answer(session, row)


def update_weight(
    session: Session, actor: Actor, weight_check_id: int, changes: Mapping[str, Any]
) -> WeightAnswer:
    """Correct a weight."""
    row, client = _record_for(
        session, actor, WeightCheck, weight_check_id, Permission.CLINICAL_WRITE, "weight check"
    )
    _apply(row, changes, WEIGHT_FIELDS, "measured_on")
    session.add(row)
    audit(session, actor, "update", "weight_check", record_id=row.id, client=client)
    session.commit()
    return weight_answer(session, row)


def list_weights(session: Session, actor: Actor, client_id: int) -> list[WeightAnswer]:
    """A client's weights, latest first; other programs' ones hidden."""
    rows, _, hidden = _clinical_rows(
        session, actor, client_id, WeightCheck, WeightCheck.measured_on, "weight_check"
    )
    return [weight_answer(session, row, hidden=h) for row, h in zip(rows, hidden, strict=True)]
