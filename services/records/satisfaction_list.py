"""The surveys of an organisation for someone who reads their results only (an analyst).

`satisfaction.list_surveys` is for those who type forms in (satisfaction:record); an analyst
has satisfaction:read and needs the list to open a summary. No client data: not audited
beyond what the summary itself records.
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlmodel import Session, col, select

from core.models import Program, SatisfactionSurvey
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.scope import organisation_for


class SurveyLine(BaseModel):
    """A survey as a list shows it."""

    id: int
    program: str
    title: str
    opens_on: str
    closes_on: str


def surveys_to_read(session: Session, actor: Actor, organisation: str | None) -> list[SurveyLine]:
    """The organisation's surveys, oldest first (satisfaction:read)."""
    owner = organisation_for(session, actor, Permission.SATISFACTION_READ, organisation)
    rows = session.exec(
        select(SatisfactionSurvey, Program)
        .join(Program, col(Program.id) == SatisfactionSurvey.program_id)
        .where(Program.organisation_id == owner.id)
        .order_by(col(SatisfactionSurvey.id))
    ).all()
    return [
        SurveyLine(
            id=survey.id or 0,
            program=program.code,
            title=survey.title,
            opens_on=survey.opens_on.isoformat(),
            closes_on=survey.closes_on.isoformat(),
        )
        for survey, program in rows
    ]
