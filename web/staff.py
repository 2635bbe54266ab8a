"""Staff accounts of her organisation: the list with their roles, a new account, disabling one.

Least privilege (services/access/staff.py): she gives coordinator, dietitian, volunteer or
analyst roles in her own organisation only; admin and privacy officer accounts are created by
the operator at the command line, and the page says so. The password is typed twice and
stored as an Argon2 hash by the existing use case.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from core.errors import Forbidden, InvalidInput, NotFound
from services.access.passwords import MIN_LENGTH, check_new_password
from services.access.roles import Permission
from services.access.staff import GRANTABLE_ROLES, create_staff, disable_staff, list_staff
from web.coordinator_common import actor_of, gettext_of, organisation_of
from web.i18n import N_
from web.refusals import RefusalsAsPages
from web.render import render
from web.sections import ROLE_NAMES
from web.session import CheckedDep, DatabaseDep, MemberDep, Visitor

router = APIRouter(prefix="/app/staff", include_in_schema=False, route_class=RefusalsAsPages)
FIELDS = ("email", "display_name", "role", "program")
NOTICES = {
    "created": N_("The account %(email)s was created. Give its password to its owner in person."),
    "disabled": N_("The account %(email)s is disabled: it can no longer sign in."),
}


@router.get("", response_class=HTMLResponse)
def staff_page(
    request: Request,
    visitor: MemberDep,
    session: DatabaseDep,
    org: str | None = None,
    done: str | None = None,
    email: str | None = None,
) -> HTMLResponse:
    """Her organisation's accounts and the form for a new one."""
    _ = gettext_of(visitor)
    notice = _(NOTICES[done]) % {"email": email or ""} if done in NOTICES else None
    return _page(request, visitor, session, org, values={}, errors={}, notice=notice)


def _page(
    request: Request,
    visitor: Visitor,
    session: DatabaseDep,
    org: str | None,
    *,
    values: dict[str, str],
    errors: dict[str, str],
    notice: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    actor = actor_of(visitor, Permission.USERS_MANAGE)
    organisation, organisations = organisation_of(session, actor, Permission.USERS_MANAGE, org)
    _ = gettext_of(visitor)
    members = list_staff(session, actor, organisation.slug)
    programs = [
        (code, name_fr if visitor.language == "fr" else name_en)
        for code, name_fr, name_en in organisation.programs
    ]
    return render(
        request,
        visitor,
        "coordinator/staff.html",
        status=status,
        organisation=organisation,
        organisations=organisations,
        members=members,
        program_names=dict(programs),
        role_options=[(role.value, _(ROLE_NAMES[role.value])) for role in GRANTABLE_ROLES],
        program_options=[("", _("All programs of the organisation")), *programs],
        role_names=ROLE_NAMES,
        values=values,
        errors=errors,
        notice=notice,
        min_length=MIN_LENGTH,
        me=actor.email,
    )


@router.post("", response_class=HTMLResponse)
def create(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    org: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    display_name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    program: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    password_again: Annotated[str, Form()] = "",
) -> Response:
    """Create the account; on an error show the form again with what she typed (not passwords)."""
    actor = actor_of(visitor, Permission.USERS_MANAGE)
    organisation, _choices = organisation_of(session, actor, Permission.USERS_MANAGE, org or None)
    _ = gettext_of(visitor)
    values = {
        "email": email.strip(),
        "display_name": display_name.strip(),
        "role": role,
        "program": program,
    }
    errors: dict[str, str] = {}
    if "@" not in values["email"]:
        errors["email"] = _("Enter an email address, like name@example.org.")
    if role not in {grantable.value for grantable in GRANTABLE_ROLES}:
        errors["role"] = _("Choose one of the roles listed.")
    if program and program not in {code for code, _fr, _en in organisation.programs}:
        errors["program"] = _("Choose one of the programs listed.")
    try:
        check_new_password(password)
    except InvalidInput:
        errors["password"] = _(
            "The password needs %(n)s characters or more, without spaces at either end."
        ) % {"n": MIN_LENGTH}
    if not errors.get("password") and password != password_again:
        errors["password_again"] = _("The two passwords differ: type the same one twice.")
    if not errors:
        try:
            create_staff(
                session,
                actor,
                organisation.slug,
                email=values["email"],
                password=password,
                role=role,
                program=program or None,
                display_name=values["display_name"],
            )
        except Forbidden:
            errors["role"] = _("This role is given by the operator only.")
        except InvalidInput as error:
            session.rollback()
            if "already" in str(error):
                errors["email"] = _(
                    "An account already uses this email address. To give it a role here, "
                    "ask the operator."
                )
            else:
                errors["email"] = _("Enter an email address, like name@example.org.")
        else:
            query = urlencode({"org": organisation.slug, "done": "created", "email": email})
            return RedirectResponse(f"/app/staff?{query}", status_code=303)
    return _page(
        request, visitor, session, organisation.slug, values=values, errors=errors, status=422
    )


@router.post("/disable")
def disable(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    org: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
) -> Response:
    """Disable an account of her organisation (not hers, nor one the operator gave)."""
    actor = actor_of(visitor, Permission.USERS_MANAGE)
    organisation, _choices = organisation_of(session, actor, Permission.USERS_MANAGE, org or None)
    _ = gettext_of(visitor)
    try:
        disable_staff(session, actor, organisation.slug, email)
    except Forbidden as error:
        session.rollback()
        reason = str(error)
        message = _("This account cannot be disabled here: ask the operator.")
        if "your own" in reason:
            message = _("You cannot disable your own account.")
        return _page(
            request,
            visitor,
            session,
            organisation.slug,
            values={},
            errors={"staff-list": message},
            status=403,
        )
    except NotFound:
        raise
    query = urlencode({"org": organisation.slug, "done": "disabled", "email": email})
    return RedirectResponse(f"/app/staff?{query}", status_code=303)
