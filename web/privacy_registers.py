"""The privacy officer's registers: access requests with their due dates, and incidents.

Forms follow the sign-in form: a label and a hint per field, an error summary linking to the
fields, the values kept on error. Each write goes through its use case (audited, committed).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from core.errors import Forbidden, InvalidInput, NotFound
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.access_requests import (
    AccessRequestChange,
    NewAccessRequest,
    list_requests,
    record_request,
    update_request,
)
from services.records.export import find_client
from services.records.incidents import (
    IncidentChange,
    NewIncident,
    list_incidents,
    record_incident,
    update_incident,
)
from services.records.scope import organisation_for
from web.forms import day_field
from web.i18n import N_
from web.privacy_common import PREFIX, blank, officer, refusal, signed
from web.render import render
from web.session import CheckedDep, DatabaseDep, MemberDep, Visitor

router = APIRouter(prefix=PREFIX, include_in_schema=False)
KINDS = {
    "access": N_("Access to her data"),
    "correction": N_("Correction"),
    "portability": N_("Portability (a copy to carry away)"),
}
TextForm = Annotated[str, Form()]


def _requests_page(
    request: Request,
    visitor: Visitor,
    session: Session,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    answering: int | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    actor = officer(visitor, Permission.PRIVACY_MANAGE)
    return render(
        request,
        visitor,
        "privacy/requests.html",
        status=status,
        requests=list_requests(session, actor),
        kinds=KINDS,
        errors=errors or {},
        form=form or {"kind": "access", "received_on": date.today().isoformat()},
        answering=answering,
        notice=notice,
    )


@router.get("/requests", response_class=HTMLResponse)
def requests_list(
    request: Request, visitor: MemberDep, session: DatabaseDep, done: str = ""
) -> HTMLResponse:
    """The requests, oldest due first, overdue ones said in words; the form to record one."""
    notice = {"added": N_("The request was recorded."), "answered": N_("The answer was recorded.")}
    return _requests_page(request, visitor, session, notice=notice.get(done))


@router.post("/requests", response_model=None)
def requests_add(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    kind: TextForm = "",
    requester: TextForm = "",
    received_on: TextForm = "",
    file_number: TextForm = "",
    notes: TextForm = "",
) -> Response:
    """Record a request as received; due 30 days later."""
    actor = officer(signed(visitor), Permission.PRIVACY_MANAGE)
    form = {"kind": kind, "requester": requester, "received_on": received_on,
            "file_number": file_number, "notes": notes}  # fmt: skip
    errors: dict[str, str] = {}
    if kind not in KINDS:
        errors["kind"] = N_("Choose the kind of request.")
    if not requester.strip():
        errors["requester"] = N_("Enter who made the request.")
    received = day_field(received_on, "received_on", errors, required=True)
    if received and received > date.today():
        errors["received_on"] = N_("The date cannot be in the future.")
    client_id = None
    if file_number.strip() and not errors:
        try:
            org = organisation_for(session, actor, Permission.PRIVACY_MANAGE, None)
            client_id = find_client(session, actor, file_number.strip(), org.slug)
        except NotFound:
            errors["file_number"] = N_("No client file has this number in your organisation.")
    if not errors and received is not None:
        try:
            record_request(
                session,
                actor,
                NewAccessRequest(
                    kind=kind,  # checked against KINDS above
                    requester=requester.strip()[:200],
                    received_on=received,
                    client_id=client_id,
                    notes=blank(notes),
                ),
            )
            return RedirectResponse(f"{PREFIX}/requests?done=added", status_code=303)
        except NotFound:
            errors["file_number"] = N_("No client file has this number in your organisation.")
        except (Forbidden, InvalidInput) as error:
            return refusal(request, visitor, Forbidden(str(error)))
    return _requests_page(request, visitor, session, status=422, errors=errors, form=form)


@router.post("/requests/{request_id}", response_model=None)
def requests_answer(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    request_id: int,
    answered_on: TextForm = "",
    notes: TextForm = "",
) -> Response:
    """Record the day a request was answered (and notes on the answer)."""
    actor = officer(signed(visitor), Permission.PRIVACY_MANAGE)
    errors: dict[str, str] = {}
    answered = day_field(answered_on, f"answered_on-{request_id}", errors, required=True)
    if answered and answered > date.today():
        errors[f"answered_on-{request_id}"] = N_("The date cannot be in the future.")
    if not errors and answered is not None:
        change = AccessRequestChange(answered_on=answered)
        if notes.strip():
            change.notes = notes.strip()[:1000]
        try:
            update_request(session, actor, request_id, change)
            return RedirectResponse(f"{PREFIX}/requests?done=answered", status_code=303)
        except NotFound as error:
            return refusal(request, visitor, error)
        except InvalidInput:
            errors[f"answered_on-{request_id}"] = N_(
                "The answer cannot be dated before the request was received."
            )
    return _requests_page(
        request, visitor, session, status=422, errors=errors, answering=request_id
    )


@router.get("/incidents", response_class=HTMLResponse)
def incidents_list(
    request: Request, visitor: MemberDep, session: DatabaseDep, done: str = ""
) -> HTMLResponse:
    """The register, newest discovery first, saying which notices are still owed."""
    actor = officer(visitor, Permission.PRIVACY_MANAGE)
    notice = {"added": N_("The incident was recorded."), "updated": N_("The entry was updated.")}
    return render(
        request,
        visitor,
        "privacy/incidents.html",
        incidents=list_incidents(session, actor),
        notice=notice.get(done),
    )


@router.get("/incidents/new", response_class=HTMLResponse)
def incident_new(request: Request, visitor: MemberDep) -> HTMLResponse:
    """The form to record an incident."""
    officer(visitor, Permission.PRIVACY_MANAGE)
    form = {"discovered_on": date.today().isoformat()}
    return render(
        request, visitor, "privacy/incident_form.html", incident_id=None, form=form, errors={}
    )


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_edit(
    request: Request, visitor: MemberDep, session: DatabaseDep, incident_id: int
) -> HTMLResponse:
    """An entry's form, filled, to complete it (notices sent, measures taken)."""
    actor = officer(visitor, Permission.PRIVACY_MANAGE)
    found = [entry for entry in list_incidents(session, actor) if entry.id == incident_id]
    if not found:
        return refusal(request, visitor, NotFound(f"no incident {incident_id}"))
    form = {
        name: ("yes" if value is True else "" if value is None or value is False else str(value))
        for name, value in found[0].model_dump().items()
    }
    return render(
        request,
        visitor,
        "privacy/incident_form.html",
        incident_id=incident_id,
        form=form,
        errors={},
    )


def _incident_fields(form: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    """The form's fields as the use case takes them; what is wrong in `errors`."""
    fields: dict[str, Any] = {
        "information_concerned": form["information_concerned"].strip(),
        "circumstances": form["circumstances"].strip(),
        "risk_assessment": blank(form["risk_assessment"]),
        "measures_taken": blank(form["measures_taken"]),
        "serious_harm_risk": form["serious_harm_risk"] == "yes",
    }
    if not fields["information_concerned"]:
        errors["information_concerned"] = N_("Say what information was concerned.")
    if not fields["circumstances"]:
        errors["circumstances"] = N_("Describe the circumstances.")
    for name in ("occurred_on", "discovered_on", "commission_notified_on", "people_notified_on"):
        fields[name] = day_field(form[name], name, errors, required=name == "discovered_on")
    people = form["people_affected"].strip()
    fields["people_affected"] = None
    if people:
        if people.isdigit():
            fields["people_affected"] = int(people)
        else:
            errors["people_affected"] = N_("Enter a whole number, or leave it empty.")
    discovered = fields["discovered_on"]
    if discovered is not None:
        if fields["occurred_on"] is not None and fields["occurred_on"] > discovered:
            errors["occurred_on"] = N_("An incident cannot happen after its discovery.")
        for name in ("commission_notified_on", "people_notified_on"):
            if fields[name] is not None and fields[name] < discovered:
                errors[name] = N_("A notice cannot be sent before the discovery.")
    return fields


@router.post("/incidents", response_model=None)
@router.post("/incidents/{incident_id}", response_model=None)
def incident_save(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    incident_id: int | None = None,
    information_concerned: TextForm = "",
    circumstances: TextForm = "",
    occurred_on: TextForm = "",
    discovered_on: TextForm = "",
    people_affected: TextForm = "",
    serious_harm_risk: TextForm = "",
    risk_assessment: TextForm = "",
    commission_notified_on: TextForm = "",
    people_notified_on: TextForm = "",
    measures_taken: TextForm = "",
) -> Response:
    """Record a new incident, or save the changes to an entry."""
    actor = officer(signed(visitor), Permission.PRIVACY_MANAGE)
    form = {
        "information_concerned": information_concerned,
        "circumstances": circumstances,
        "occurred_on": occurred_on,
        "discovered_on": discovered_on,
        "people_affected": people_affected,
        "serious_harm_risk": serious_harm_risk,
        "risk_assessment": risk_assessment,
        "commission_notified_on": commission_notified_on,
        "people_notified_on": people_notified_on,
        "measures_taken": measures_taken,
    }
    errors: dict[str, str] = {}
    fields = _incident_fields(form, errors)
    if not errors:
        try:
            return _save(session, actor, incident_id, fields)
        except NotFound as error:
            return refusal(request, visitor, error)
        except (InvalidInput, ValidationError):
            errors["discovered_on"] = N_("Check the dates: they are out of order.")
    return render(
        request,
        visitor,
        "privacy/incident_form.html",
        status=422,
        incident_id=incident_id,
        form=form,
        errors=errors,
    )


def _save(
    session: Session, actor: Actor, incident_id: int | None, fields: dict[str, Any]
) -> RedirectResponse:
    if incident_id is None:
        record_incident(session, actor, NewIncident(**fields))
        return RedirectResponse(f"{PREFIX}/incidents?done=added", status_code=303)
    update_incident(session, actor, incident_id, IncidentChange(**fields))
    return RedirectResponse(f"{PREFIX}/incidents?done=updated", status_code=303)
