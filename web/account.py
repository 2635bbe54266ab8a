"""Sign in, sign out, the signed-in home, the language choice, and the sections by role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from core.errors import TooManyRequests, Unauthorized
from services.access.profile import set_language
from services.access.signin import sign_in
from services.access.tokens import revoke_token
from web.i18n import N_, supported
from web.render import render
from web.sections import BY_SLUG, ROLE_NAMES, sections_for
from web.session import (
    LANG_COOKIE,
    LANG_MAX_AGE,
    CheckedDep,
    DatabaseDep,
    MemberDep,
    SettingsDep,
    VisitorDep,
    apply_cookies,
    client_address,
    end_session,
    start_session,
)

router = APIRouter(prefix="/app", include_in_schema=False)
HOME = "/app/home"


class SectionForbidden(Exception):
    """A signed-in person opened a section her roles do not open (answered 403 with a page)."""


def local_path(target: str | None, default: str = HOME) -> str:
    """A redirect target inside the app only: never another site (an open redirect)."""
    if target and target.startswith("/app") and not target.startswith("//"):
        return target
    return default


@router.get("", include_in_schema=False)
def start(visitor: VisitorDep) -> RedirectResponse:
    """The app's address: home when signed in, the public costs otherwise."""
    return RedirectResponse(HOME if visitor.signed_in else "/app/costs", status_code=303)


@router.get("/signin", response_class=HTMLResponse)
def signin_page(
    request: Request, visitor: VisitorDep, next: str | None = None, out: int = 0
) -> Response:
    """The sign-in form (or home, for someone signed in already)."""
    if visitor.signed_in:
        return RedirectResponse(local_path(next), status_code=303)
    notice = N_("You are signed out.") if out else None
    if visitor.expired:
        notice = N_("Your session has expired: sign in again.")
    return render(
        request, visitor, "signin.html", errors={}, email="", next=local_path(next), notice=notice
    )


@router.post("/signin", response_class=HTMLResponse)
def signin(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    settings: SettingsDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = HOME,
) -> Response:
    """Check the password; on success start the session and go on, else show what is wrong."""
    errors: dict[str, str] = {}
    if not email.strip():
        errors["email"] = N_("Enter your email address.")
    if not password:
        errors["password"] = N_("Enter your password.")
    status = 422
    if not errors:
        try:
            token, lifetime = sign_in(
                session,
                email,
                password,
                source=client_address(request),
                token_days=settings.token_days,
                max_failures=settings.login_max_failures,
                window_minutes=settings.login_window_minutes,
            )
        except Unauthorized:
            errors["email"] = N_("The email address or the password is wrong.")
            status = 401
        except TooManyRequests:
            errors["email"] = N_(
                "Too many failed attempts: wait %(minutes)s minutes and try again."
            )
            status = 429
        else:
            response = RedirectResponse(local_path(next), status_code=303)
            start_session(request, response, token, lifetime)
            return response
    return render(
        request,
        visitor,
        "signin.html",
        status=status,
        errors=errors,
        email=email,
        next=local_path(next),
        notice=None,
        minutes=settings.login_window_minutes,
    )


@router.post("/signout")
def signout(visitor: CheckedDep, session: DatabaseDep) -> RedirectResponse:
    """Revoke the session's token and remove its cookie."""
    if visitor.token:
        revoke_token(session, visitor.token)
    response = RedirectResponse("/app/signin?out=1", status_code=303)
    end_session(response)
    return response


@router.post("/language")
def language(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    lang: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = HOME,
) -> RedirectResponse:
    """Choose the language: kept on her account when signed in, in a cookie otherwise."""
    chosen = supported(lang)
    response = RedirectResponse(local_path(next), status_code=303)
    if chosen is None:
        return response
    if visitor.actor is not None:
        set_language(session, visitor.actor, chosen)
    else:
        visitor.cookies[LANG_COOKIE] = (chosen, LANG_MAX_AGE)
    apply_cookies(request, response, visitor)
    return response


@router.get("/home", response_class=HTMLResponse)
def home(request: Request, visitor: MemberDep) -> HTMLResponse:
    """Her organisations and roles, and the sections her roles open."""
    assert visitor.actor is not None
    return render(
        request,
        visitor,
        "home.html",
        sections=sections_for(visitor.actor),
        role_names=ROLE_NAMES,
    )


@router.get("/sections/{section}", response_class=HTMLResponse)
def section_page(request: Request, visitor: MemberDep, section: str) -> HTMLResponse:
    """A section of the app: 403 when her roles do not open it; its screens are to come."""
    assert visitor.actor is not None
    found = BY_SLUG.get(section)
    if found is None:
        return render(request, visitor, "error.html", status=404, kind="not_found")
    if not found.open_to(visitor.actor):
        raise SectionForbidden(section)
    return render(request, visitor, "section.html", section=found)
