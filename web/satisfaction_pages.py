"""Satisfaction surveys: the list, a new survey of a program over a period, a paper form
typed in, and the summary per question, suppressed as the use case does it (no figure for a
question fewer than the threshold answered).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from core.errors import InvalidInput, NotFound
from services.access.roles import Permission
from services.records.satisfaction import (
    AnswerInput,
    ResponseInput,
    SurveyInput,
    SurveyView,
    create_survey,
    list_surveys,
    record_response,
    survey_summary,
)
from services.records.satisfaction_list import surveys_to_read
from web.coordinator_common import actor_of, gettext_of, organisation_of
from web.forms import PostedFormDep, checked_day, notice_of
from web.i18n import N_
from web.refusals import RefusalsAsPages
from web.render import render
from web.session import CheckedDep, DatabaseDep, MemberDep, SettingsDep, Visitor

router = APIRouter(prefix="/app/satisfaction", include_in_schema=False, route_class=RefusalsAsPages)
NOTICES = {
    "created": N_("The survey is created with the usual questions."),
    "recorded": N_("The form is recorded. You can type in the next one."),
}


@router.get("", response_class=HTMLResponse)
def surveys_page(
    request: Request, visitor: MemberDep, session: DatabaseDep, org: str | None = None
) -> HTMLResponse:
    """Her organisation's surveys and, for a coordinator, the form to create one."""
    return _surveys(request, visitor, session, org, values={}, errors={})


def _surveys(
    request: Request,
    visitor: Visitor,
    session: DatabaseDep,
    org: str | None,
    *,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    assert visitor.actor is not None
    # Who types forms in lists them with their questions; an analyst only reads results.
    recorder = visitor.actor.has(Permission.SATISFACTION_RECORD)
    needed = Permission.SATISFACTION_RECORD if recorder else Permission.SATISFACTION_READ
    actor = actor_of(visitor, needed)
    organisation, organisations = organisation_of(session, actor, needed, org)
    surveys: Sequence[object] = (
        list_surveys(session, actor, organisation.slug)
        if recorder
        else surveys_to_read(session, actor, organisation.slug)
    )
    names = {
        code: (name_fr if visitor.language == "fr" else name_en)
        for code, name_fr, name_en in organisation.programs
    }
    return render(
        request,
        visitor,
        "coordinator/satisfaction.html",
        status=status,
        organisation=organisation,
        organisations=organisations,
        surveys=surveys,
        record=recorder,
        program_names=names,
        program_options=list(names.items()),
        manage=actor.allows(Permission.SATISFACTION_MANAGE, organisation.id),
        read=actor.allows(Permission.SATISFACTION_READ, organisation.id),
        values=values,
        errors=errors,
    )


@router.post("", response_class=HTMLResponse)
def create(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    org: Annotated[str, Form()] = "",
    program: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    opens_on: Annotated[str, Form()] = "",
    closes_on: Annotated[str, Form()] = "",
) -> Response:
    """Create a survey of a program over a period (the usual questions are copied in)."""
    actor = actor_of(visitor, Permission.SATISFACTION_MANAGE)
    organisation, _c = organisation_of(session, actor, Permission.SATISFACTION_MANAGE, org or None)
    _ = gettext_of(visitor)
    values = {
        "program": program,
        "title": title.strip(),
        "opens_on": opens_on.strip(),
        "closes_on": closes_on.strip(),
    }
    errors: dict[str, str] = {}
    if program not in {code for code, _fr, _en in organisation.programs}:
        errors["program"] = _("Choose one of the programs listed.")
    if not values["title"]:
        errors["title"] = _("Enter the survey's title.")
    first = checked_day(values, "opens_on", errors, _)
    last = checked_day(values, "closes_on", errors, _)
    if first is not None and last is not None and last < first:
        errors["closes_on"] = _("The survey closes before it opens.")
    if errors or first is None or last is None:
        return _surveys(
            request, visitor, session, organisation.slug, values=values, errors=errors, status=422
        )
    created = create_survey(
        session,
        actor,
        organisation.slug,
        SurveyInput(program=program, title=values["title"][:200], opens_on=first, closes_on=last),
    )
    return RedirectResponse(f"/app/satisfaction/{created.id}?done=created", status_code=303)


def _survey(session: DatabaseDep, visitor: Visitor, survey_id: int) -> SurveyView:
    """The survey with its questions, if one of her organisations' (else 404)."""
    actor = actor_of(visitor, Permission.SATISFACTION_RECORD)
    _first, choices = organisation_of(session, actor, Permission.SATISFACTION_RECORD, None)
    for choice in choices:
        for survey in list_surveys(session, actor, choice.slug):
            if survey.id == survey_id:
                return survey
    raise NotFound(f"no survey {survey_id}")


@router.get("/{survey_id}", response_class=HTMLResponse)
def summary_page(
    request: Request,
    visitor: MemberDep,
    session: DatabaseDep,
    settings: SettingsDep,
    survey_id: int,
    done: str = "",
) -> HTMLResponse:
    """The summary per question (suppressed below the threshold) and the link to type in."""
    actor = actor_of(visitor, Permission.SATISFACTION_READ)
    summary = survey_summary(session, actor, survey_id, threshold=settings.suppression_threshold)
    _ = gettext_of(visitor)
    return render(
        request,
        visitor,
        "coordinator/satisfaction_summary.html",
        summary=summary,
        record=actor.has(Permission.SATISFACTION_RECORD),
        notice=notice_of(visitor, NOTICES, done),
    )


@router.get("/{survey_id}/response", response_class=HTMLResponse)
def response_form(
    request: Request, visitor: MemberDep, session: DatabaseDep, survey_id: int
) -> HTMLResponse:
    """The paper form to type in, question by question."""
    survey = _survey(session, visitor, survey_id)
    return render(
        request,
        visitor,
        "coordinator/satisfaction_response.html",
        survey=survey,
        values={},
        errors={},
    )


@router.post("/{survey_id}/response", response_class=HTMLResponse)
def type_in(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    survey_id: int,
    form: PostedFormDep,
) -> Response:
    """Record one paper form; unanswered questions are left out, at least one is needed."""
    actor = actor_of(visitor, Permission.SATISFACTION_RECORD)
    survey = _survey(session, visitor, survey_id)
    _ = gettext_of(visitor)
    answers: list[AnswerInput] = []
    errors: dict[str, str] = {}
    for question in survey.questions:
        name = f"q{question.id}"
        given = form.get(name, "").strip()
        if not given:
            continue
        if question.kind == "text":
            answers.append(AnswerInput(question_id=question.id, text=given[:1000]))
        elif given.isdigit():
            answers.append(AnswerInput(question_id=question.id, score=int(given)))
        else:
            errors[name] = _("Choose one of the answers listed.")
    # The day is optional here: left empty, the use case records today.
    submitted_on = (
        checked_day(form, "submitted_on", errors, _) if form.get("submitted_on") else None
    )
    if not answers and not errors:
        errors[f"q{survey.questions[0].id}"] = _("The form answers no question: nothing to record.")
    if not errors:
        try:
            record_response(
                session, actor, survey_id, ResponseInput(submitted_on=submitted_on, answers=answers)
            )
        except (InvalidInput, ValidationError):
            session.rollback()
            errors[f"q{survey.questions[0].id}"] = _("Choose one of the answers listed.")
        else:
            return RedirectResponse(f"/app/satisfaction/{survey_id}?done=recorded", 303)
    return render(
        request,
        visitor,
        "coordinator/satisfaction_response.html",
        status=422,
        survey=survey,
        values=form,
        errors=errors,
    )
