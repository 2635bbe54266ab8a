"""The client file: her details, timeline, consents, contacts, enrolments, and quick logging.

Logging a service takes one click from the file: each kind is a button of one form, posting
with the defaults the use case applies (today, in person or by phone, the program of her only
current enrolment). A referral needs the resource typed, then one click.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from core.errors import InvalidInput, NotFound
from services.access.roles import Permission
from services.records.client_models import (
    ConsentInput,
    ContactInput,
    EnrolmentInput,
    StatusChange,
)
from services.records.client_parts import add_contact, enrol, list_contacts, list_enrolments
from services.records.clients import change_status, read_client
from services.records.consent_records import give_consent, list_consents, withdraw_consent
from services.records.events import log_event
from services.records.referrals import refer
from services.records.timeline import client_timeline
from web.clients import GIVEN_BY, METHODS, PURPOSES, STATUS_NAMES
from web.forms import FormDep, parse_count, parse_day
from web.i18n import N_, explain
from web.records_common import actor_of, program_names, programs_of, translator
from web.refusals import RefusalsAsPages
from web.render import render
from web.session import CheckedDep, DatabaseDep, MemberDep, Visitor

router = APIRouter(prefix="/app/clients", include_in_schema=False, route_class=RefusalsAsPages)

# One button per kind: the mode each is usually given in.
QUICK_KINDS = (
    ("individual_consultation", "in_person", N_("Consultation")),
    ("phone_follow_up", "phone", N_("Phone follow-up")),
    ("group_attendance", "in_person", N_("Group attendance")),
    ("home_visit", "home", N_("Home visit")),
)
KIND_NAMES = {
    "intake": N_("Intake"),
    "individual_consultation": N_("Consultation"),
    "phone_follow_up": N_("Phone follow-up"),
    "home_visit": N_("Home visit"),
    "group_attendance": N_("Group attendance"),
    "referral": N_("Referral"),
    "distribution": N_("Coupon distribution"),
}
ENTRY_NAMES = {
    "event": N_("Service"),
    "attendance": N_("Group session"),
    "referral": N_("Referral"),
    "pregnancy": N_("Pregnancy"),
    "infant": N_("Infant"),
    "assessment": N_("Nutrition assessment"),
    "weight": N_("Weight"),
}
MODE_NAMES = {
    "in_person": N_("in person"),
    "phone": N_("by phone"),
    "video": N_("by video"),
    "home": N_("at home"),
}
CONTACT_KINDS = {"emergency": N_("Emergency contact"), "referent": N_("Referent")}
DONE = {
    "opened": N_("The file is open."),
    "logged": N_("The service is logged."),
    "referred": N_("The referral is logged."),
    "withdrawn": N_("The consent is withdrawn."),
    "consented": N_("The consent is recorded."),
    "enrolled": N_("She is enrolled."),
    "status": N_("The status is changed."),
    "contact": N_("The contact is added."),
}


def file_page(
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
    """The file as she may see it (each use case reads, checks and audits its part)."""
    actor = actor_of(visitor)
    client = read_client(session, actor, client_id)
    enrolments = list_enrolments(session, actor, client_id)
    today = date.today()
    current = [
        e for e in enrolments if e.starts_on <= today and (e.ends_on is None or e.ends_on >= today)
    ]
    programs = programs_of(session, client.organisation)
    names = program_names(programs, visitor.language)
    _ = translator(visitor)
    return render(
        request,
        visitor,
        "clients/file.html",
        status=status,
        client=client,
        timeline=list(reversed(client_timeline(session, actor, client_id))),
        consents=list_consents(session, actor, client_id),
        contacts=list_contacts(session, actor, client_id),
        enrolments=enrolments,
        current_programs=[e.program for e in current],
        programs=programs,
        program_names=names,
        programs_options=list(names.items()),
        contact_options=[(code, _(name)) for code, name in CONTACT_KINDS.items()],
        status_options=[(code, _(name)) for code, name in STATUS_NAMES.items()],
        errors=errors or {},
        values=values or {},
        done=DONE.get(done),
        quick_kinds=QUICK_KINDS,
        kind_names=KIND_NAMES,
        entry_names=ENTRY_NAMES,
        mode_names=MODE_NAMES,
        status_names=STATUS_NAMES,
        purposes={code: name for code, name, _hint in PURPOSES},
        given_by=GIVEN_BY,
        methods=METHODS,
        purpose_options=[(code, _(name)) for code, name, _hint in PURPOSES],
        given_by_options=[(code, _(name)) for code, name in GIVEN_BY.items()],
        method_options=[(code, _(name)) for code, name in METHODS.items()],
        contact_kinds=CONTACT_KINDS,
        can_write=actor.has(Permission.CLIENTS_WRITE),
        can_log=actor.has(Permission.SERVICES_WRITE),
    )


@router.get("/{client_id}", response_class=HTMLResponse)
def client_file(
    request: Request, visitor: MemberDep, session: DatabaseDep, client_id: int, done: str = ""
) -> HTMLResponse:
    """The client file and its timeline; a note says what the last form did."""
    return file_page(request, visitor, session, client_id, done=done)


def _back(client_id: int, done: str) -> RedirectResponse:
    return RedirectResponse(f"/app/clients/{client_id}?done={done}#done", status_code=303)


@router.post("/{client_id}/events")
def log_service(
    request: Request, visitor: CheckedDep, session: DatabaseDep, client_id: int, form: FormDep
) -> Response:
    """Log one service with the defaults of its button (today, its mode, her program)."""
    _ = translator(visitor)
    kind = form.get("kind", "")
    modes = {code: mode for code, mode, _name in QUICK_KINDS}
    errors: dict[str, str] = {}
    try:
        occurred_on = parse_day(form.get("occurred_on")) or date.today()
    except ValueError:
        errors["occurred_on"] = _("Enter the day as year-month-day, e.g. 2026-03-21.")
    try:
        minutes = parse_count(form.get("duration_minutes"))
    except ValueError:
        errors["duration_minutes"] = _("Enter the duration in whole minutes, e.g. 45.")
    if kind not in modes:
        errors["quick-log"] = _("Choose the kind of service with one of its buttons.")
    if not errors:
        try:
            log_event(
                session,
                actor_of(visitor),
                client_id,
                kind,
                program=form.get("program") or None,
                occurred_on=occurred_on,
                duration_minutes=minutes or None,
                mode=modes[kind],
                notes=form.get("notes") or None,
                notes_restricted=bool(form.get("notes_restricted")),
            )
        except InvalidInput as refused:
            errors["program"] = _("The service was not logged: %(reason)s") % {
                "reason": explain(refused, _)
            }
        else:
            return _back(client_id, "logged")
    return file_page(request, visitor, session, client_id, errors=errors, values=form, status=422)


@router.post("/{client_id}/referrals")
def log_referral(
    request: Request, visitor: CheckedDep, session: DatabaseDep, client_id: int, form: FormDep
) -> Response:
    """Refer her to a resource, sharing her information only under her consent."""
    _ = translator(visitor)
    errors: dict[str, str] = {}
    if not form.get("resource"):
        errors["resource"] = _("Name the resource she is referred to.")
    else:
        try:
            refer(
                session,
                actor_of(visitor),
                client_id,
                form["resource"],
                reason=form.get("reason") or None,
                shared_information=bool(form.get("shared_information")),
            )
        except InvalidInput:
            errors["shared_information"] = _(
                "Consent missing: she has no sharing consent in force for this resource. "
                "Record her consent first, or refer without sharing information."
            )
        else:
            return _back(client_id, "referred")
    return file_page(request, visitor, session, client_id, errors=errors, values=form, status=422)


@router.post("/{client_id}/consents")
def new_consent(
    request: Request, visitor: CheckedDep, session: DatabaseDep, client_id: int, form: FormDep
) -> Response:
    """Record a consent she gives now, for one purpose."""
    _ = translator(visitor)
    errors: dict[str, str] = {}
    if not form.get("consent_text_version"):
        errors["consent_text_version"] = _("Enter the version of the consent text she read.")
    if form.get("consent_purpose") == "sharing" and not form.get("consent_resource"):
        errors["consent_resource"] = _("Name the resource her information may be shared with.")
    if not errors:
        try:
            consent = ConsentInput.model_validate(
                {
                    "purpose": form.get("consent_purpose"),
                    "resource": form.get("consent_resource") or None,
                    "given_by": form.get("consent_given_by") or "client",
                    "given_by_name": form.get("consent_given_by_name") or None,
                    "method": form.get("consent_method") or "written",
                    "text_version": form["consent_text_version"],
                }
            )
            give_consent(session, actor_of(visitor), client_id, consent)
        except (InvalidInput, ValidationError) as refused:
            errors["consent_purpose"] = _("The consent was not recorded: %(reason)s") % {
                "reason": explain(refused, _)
            }
        else:
            return _back(client_id, "consented")
    return file_page(request, visitor, session, client_id, errors=errors, values=form, status=422)


@router.post("/{client_id}/consents/{consent_id}/withdraw")
def withdraw(
    visitor: CheckedDep, session: DatabaseDep, client_id: int, consent_id: int
) -> RedirectResponse:
    """Record that she withdrew a consent, from today."""
    withdraw_consent(session, actor_of(visitor), client_id, consent_id)
    return _back(client_id, "withdrawn")


@router.post("/{client_id}/enrolments")
def enrol_client(
    request: Request, visitor: CheckedDep, session: DatabaseDep, client_id: int, form: FormDep
) -> Response:
    """Enrol her in a program of her organisation, from today."""
    _ = translator(visitor)
    try:
        enrol(session, actor_of(visitor), client_id, EnrolmentInput(program=form.get("enrol", "")))
    except (InvalidInput, NotFound, ValidationError):
        errors = {"enrol": _("Choose a program she is not enrolled in yet.")}
        return file_page(
            request, visitor, session, client_id, errors=errors, values=form, status=422
        )
    return _back(client_id, "enrolled")


@router.post("/{client_id}/status")
def set_status(
    request: Request, visitor: CheckedDep, session: DatabaseDep, client_id: int, form: FormDep
) -> Response:
    """Set the file active, paused or closed (pausing and closing say why)."""
    _ = translator(visitor)
    try:
        change = StatusChange.model_validate(
            {"status": form.get("status"), "reason": form.get("reason") or None}
        )
        change_status(session, actor_of(visitor), client_id, change)
    except (InvalidInput, ValidationError):
        errors = {"reason": _("Choose a status; pausing or closing the file needs a reason.")}
        return file_page(
            request, visitor, session, client_id, errors=errors, values=form, status=422
        )
    return _back(client_id, "status")


@router.post("/{client_id}/contacts")
def new_contact(
    request: Request, visitor: CheckedDep, session: DatabaseDep, client_id: int, form: FormDep
) -> Response:
    """Add someone to call about her."""
    _ = translator(visitor)
    try:
        contact = ContactInput.model_validate(
            {
                "kind": form.get("contact_kind"),
                "name": form.get("contact_name"),
                "phone": form.get("contact_phone") or None,
                "relation": form.get("contact_relation") or None,
            }
        )
    except ValidationError:
        errors = {"contact_name": _("Enter the contact's name and choose the kind of contact.")}
        return file_page(
            request, visitor, session, client_id, errors=errors, values=form, status=422
        )
    add_contact(session, actor_of(visitor), client_id, contact)
    return _back(client_id, "contact")


def back_to_file(client_id: int) -> RedirectResponse:
    """A form's address opened as a page (the language switch after an error): the file."""
    return RedirectResponse(f"/app/clients/{client_id}", status_code=303)


for _part in ("events", "referrals", "consents", "enrolments", "status", "contacts"):
    router.add_api_route(f"/{{client_id}}/{_part}", back_to_file, methods=["GET"])
