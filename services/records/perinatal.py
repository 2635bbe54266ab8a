"""Pregnancies and infants of the clients of a perinatal organisation (Alima).

An organisation follows pregnancies when it has a prenatal or postnatal program (data, not a
name in the code); the others are refused, so no pregnancy is recorded where nobody reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, select

from core.errors import N_, InvalidInput
from core.models import Client, Infant, Pregnancy, Program
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.care_scope import check_choice
from services.records.scope import client_for, client_record_for

PERINATAL_PROGRAMS = ("prenatal", "postnatal")
OUTCOMES = ("live_birth", "loss", "moved", "unknown")
FEEDING = ("breast", "formula", "mixed")
PREGNANCY_FIELDS = ("expected_on", "outcome", "outcome_on")
INFANT_FIELDS = (
    "pregnancy_id",
    "first_name",
    "birth_date",
    "birth_weight_g",
    "gestational_age_weeks",
    "feeding",
)


class PregnancyAnswer(BaseModel):
    """A pregnancy: expected date and outcome."""

    id: int
    client_id: int
    expected_on: date
    outcome: str | None
    outcome_on: date | None


class InfantAnswer(BaseModel):
    """A baby of a followed client."""

    id: int
    client_id: int
    pregnancy_id: int | None
    first_name: str | None
    birth_date: date
    birth_weight_g: int | None
    gestational_age_weeks: int | None
    feeding: str | None


def pregnancy_answer(row: Pregnancy) -> PregnancyAnswer:
    """The answer for one pregnancy."""
    return PregnancyAnswer.model_validate(row, from_attributes=True)


def infant_answer(row: Infant) -> InfantAnswer:
    """The answer for one infant."""
    return InfantAnswer.model_validate(row, from_attributes=True)


def _perinatal_client(
    session: Session, actor: Actor, client_id: int, permission: Permission
) -> Client:
    client = client_for(session, actor, client_id, permission)
    perinatal = session.exec(
        select(Program.id).where(
            Program.organisation_id == client.organisation_id,
            Program.code.in_(PERINATAL_PROGRAMS),  # type: ignore[attr-defined]
        )
    ).first()
    if perinatal is None:
        raise InvalidInput(
            N_("her organisation does not follow pregnancies (no perinatal program)")
        )
    return client


def _check_pregnancy(row: Pregnancy) -> None:
    check_choice(row.outcome, OUTCOMES, "outcome")
    if row.outcome_on is not None and row.outcome is None:
        raise InvalidInput(N_("an outcome date needs an outcome"))


def _check_infant(session: Session, row: Infant) -> None:
    check_choice(row.feeding, FEEDING, "feeding")
    if row.birth_weight_g is not None and not 200 <= row.birth_weight_g <= 7000:
        raise InvalidInput(N_("birth_weight_g must be between 200 and 7000 grams"))
    if row.gestational_age_weeks is not None and not 20 <= row.gestational_age_weeks <= 45:
        raise InvalidInput(N_("gestational_age_weeks must be between 20 and 45"))
    if row.pregnancy_id is not None:
        pregnancy = session.get(Pregnancy, row.pregnancy_id)
        if pregnancy is None or pregnancy.client_id != row.client_id:
            raise InvalidInput(
                N_("pregnancy %(pregnancy_id)s is not hers"), pregnancy_id=row.pregnancy_id
            )


def _apply(row: Any, changes: Mapping[str, Any], allowed: tuple[str, ...], required: str) -> None:
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise InvalidInput(
            N_("cannot change %(unknown)s: use %(allowed)s"),
            unknown=", ".join(unknown),
            allowed=", ".join(allowed),
        )
    if required in changes and changes[required] is None:
        raise InvalidInput(N_("%(required)s cannot be empty"), required=required)
    for name, value in changes.items():
        setattr(row, name, value)


def add_pregnancy(
    session: Session, actor: Actor, client_id: int, fields: Mapping[str, Any]
) -> PregnancyAnswer:
    """Record a pregnancy (expected date, and the outcome once known)."""
    client = _perinatal_client(session, actor, client_id, Permission.SERVICES_WRITE)
    row = Pregnancy(client_id=client_id, expected_on=date.min)
    _apply(row, fields, PREGNANCY_FIELDS, "expected_on")
    if row.expected_on == date.min:
        raise InvalidInput(N_("expected_on is required"))
    _check_pregnancy(row)
    session.add(row)
    session.flush()
    audit(session, actor, "create", "pregnancy", record_id=row.id, client=client)
    session.commit()
    return pregnancy_answer(row)


def update_pregnancy(
    session: Session, actor: Actor, pregnancy_id: int, changes: Mapping[str, Any]
) -> PregnancyAnswer:
    """Correct a pregnancy or record its outcome."""
    row, client = client_record_for(
        session, actor, Pregnancy, pregnancy_id, Permission.SERVICES_WRITE, "pregnancy"
    )
    _apply(row, changes, PREGNANCY_FIELDS, "expected_on")
    _check_pregnancy(row)
    session.add(row)
    audit(session, actor, "update", "pregnancy", record_id=row.id, client=client)
    session.commit()
    return pregnancy_answer(row)


def list_pregnancies(session: Session, actor: Actor, client_id: int) -> list[PregnancyAnswer]:
    """A client's pregnancies, latest expected first."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_READ)
    rows = session.exec(
        select(Pregnancy)
        .where(Pregnancy.client_id == client_id)
        .order_by(Pregnancy.expected_on.desc())  # type: ignore[attr-defined]
    ).all()
    audit(session, actor, "read", "pregnancy_list", client=client, detail=f"{len(rows)} rows")
    session.commit()
    return [pregnancy_answer(row) for row in rows]


def add_infant(
    session: Session, actor: Actor, client_id: int, fields: Mapping[str, Any]
) -> InfantAnswer:
    """Record a baby: birth date, and weight, gestational age and feeding when known."""
    client = _perinatal_client(session, actor, client_id, Permission.SERVICES_WRITE)
    row = Infant(client_id=client_id, birth_date=date.min)
    _apply(row, fields, INFANT_FIELDS, "birth_date")
    if row.birth_date == date.min:
        raise InvalidInput(N_("birth_date is required"))
    _check_infant(session, row)
    session.add(row)
    session.flush()
    audit(session, actor, "create", "infant", record_id=row.id, client=client)
    session.commit()
    return infant_answer(row)


def update_infant(
    session: Session, actor: Actor, infant_id: int, changes: Mapping[str, Any]
) -> InfantAnswer:
    """Correct an infant's record (weight, feeding...)."""
    row, client = client_record_for(
        session, actor, Infant, infant_id, Permission.SERVICES_WRITE, "infant"
    )
    _apply(row, changes, INFANT_FIELDS, "birth_date")
    _check_infant(session, row)
    session.add(row)
    audit(session, actor, "update", "infant", record_id=row.id, client=client)
    session.commit()
    return infant_answer(row)


def list_infants(session: Session, actor: Actor, client_id: int) -> list[InfantAnswer]:
    """A client's babies, youngest first."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_READ)
    rows = session.exec(
        select(Infant).where(Infant.client_id == client_id).order_by(Infant.birth_date.desc())  # type: ignore[attr-defined]
    ).all()
    audit(session, actor, "read", "infant_list", client=client, detail=f"{len(rows)} rows")
    session.commit()
    return [infant_answer(row) for row in rows]
