"""Anonymous satisfaction surveys: default questions copied, responses typed in without a
client, a summary suppressed below the threshold."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from core.db import session_scope
from core.errors import Forbidden, InvalidInput, NotFound
from core.models import AuditEvent, SatisfactionQuestion
from services.access.actor import Actor, load_actor
from services.access.organisations import ensure_organisations
from services.access.users import create_user
from services.records.satisfaction import (
    AnswerInput,
    ResponseInput,
    SurveyInput,
    SurveyView,
    create_survey,
    default_questions,
    list_surveys,
    record_response,
    survey_summary,
)


def person(session: Session, role: str, organisation: str = "alima") -> Actor:
    ensure_organisations(session)
    user = create_user(session, f"{role}@{organisation}.example", "a long test password",
                       organisation=organisation, role=role)  # fmt: skip
    return load_actor(session, user, "test")


def fill(
    session: Session, actor: Actor, survey: SurveyView, score: int, yes: int, text: str
) -> int:
    by_kind: dict[str, int] = {}
    for question in survey.questions:  # the first question of each kind
        by_kind.setdefault(question.kind, question.id)
    answers = [
        AnswerInput(question_id=by_kind["scale_1_5"], score=score),
        AnswerInput(question_id=by_kind["yes_no"], score=yes),
        AnswerInput(question_id=by_kind["text"], text=text),
    ]
    return record_response(session, actor, survey.id, ResponseInput(answers=answers))


def new_survey(session: Session, coordinator: Actor) -> SurveyView:
    data = SurveyInput(program="prenatal", title="Satisfaction 2026",
                       opens_on=date(2026, 3, 1), closes_on=date(2026, 3, 31))  # fmt: skip
    return create_survey(session, coordinator, None, data)


def test_a_survey_gets_the_default_questions_in_french_and_english(db_url: str) -> None:
    with session_scope(db_url) as session:
        coordinator = person(session, "coordinator")
        survey = new_survey(session, coordinator)
        volunteer = person(session, "volunteer")
        listed = list_surveys(session, volunteer, None)
    defaults = default_questions()
    assert [q.text_fr for q in survey.questions] == [row["text_fr"] for row in defaults]
    assert all(q.text_en for q in survey.questions)
    assert {q.kind for q in survey.questions} == {"scale_1_5", "yes_no", "text"}
    assert [s.id for s in listed] == [survey.id]


def test_the_summary_is_suppressed_below_the_threshold_then_shown(db_url: str) -> None:
    with session_scope(db_url) as session:
        coordinator = person(session, "coordinator")
        volunteer = person(session, "volunteer")
        analyst = person(session, "analyst")
        survey = new_survey(session, coordinator)
        for score in (5, 4):
            fill(session, volunteer, survey, score, 1, f"merci {score}")
        few = survey_summary(session, analyst, survey.id, threshold=3)
        fill(session, volunteer, survey, 3, 0, "plus d'heures")
        enough = survey_summary(session, analyst, survey.id, threshold=3)
        audits = session.exec(
            select(AuditEvent).where(AuditEvent.record_type == "satisfaction_response")
        ).all()
    scale = next(q for q in few.questions if q.kind == "scale_1_5")
    texts = next(q for q in few.questions if q.kind == "text")
    assert few.responses == 2
    assert (scale.n, scale.suppressed, scale.mean) == (2, True, None)
    assert texts.texts is None
    untouched = next(q for q in few.questions if q.position == 2)  # nobody answered it
    assert (untouched.n, untouched.suppressed) == (0, False)
    by_kind = {q.kind: q for q in enough.questions if q.n}
    assert by_kind["scale_1_5"].mean == 4.0
    assert by_kind["yes_no"].percent_yes == pytest.approx(66.7)
    assert by_kind["text"].texts == ["merci 4", "merci 5", "plus d'heures"]
    # Who typed each form in is audited; no client ever is.
    assert len(audits) == 3 and all(a.client_id is None for a in audits)
    assert all(a.user_id is not None for a in audits)


def test_answers_are_checked_and_roles_enforced(db_url: str) -> None:
    with session_scope(db_url) as session:
        coordinator = person(session, "coordinator")
        survey = new_survey(session, coordinator)
        scale = next(q.id for q in survey.questions if q.kind == "scale_1_5")
        for wrong in (AnswerInput(question_id=scale, score=6),
                      AnswerInput(question_id=scale, text="bien"),
                      AnswerInput(question_id=999_999, score=3)):  # fmt: skip
            with pytest.raises(InvalidInput):
                record_response(session, coordinator, survey.id, ResponseInput(answers=[wrong]))
        with pytest.raises(Forbidden):
            survey_summary(session, person(session, "dietitian"), survey.id, threshold=5)
        with pytest.raises(NotFound):
            survey_summary(session, person(session, "analyst", "sesame"), survey.id, threshold=5)
        with pytest.raises(Forbidden):
            new_survey(session, person(session, "volunteer"))
        assert len(session.exec(select(SatisfactionQuestion)).all()) == len(default_questions())
