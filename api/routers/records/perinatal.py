"""Pregnancies and infants of a perinatal organisation's clients."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel

from api.access import requires
from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.perinatal import (
    InfantAnswer,
    PregnancyAnswer,
    add_infant,
    add_pregnancy,
    list_infants,
    list_pregnancies,
    update_infant,
    update_pregnancy,
)

router = APIRouter(prefix="/v1/records", tags=["records: perinatal"], responses=ERROR_RESPONSES)


class PregnancyBody(BaseModel):
    """A pregnancy: expected date, and the outcome once known."""

    expected_on: date
    outcome: str | None = None
    outcome_on: date | None = None


class PregnancyChanges(BaseModel):
    """The fields of a pregnancy to change."""

    expected_on: date | None = None
    outcome: str | None = None
    outcome_on: date | None = None


class InfantBody(BaseModel):
    """A baby: birth date, weight in grams, gestational age in weeks, feeding."""

    birth_date: date
    pregnancy_id: int | None = None
    first_name: str | None = None
    birth_weight_g: int | None = None
    gestational_age_weeks: int | None = None
    feeding: str | None = None


class InfantChanges(BaseModel):
    """The fields of an infant's record to change."""

    birth_date: date | None = None
    pregnancy_id: int | None = None
    first_name: str | None = None
    birth_weight_g: int | None = None
    gestational_age_weeks: int | None = None
    feeding: str | None = None


Writer = Annotated[Actor, requires(Permission.SERVICES_WRITE)]
Reader = Annotated[Actor, requires(Permission.CLIENTS_READ)]


@router.post("/clients/{client_id}/pregnancies", status_code=201)
def post_pregnancy(
    client_id: int, body: PregnancyBody, session: SessionDep, actor: Writer
) -> PregnancyAnswer:
    """Record a pregnancy."""
    return add_pregnancy(session, actor, client_id, body.model_dump(exclude_unset=True))


@router.get("/clients/{client_id}/pregnancies")
def get_pregnancies(client_id: int, session: SessionDep, actor: Reader) -> list[PregnancyAnswer]:
    """A client's pregnancies."""
    return list_pregnancies(session, actor, client_id)


@router.patch("/pregnancies/{pregnancy_id}")
def patch_pregnancy(
    pregnancy_id: int, body: PregnancyChanges, session: SessionDep, actor: Writer
) -> PregnancyAnswer:
    """Correct a pregnancy or record its outcome."""
    return update_pregnancy(session, actor, pregnancy_id, body.model_dump(exclude_unset=True))


@router.post("/clients/{client_id}/infants", status_code=201)
def post_infant(
    client_id: int, body: InfantBody, session: SessionDep, actor: Writer
) -> InfantAnswer:
    """Record a baby."""
    return add_infant(session, actor, client_id, body.model_dump(exclude_unset=True))


@router.get("/clients/{client_id}/infants")
def get_infants(client_id: int, session: SessionDep, actor: Reader) -> list[InfantAnswer]:
    """A client's babies."""
    return list_infants(session, actor, client_id)


@router.patch("/infants/{infant_id}")
def patch_infant(
    infant_id: int, body: InfantChanges, session: SessionDep, actor: Writer
) -> InfantAnswer:
    """Correct an infant's record."""
    return update_infant(session, actor, infant_id, body.model_dump(exclude_unset=True))
