"""Anonymous satisfaction surveys: a program's questionnaire over a period, paper forms typed
in, and a summary per question suppressed like any other count.

A response has no client and no user: the audit row of its typing in names who typed it
(as every write does) and no client. Questions are copied from
core/data/records/satisfaction_questions.csv when a survey is created, so changing the
defaults later changes no running survey.
"""

from __future__ import annotations

import csv
from datetime import date
from importlib import resources

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from core.errors import N_, InvalidInput
from core.models import (
    Program,
    SatisfactionAnswer,
    SatisfactionQuestion,
    SatisfactionResponse,
    SatisfactionSurvey,
)
from services.access.actor import Actor
from services.access.organisations import program_by_code
from services.access.roles import Permission
from services.records.audit import audit
from services.records.scope import organisation_for, program_record_for

QUESTIONS_FILE = resources.files("core") / "data" / "records" / "satisfaction_questions.csv"
KINDS = ("scale_1_5", "yes_no", "text")


class QuestionView(BaseModel):
    """A question of a survey; yes_no answers are scored 1 (yes) or 0 (no)."""

    id: int
    position: int
    kind: str
    text_fr: str
    text_en: str


class SurveyInput(BaseModel):
    """A new survey of a program over a period."""

    program: str = Field(description="Program code, e.g. prenatal")
    title: str = Field(min_length=1, max_length=200)
    opens_on: date
    closes_on: date


class SurveyView(BaseModel):
    """A survey and its questions."""

    id: int
    program: str
    title: str
    opens_on: date
    closes_on: date
    questions: list[QuestionView]


class AnswerInput(BaseModel):
    """One answer: a score (1-5, or 1/0 for yes/no) or a text."""

    question_id: int
    score: int | None = None
    text: str | None = Field(default=None, max_length=1000)


class ResponseInput(BaseModel):
    """One filled questionnaire, as typed in from paper."""

    submitted_on: date | None = None
    answers: list[AnswerInput] = Field(min_length=1)


class QuestionSummary(BaseModel):
    """What one question got; None where fewer than the threshold answered."""

    question_id: int
    position: int
    kind: str
    text_fr: str
    text_en: str
    n: int
    suppressed: bool
    mean: float | None = None
    percent_yes: float | None = None
    texts: list[str] | None = None


class SurveySummary(BaseModel):
    """The summary of a survey."""

    survey_id: int
    title: str
    responses: int
    threshold: int
    questions: list[QuestionSummary]


def default_questions() -> list[dict[str, str]]:
    """The default questions, from the shipped CSV."""
    with QUESTIONS_FILE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _survey_view(session: Session, survey: SatisfactionSurvey) -> SurveyView:
    program = session.get(Program, survey.program_id)
    assert program is not None and survey.id is not None
    questions = session.exec(
        select(SatisfactionQuestion)
        .where(SatisfactionQuestion.survey_id == survey.id)
        .order_by(col(SatisfactionQuestion.position))
    ).all()
    return SurveyView(
        id=survey.id,
        program=program.code,
        title=survey.title,
        opens_on=survey.opens_on,
        closes_on=survey.closes_on,
        questions=[QuestionView.model_validate(q, from_attributes=True) for q in questions],
    )


def create_survey(
    session: Session, actor: Actor, organisation: str | None, data: SurveyInput
) -> SurveyView:
    """Create a survey of a program with the default questions (SATISFACTION_MANAGE)."""
    owner = organisation_for(session, actor, Permission.SATISFACTION_MANAGE, organisation)
    if data.closes_on < data.opens_on:
        raise InvalidInput(N_("the survey closes before it opens"))
    program = program_by_code(session, owner, data.program)
    assert program.id is not None
    survey = SatisfactionSurvey(
        program_id=program.id, title=data.title, opens_on=data.opens_on, closes_on=data.closes_on
    )
    session.add(survey)
    session.flush()
    assert survey.id is not None
    for row in default_questions():
        session.add(
            SatisfactionQuestion(
                survey_id=survey.id,
                position=int(row["position"]),
                kind=row["kind"],
                text_fr=row["text_fr"],
                text_en=row["text_en"],
            )
        )
    audit(session, actor, "create", "satisfaction_survey", record_id=survey.id,
          organisation_id=owner.id)  # fmt: skip
    session.commit()
    return _survey_view(session, survey)


def list_surveys(session: Session, actor: Actor, organisation: str | None) -> list[SurveyView]:
    """The organisation's surveys with their questions (for typing in paper forms)."""
    owner = organisation_for(session, actor, Permission.SATISFACTION_RECORD, organisation)
    surveys = session.exec(
        select(SatisfactionSurvey)
        .join(Program, col(Program.id) == SatisfactionSurvey.program_id)
        .where(Program.organisation_id == owner.id)
        .order_by(col(SatisfactionSurvey.id))
    ).all()
    return [_survey_view(session, survey) for survey in surveys]


def _survey_for(
    session: Session, actor: Actor, survey_id: int, permission: Permission
) -> tuple[SatisfactionSurvey, int]:
    """The survey and its organisation, if she may; another organisation's is 404."""
    survey, program = program_record_for(
        session, actor, SatisfactionSurvey, survey_id, permission, "survey"
    )
    return survey, program.organisation_id


def record_response(session: Session, actor: Actor, survey_id: int, data: ResponseInput) -> int:
    """Type in one filled questionnaire (SATISFACTION_RECORD); return the response's id."""
    survey, organisation_id = _survey_for(session, actor, survey_id, Permission.SATISFACTION_RECORD)
    questions = {
        q.id: q
        for q in session.exec(
            select(SatisfactionQuestion).where(SatisfactionQuestion.survey_id == survey.id)
        ).all()
    }
    seen: set[int] = set()
    for answer in data.answers:
        question = questions.get(answer.question_id)
        if question is None:
            raise InvalidInput(
                N_("question %(question_id)s is not in survey %(survey_id)s"),
                question_id=answer.question_id,
                survey_id=survey_id,
            )
        if answer.question_id in seen:
            raise InvalidInput(
                N_("question %(question_id)s answered twice"), question_id=answer.question_id
            )
        seen.add(answer.question_id)
        _check_answer(question, answer)
    assert survey.id is not None
    response = SatisfactionResponse(
        survey_id=survey.id, submitted_on=data.submitted_on or date.today()
    )
    session.add(response)
    session.flush()
    assert response.id is not None
    for answer in data.answers:
        text = answer.text.strip() if answer.text else None
        session.add(
            SatisfactionAnswer(
                response_id=response.id,
                question_id=answer.question_id,
                score=answer.score,
                text=text or None,
            )
        )
    # Who typed it in, never whose answers they are.
    audit(session, actor, "create", "satisfaction_response", record_id=response.id,
          organisation_id=organisation_id)  # fmt: skip
    session.commit()
    return response.id


def _check_answer(question: SatisfactionQuestion, answer: AnswerInput) -> None:
    if question.kind == "text":
        if answer.score is not None or not (answer.text or "").strip():
            raise InvalidInput(N_("question %(question)s takes a text"), question=question.id)
        return
    allowed = range(1, 6) if question.kind == "scale_1_5" else range(2)
    if answer.score is None or answer.score not in allowed or answer.text:
        hint = "a score from 1 to 5" if question.kind == "scale_1_5" else "1 (yes) or 0 (no)"
        raise InvalidInput(
            N_("question %(question)s takes %(hint)s"), question=question.id, hint=hint
        )


def survey_summary(
    session: Session, actor: Actor, survey_id: int, *, threshold: int
) -> SurveySummary:
    """Per question: n, mean (scale), % yes (yes/no), texts; all hidden below `threshold`
    answers, so a handful of forms cannot be told apart (SATISFACTION_READ)."""
    survey, organisation_id = _survey_for(session, actor, survey_id, Permission.SATISFACTION_READ)
    view = _survey_view(session, survey)
    responses = session.exec(
        select(SatisfactionResponse.id).where(SatisfactionResponse.survey_id == survey_id)
    ).all()
    answers = session.exec(
        select(SatisfactionAnswer)
        .join(SatisfactionResponse, col(SatisfactionResponse.id) == SatisfactionAnswer.response_id)
        .where(SatisfactionResponse.survey_id == survey_id)
    ).all()
    summaries = []
    for question in view.questions:
        mine = [a for a in answers if a.question_id == question.id]
        n = len(mine)
        summary = QuestionSummary(
            question_id=question.id,
            position=question.position,
            kind=question.kind,
            text_fr=question.text_fr,
            text_en=question.text_en,
            n=n,
            suppressed=0 < n < threshold,
        )
        if n >= threshold:
            scores = [a.score for a in mine if a.score is not None]
            if question.kind == "scale_1_5" and scores:
                summary.mean = round(sum(scores) / len(scores), 2)
            elif question.kind == "yes_no" and scores:
                summary.percent_yes = round(100 * sum(scores) / len(scores), 1)
            elif question.kind == "text":
                # Sorted, not in typing order, so an answer cannot be matched to a form.
                summary.texts = sorted(a.text for a in mine if a.text)
        summaries.append(summary)
    audit(session, actor, "read", "satisfaction_summary", record_id=survey_id,
          organisation_id=organisation_id)  # fmt: skip
    session.commit()
    return SurveySummary(
        survey_id=survey_id,
        title=survey.title,
        responses=len(responses),
        threshold=threshold,
        questions=summaries,
    )
