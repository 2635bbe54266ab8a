"""/v1/records/satisfaction-surveys: anonymous surveys, typed-in responses, suppressed summary."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.access import requires
from api.deps import SessionDep, SettingsDep
from api.errors import ERROR_RESPONSES
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.satisfaction import (
    ResponseInput,
    SurveyInput,
    SurveySummary,
    SurveyView,
    create_survey,
    list_surveys,
    record_response,
    survey_summary,
)

router = APIRouter(
    prefix="/v1/records/satisfaction-surveys", tags=["records"], responses=ERROR_RESPONSES
)
Org = Annotated[str | None, Query(description="Organisation slug")]


class ResponseCreated(BaseModel):
    """The id of the response typed in."""

    id: int


@router.post("", status_code=201)
def create(
    actor: Annotated[Actor, requires(Permission.SATISFACTION_MANAGE)],
    session: SessionDep,
    body: SurveyInput,
    org: Org = None,
) -> SurveyView:
    """Create a survey of a program with the default questions (French and English)."""
    return create_survey(session, actor, org, body)


@router.get("")
def index(
    actor: Annotated[Actor, requires(Permission.SATISFACTION_RECORD)],
    session: SessionDep,
    org: Org = None,
) -> list[SurveyView]:
    """The organisation's surveys and their questions, for typing in paper forms."""
    return list_surveys(session, actor, org)


@router.post("/{survey_id}/responses", status_code=201)
def respond(
    actor: Annotated[Actor, requires(Permission.SATISFACTION_RECORD)],
    session: SessionDep,
    survey_id: int,
    body: ResponseInput,
) -> ResponseCreated:
    """Type in one filled questionnaire (no client, no respondent kept)."""
    return ResponseCreated(id=record_response(session, actor, survey_id, body))


@router.get("/{survey_id}/summary")
def summary(
    actor: Annotated[Actor, requires(Permission.SATISFACTION_READ)],
    session: SessionDep,
    settings: SettingsDep,
    survey_id: int,
) -> SurveySummary:
    """Per question: n, mean, % yes, texts; hidden below the suppression threshold."""
    return survey_summary(session, actor, survey_id, threshold=settings.suppression_threshold)
