"""The dietitian's caseload, the search before intake, and intake with consent per purpose.

Intake always searches first: the form asks for the name and birth date, shows the files that
may be the same person (open one of them), and only then the intake form. If the intake itself
still finds candidates (another file opened meanwhile, or the search skipped), it shows them
and asks her to confirm that it is a different person (`force`).
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from core.errors import Forbidden, InvalidInput, NotFound
from services.access.roles import Permission
from services.records.client_models import ClientFields, ConsentInput, EnrolmentInput
from services.records.client_parts import enrol
from services.records.clients import search_clients
from services.records.duplicates import DuplicateSuspected, duplicate_candidates
from services.records.intake import open_client
from web.forms import FormDep, parse_day, parse_decimal
from web.i18n import N_, explain
from web.records_common import actor_of, programs_of, translator
from web.refusals import RefusalsAsPages
from web.render import render
from web.session import CheckedDep, DatabaseDep, MemberDep

router = APIRouter(prefix="/app/clients", include_in_schema=False, route_class=RefusalsAsPages)

STATUS_ORDER = ("active", "paused", "closed")
STATUS_NAMES = {"active": N_("Active"), "paused": N_("Paused"), "closed": N_("Closed")}
PURPOSES = (
    ("services", N_("Services"), N_("Follow-up, coupons and the services of the program.")),
    ("statistics", N_("Statistics"), N_("Counted, without her name, in the reports to funders.")),
    ("sharing", N_("Sharing with a named resource"), N_("Information sent to that resource.")),
    ("reminders", N_("Reminders"), N_("Calls or messages to remind her of appointments.")),
)
GIVEN_BY = {"client": N_("The client"), "parent": N_("A parent"), "guardian": N_("A guardian")}
METHODS = {"written": N_("Written"), "verbal": N_("Verbal"), "electronic": N_("Electronic")}
INTAKE_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "language",
    "phone",
    "email",
    "address",
    "postal_code",
    "household_members",
    "monthly_income",
    "monthly_rent",
    "referral_source",
    "program",
    "sharing_resource",
    "given_by",
    "given_by_name",
    "method",
    "text_version",
)


@router.get("", response_class=HTMLResponse)
def caseload(
    request: Request, visitor: MemberDep, session: DatabaseDep, q: str = "", status: str = ""
) -> HTMLResponse:
    """Her organisation's clients, active first, found by name or file number."""
    _ = translator(visitor)
    chosen = status if status in STATUS_ORDER else None
    page = search_clients(session, actor_of(visitor), text=q or None, status=chosen, per_page=200)
    items = sorted(page.items, key=lambda item: STATUS_ORDER.index(item.status))
    return render(
        request,
        visitor,
        "clients/caseload.html",
        items=items,
        total=page.total,
        q=q,
        status_filter=chosen or "",
        # Translated once, not once per row.
        status_names={code: _(name) for code, name in STATUS_NAMES.items()},
    )


def _intake_page(
    request: Request,
    visitor: Any,
    session: Any,
    *,
    values: dict[str, str],
    errors: dict[str, str],
    candidates: list[Any] | None,
    checked: bool,
    status: int = 200,
) -> HTMLResponse:
    # Intake opens the file in her only organisation (the use case refuses several).
    mine = visitor.profile.organisations if visitor.profile else []
    programs = programs_of(session, mine[0].slug) if len(mine) == 1 else []
    return render(
        request,
        visitor,
        "clients/intake.html",
        status=status,
        values=values,
        errors=errors,
        candidates=candidates,
        checked=checked,
        purposes=PURPOSES,
        given_by=GIVEN_BY,
        methods=METHODS,
        programs=programs,
    )


@router.get("/new", response_class=HTMLResponse)
def search_before_intake(
    request: Request,
    visitor: MemberDep,
    session: DatabaseDep,
    first_name: str = "",
    last_name: str = "",
    birth_date: str = "",
    check: int = 0,
) -> HTMLResponse:
    """Search for her first (name, birth date); then the files found and the intake form."""
    _ = translator(visitor)
    if not actor_of(visitor).has(Permission.CLIENTS_WRITE):
        raise Forbidden("your role does not open files")  # nothing read: nothing to audit
    values = {"first_name": first_name.strip(), "last_name": last_name.strip()}
    values["birth_date"] = birth_date.strip()
    errors: dict[str, str] = {}
    candidates = None
    if check:
        if not values["first_name"]:
            errors["first_name"] = _("Enter her first name.")
        if not values["last_name"]:
            errors["last_name"] = _("Enter her last name.")
        try:
            born = parse_day(values["birth_date"])
        except ValueError:
            errors["birth_date"] = _("Enter the birth date as year-month-day, e.g. 1994-03-21.")
        if not errors:
            candidates = duplicate_candidates(
                session, actor_of(visitor), values["first_name"], values["last_name"], born
            )
    return _intake_page(
        request,
        visitor,
        session,
        values=values,
        errors=errors,
        candidates=candidates,
        checked=bool(check) and not errors,
        status=422 if errors else 200,
    )


def _consents(fields: dict[str, str], errors: dict[str, str], _: Any) -> list[ConsentInput]:
    """The consents ticked on the intake form, all given alike (who, how, which text)."""
    ticked = [purpose for purpose, _name, _hint in PURPOSES if fields.get(f"consent_{purpose}")]
    if not ticked:
        return []
    if not fields.get("text_version"):
        errors["text_version"] = _("Enter the version of the consent text she read.")
    if "sharing" in ticked and not fields.get("sharing_resource"):
        errors["sharing_resource"] = _("Name the resource her information may be shared with.")
    given_by = fields.get("given_by") or "client"
    if given_by != "client" and not fields.get("given_by_name"):
        errors["given_by_name"] = _("Enter the name of the person who gave consent.")
    if errors:
        return []
    try:
        return [
            ConsentInput.model_validate(
                {
                    "purpose": purpose,
                    "resource": fields.get("sharing_resource") if purpose == "sharing" else None,
                    "given_by": given_by,
                    "given_by_name": fields.get("given_by_name") or None,
                    "method": fields.get("method") or "written",
                    "text_version": fields["text_version"],
                }
            )
            for purpose in ticked
        ]
    except ValidationError:
        errors["given_by"] = _("Choose who gave consent and how from the lists.")
        return []


def _client_fields(fields: dict[str, str], errors: dict[str, str], _: Any) -> ClientFields | None:
    """The person's fields, each checked with a message of its own."""
    if not fields.get("first_name"):
        errors["first_name"] = _("Enter her first name.")
    if not fields.get("last_name"):
        errors["last_name"] = _("Enter her last name.")
    values: dict[str, Any] = {
        name: fields.get(name) or None
        for name in ("phone", "email", "address", "postal_code", "household_members")
    }
    values["referral_source"] = fields.get("referral_source") or None
    try:
        values["birth_date"] = parse_day(fields.get("birth_date"))
    except ValueError:
        errors["birth_date"] = _("Enter the birth date as year-month-day, e.g. 1994-03-21.")
    for name in ("monthly_income", "monthly_rent"):
        try:
            values[name] = parse_decimal(fields.get(name))
        except ValueError:
            errors[name] = _("Enter an amount in dollars, e.g. 1250 or 1250.50.")
    if errors:
        return None
    try:
        return ClientFields.model_validate(
            {
                **values,
                "first_name": fields["first_name"],
                "last_name": fields["last_name"],
                "language": fields.get("language") if fields.get("language") == "en" else "fr",
            }
        )
    except ValidationError as error:
        for problem in error.errors():
            name = str(problem["loc"][0]) if problem["loc"] else "first_name"
            errors[name] = _("This value is too long or not valid.")
        return None


@router.post("/new", response_class=HTMLResponse)
def intake(request: Request, visitor: CheckedDep, session: DatabaseDep, form: FormDep) -> Response:
    """Open the file (duplicate check, consents, enrolment); show candidates when suspected."""
    _ = translator(visitor)
    actor = actor_of(visitor)
    values = {name: form.get(name, "") for name in INTAKE_FIELDS}
    values.update({f"consent_{p}": form.get(f"consent_{p}", "") for p, _n, _h in PURPOSES})
    errors: dict[str, str] = {}
    fields = _client_fields(form, errors, _)
    consents = _consents(form, errors, _)
    candidates = None
    if fields is not None and not errors:
        try:
            opened = open_client(
                session, actor, None, fields, consents=consents, force=form.get("force") == "1"
            )
        except DuplicateSuspected as suspected:
            candidates = suspected.candidates
            errors["force"] = _(
                "Files may be this person: open one of them, or confirm she is a different person."
            )
        except InvalidInput as refused:
            errors["first_name"] = _("The file was not opened: %(reason)s") % {
                "reason": explain(refused, _)
            }
        else:
            if form.get("program"):
                # The file is open either way; a program refused can be chosen on it.
                with suppress(InvalidInput, NotFound):
                    enrol(session, actor, opened.id, EnrolmentInput(program=form["program"]))
            return RedirectResponse(f"/app/clients/{opened.id}?done=opened", status_code=303)
    return _intake_page(
        request,
        visitor,
        session,
        values=values,
        errors=errors,
        candidates=candidates,
        checked=True,
        status=409 if candidates else 422,
    )
