"""A client's timeline: everything done with her, in date order, as one list of typed entries.

Clinical entries (assessments, weights, restricted notes) of a program the reader holds no
CLINICAL_READ for stay in the list, so the file's shape is visible, with their fields None
and `restricted` true. One audit row records each reading of the timeline.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, select

from core.models import (
    Attendance,
    GroupSession,
    Infant,
    NutritionAssessment,
    Pregnancy,
    Referral,
    ServiceEvent,
    WeightCheck,
)
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.clinical import assessment_answer, weight_answer
from services.records.events import event_answer
from services.records.perinatal import infant_answer, pregnancy_answer
from services.records.referrals import referral_answer
from services.records.scope import client_for

ENTRY_TYPES = (
    "event",
    "attendance",
    "referral",
    "pregnancy",
    "infant",
    "assessment",
    "weight",
)


class TimelineEntry(BaseModel):
    """One entry: its type, its day, its record's id and fields (clinical ones maybe hidden)."""

    type: str
    on: date
    record_id: int
    restricted: bool = False
    details: dict[str, Any]


def client_timeline(session: Session, actor: Actor, client_id: int) -> list[TimelineEntry]:
    """Every event, attendance, referral, pregnancy, infant, assessment and weight of a client,
    oldest first."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_READ)
    organisation_id = client.organisation_id
    entries: list[TimelineEntry] = []

    def clinical_hidden(program_id: int) -> bool:
        return not actor.allows(Permission.CLINICAL_READ, organisation_id, program_id)

    def add(kind: str, day: date, record_id: int | None, answer: BaseModel) -> None:
        details = answer.model_dump(mode="json", exclude={"id", "client_id", "restricted"})
        restricted = bool(getattr(answer, "restricted", False))
        assert record_id is not None
        entries.append(
            TimelineEntry(
                type=kind, on=day, record_id=record_id, restricted=restricted, details=details
            )
        )

    for event in _rows(session, ServiceEvent, client_id):
        add(
            "event",
            event.occurred_on,
            event.id,
            event_answer(session, actor, event, organisation_id),
        )
    attendances = session.exec(
        select(Attendance, GroupSession)
        .join(GroupSession, GroupSession.id == Attendance.group_session_id)  # type: ignore[arg-type]
        .where(Attendance.client_id == client_id)
    ).all()
    for row, group in attendances:
        entries.append(
            TimelineEntry(
                type="attendance",
                on=group.held_on,
                record_id=row.id or 0,
                details={
                    "group_session_id": group.id,
                    "title": group.title,
                    "present": row.present,
                },
            )
        )
    for referral in _rows(session, Referral, client_id):
        add("referral", referral.referred_on, referral.id, referral_answer(referral))
    # A pregnancy stands at its expected date, which may still be ahead.
    for pregnancy in _rows(session, Pregnancy, client_id):
        add("pregnancy", pregnancy.expected_on, pregnancy.id, pregnancy_answer(pregnancy))
    for infant in _rows(session, Infant, client_id):
        add("infant", infant.birth_date, infant.id, infant_answer(infant))
    for assessment in _rows(session, NutritionAssessment, client_id):
        hidden = clinical_hidden(assessment.program_id)
        answer = assessment_answer(session, assessment, hidden=hidden)
        add("assessment", answer.assessed_on, assessment.id, answer)
    for weight in _rows(session, WeightCheck, client_id):
        hidden = clinical_hidden(weight.program_id)
        weighed = weight_answer(session, weight, hidden=hidden)
        add("weight", weighed.measured_on, weight.id, weighed)

    entries.sort(key=lambda entry: (entry.on, entry.type, entry.record_id))
    audit(session, actor, "read", "timeline", client=client, detail=f"{len(entries)} entries")
    session.commit()
    return entries


def _rows(session: Session, model: Any, client_id: int) -> list[Any]:
    return list(session.exec(select(model).where(model.client_id == client_id)).all())
