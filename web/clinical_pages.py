"""Weights and the nutrition assessment: clinical data, for the dietitians of the program.

The use cases decide: anyone who may read the file sees the rows, with the figures of the
programs she holds no clinical permission for marked "restricted"; writing needs
CLINICAL_WRITE on the program (refused with the 403 page, audited, otherwise).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from core.errors import InvalidInput
from services.access.roles import Permission
from services.records.clients import read_client
from services.records.clinical import add_assessment, add_weight, list_assessments, list_weights
from web.forms import FormDep, parse_day, parse_decimal
from web.i18n import N_, explain
from web.records_common import actor_of, program_names, programs_of, translator
from web.refusals import RefusalsAsPages
from web.render import render
from web.session import CheckedDep, DatabaseDep, MemberDep, Visitor

router = APIRouter(prefix="/app/clients", include_in_schema=False, route_class=RefusalsAsPages)
DONE = {"weight": N_("The weight is recorded."), "assessment": N_("The assessment is recorded.")}
NUMBERS = ("pre_pregnancy_weight_kg", "height_cm", "calories_kcal", "protein_g")


def clinical_page(
    request: Request,
    visitor: Visitor,
    session: Any,
    client_id: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    done: str = "",
    status: int = 200,
) -> HTMLResponse:
    """Her weights and assessments as the reader may see them, and the forms to add one."""
    actor = actor_of(visitor)
    client = read_client(session, actor, client_id)
    programs = programs_of(session, client.organisation)
    return render(
        request,
        visitor,
        "clients/clinical.html",
        status=status,
        client=client,
        weights=list_weights(session, actor, client_id),
        assessments=list_assessments(session, actor, client_id),
        programs=list(program_names(programs, visitor.language).items()),
        program_names=program_names(programs, visitor.language),
        can_write=actor.has(Permission.CLINICAL_WRITE),
        errors=errors or {},
        values=values or {},
        done=DONE.get(done),
    )


@router.get("/{client_id}/clinical", response_class=HTMLResponse)
def clinical(
    request: Request, visitor: MemberDep, session: DatabaseDep, client_id: int, done: str = ""
) -> HTMLResponse:
    """Her weights and assessments."""
    return clinical_page(request, visitor, session, client_id, done=done)


def _back(client_id: int, done: str) -> RedirectResponse:
    return RedirectResponse(f"/app/clients/{client_id}/clinical?done={done}#done", status_code=303)


@router.post("/{client_id}/clinical/weights")
def new_weight(
    request: Request, visitor: CheckedDep, session: DatabaseDep, client_id: int, form: FormDep
) -> Response:
    """Record a weight (today unless told) in one of her organisation's programs."""
    _ = translator(visitor)
    errors: dict[str, str] = {}
    try:
        weight = parse_decimal(form.get("weight_kg"))
    except ValueError:
        weight = None
    if weight is None or weight <= 0:
        errors["weight_kg"] = _("Enter her weight in kilograms, e.g. 64.5.")
    try:
        measured_on = parse_day(form.get("measured_on"))
    except ValueError:
        errors["measured_on"] = _("Enter the day as year-month-day, e.g. 2026-03-21.")
    if not errors:
        assert weight is not None
        try:
            add_weight(
                session,
                actor_of(visitor),
                client_id,
                form.get("weight_program", ""),
                weight,
                measured_on,
            )
        except InvalidInput as refused:
            errors["weight_kg"] = _("The weight was not recorded: %(reason)s") % {
                "reason": explain(refused, _)
            }
        else:
            return _back(client_id, "weight")
    return clinical_page(
        request, visitor, session, client_id, errors=errors, values=form, status=422
    )


@router.post("/{client_id}/clinical/assessments")
def new_assessment(
    request: Request, visitor: CheckedDep, session: DatabaseDep, client_id: int, form: FormDep
) -> Response:
    """Record her assessment and prescription as the dietitian writes them."""
    _ = translator(visitor)
    errors: dict[str, str] = {}
    fields: dict[str, Any] = {}
    for name in NUMBERS:
        try:
            number = parse_decimal(form.get(name))
        except ValueError:
            errors[name] = _("Enter a positive number, e.g. 165 or 62.5.")
            continue
        if number is not None:
            fields[name] = int(number) if name in ("calories_kcal", "protein_g") else number
    for name in ("risk_factors", "supplements", "notes"):
        if form.get(name):
            fields[name] = form[name]
    try:
        day = parse_day(form.get("assessed_on"))
    except ValueError:
        errors["assessed_on"] = _("Enter the day as year-month-day, e.g. 2026-03-21.")
    else:
        if day is not None:
            fields["assessed_on"] = day
    if not errors:
        try:
            add_assessment(
                session, actor_of(visitor), client_id, form.get("assessment_program", ""), fields
            )
        except InvalidInput as refused:
            errors["calories_kcal"] = _("The assessment was not recorded: %(reason)s") % {
                "reason": explain(refused, _)
            }
        else:
            return _back(client_id, "assessment")
    return clinical_page(
        request, visitor, session, client_id, errors=errors, values=form, status=422
    )


def back_to_clinical(client_id: int) -> RedirectResponse:
    """A form's address opened as a page (the language switch after an error): this page."""
    return RedirectResponse(f"/app/clients/{client_id}/clinical", status_code=303)


for _part in ("weights", "assessments"):
    router.add_api_route(f"/{{client_id}}/clinical/{_part}", back_to_clinical, methods=["GET"])
