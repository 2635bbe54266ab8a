"""Nutrition assessments and weights: the dietitians of the record's program only.

The dietitian's assessment and prescription are recorded as she writes them; the Higgins
method is hers and is not computed here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel

from api.access import requires
from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.clinical import (
    AssessmentAnswer,
    WeightAnswer,
    add_assessment,
    add_weight,
    get_assessment,
    list_assessments,
    list_weights,
    update_assessment,
    update_weight,
)

router = APIRouter(prefix="/v1/records", tags=["records: clinical"], responses=ERROR_RESPONSES)


class AssessmentChanges(BaseModel):
    """An assessment's fields (all optional when correcting one)."""

    assessed_on: date | None = None
    pre_pregnancy_weight_kg: Decimal | None = None
    height_cm: Decimal | None = None
    risk_factors: str | None = None
    calories_kcal: int | None = None
    protein_g: int | None = None
    supplements: str | None = None
    notes: str | None = None


class AssessmentBody(AssessmentChanges):
    """A new assessment and prescription, for one program of her organisation."""

    program: str


class WeightBody(BaseModel):
    """A weight in kilograms, taken today unless `measured_on` says otherwise."""

    program: str
    weight_kg: Decimal
    measured_on: date | None = None


class WeightChanges(BaseModel):
    """The fields of a weight to change."""

    weight_kg: Decimal | None = None
    measured_on: date | None = None


Reader = Annotated[Actor, requires(Permission.CLINICAL_READ)]
Writer = Annotated[Actor, requires(Permission.CLINICAL_WRITE)]


@router.post("/clients/{client_id}/assessments", status_code=201)
def post_assessment(
    client_id: int, body: AssessmentBody, session: SessionDep, actor: Writer
) -> AssessmentAnswer:
    """Record a nutrition assessment and prescription."""
    values = body.model_dump(exclude_unset=True)
    return add_assessment(session, actor, client_id, values.pop("program"), values)


@router.get("/clients/{client_id}/assessments")
def get_assessments(client_id: int, session: SessionDep, actor: Reader) -> list[AssessmentAnswer]:
    """A client's assessments; other programs' ones hidden."""
    return list_assessments(session, actor, client_id)


@router.get("/assessments/{assessment_id}")
def get_one_assessment(assessment_id: int, session: SessionDep, actor: Reader) -> AssessmentAnswer:
    """One assessment."""
    return get_assessment(session, actor, assessment_id)


@router.patch("/assessments/{assessment_id}")
def patch_assessment(
    assessment_id: int, body: AssessmentChanges, session: SessionDep, actor: Writer
) -> AssessmentAnswer:
    """Correct an assessment or its prescription."""
    return update_assessment(session, actor, assessment_id, body.model_dump(exclude_unset=True))


@router.post("/clients/{client_id}/weights", status_code=201)
def post_weight(
    client_id: int, body: WeightBody, session: SessionDep, actor: Writer
) -> WeightAnswer:
    """Record a weight."""
    return add_weight(session, actor, client_id, body.program, body.weight_kg, body.measured_on)


@router.get("/clients/{client_id}/weights")
def get_weights(client_id: int, session: SessionDep, actor: Reader) -> list[WeightAnswer]:
    """A client's weights; other programs' ones hidden."""
    return list_weights(session, actor, client_id)


@router.patch("/weights/{weight_check_id}")
def patch_weight(
    weight_check_id: int, body: WeightChanges, session: SessionDep, actor: Writer
) -> WeightAnswer:
    """Correct a weight."""
    return update_weight(session, actor, weight_check_id, body.model_dump(exclude_unset=True))
