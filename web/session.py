"""Who is visiting: the session cookie (an API token), her language, and the CSRF token.

The session cookie holds the token `sign_in` issued, so a web session expires and is revoked
exactly like an API token. Every form carries a CSRF token: signed in, it is derived from the
session token (a page of another site can read neither); before sign-in, it is a random value
in a cookie of its own that the form must repeat.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Form, Request, Response
from sqlmodel import Session

from core.db import require_schema, session_scope
from core.errors import NotFound, Unauthorized
from core.settings import Settings, get_settings
from services.access.actor import Actor
from services.access.profile import Profile, actor_and_profile
from web.i18n import DEFAULT, supported

SESSION_COOKIE = "ppne_session"
CSRF_COOKIE = "ppne_csrf"
LANG_COOKIE = "ppne_lang"
CSRF_FIELD = "csrf"
# A year: the language choice of a browser outlives any session.
LANG_MAX_AGE = 365 * 86400


class CsrfRefused(Exception):
    """A form came without the CSRF token of this session (answered 403 with a page)."""


class SignInNeeded(Exception):
    """A page for signed-in people was asked for without a session (redirected to sign in)."""


def web_settings() -> Settings:
    """The deployment's settings (the web app is an adapter: it may read them)."""
    return get_settings()


SettingsDep = Annotated[Settings, Depends(web_settings)]
_MIGRATED: set[str] = set()


def database(settings: SettingsDep) -> Iterator[Session]:
    """A database session per request; SchemaMissing (503) if the database was never migrated."""
    if settings.database_url not in _MIGRATED:
        require_schema(settings.database_url)
        _MIGRATED.add(settings.database_url)
    with session_scope(settings.database_url) as session:
        yield session


DatabaseDep = Annotated[Session, Depends(database)]


def client_address(request: Request) -> str:
    """The visitor's address as the sign-in limit and the audit log record it."""
    return request.client.host if request.client else "unknown"


def csrf_for_token(token: str) -> str:
    """The CSRF token of a session: a digest of its token, never the token itself."""
    return hashlib.sha256(b"ppne-csrf:" + token.encode()).hexdigest()[:40]


@dataclass
class Visitor:
    """The person behind a request, signed in or not, and the cookies her answer must set."""

    language: str
    csrf: str
    actor: Actor | None = None
    token: str | None = None
    profile: Profile | None = None
    expired: bool = False
    cookies: dict[str, tuple[str, int]] = field(default_factory=dict)

    @property
    def signed_in(self) -> bool:
        """Whether a live session came with the request."""
        return self.actor is not None


def current_visitor(request: Request, session: DatabaseDep) -> Visitor:
    """Read the session, language and CSRF cookies of a request."""
    token = request.cookies.get(SESSION_COOKIE)
    asked = supported(request.query_params.get("lang"))
    chosen = asked or supported(request.cookies.get(LANG_COOKIE)) or DEFAULT
    if token:
        try:
            # Her account and memberships read once for both (3 statements, not 5).
            actor, mine = actor_and_profile(session, token, client_address(request))
        except (Unauthorized, NotFound):
            pass  # expired, revoked or disabled: treated as signed out, and told so
        else:
            return Visitor(mine.language, csrf_for_token(token), actor, token, mine)
    csrf = request.cookies.get(CSRF_COOKIE) or ""
    visitor = Visitor(chosen, csrf or secrets.token_urlsafe(24), expired=bool(token))
    if not csrf:
        visitor.cookies[CSRF_COOKIE] = (visitor.csrf, 0)
    if asked:
        visitor.cookies[LANG_COOKIE] = (asked, LANG_MAX_AGE)
    return visitor


VisitorDep = Annotated[Visitor, Depends(current_visitor)]


def signed_in(visitor: VisitorDep) -> Visitor:
    """The visitor if signed in; else SignInNeeded (a redirect to the sign-in page)."""
    if visitor.actor is None:
        raise SignInNeeded
    return visitor


MemberDep = Annotated[Visitor, Depends(signed_in)]


def checked_csrf(visitor: VisitorDep, csrf: Annotated[str, Form()] = "") -> Visitor:
    """The visitor, once the form's CSRF token matched hers; else CsrfRefused (403)."""
    if not csrf or not hmac.compare_digest(csrf.encode(), visitor.csrf.encode()):
        raise CsrfRefused
    return visitor


CheckedDep = Annotated[Visitor, Depends(checked_csrf)]


def apply_cookies(request: Request, response: Response, visitor: Visitor) -> None:
    """Set the cookies the visitor's answer needs; drop a session cookie that is no longer live."""
    secure = request.url.scheme == "https"
    for name, (value, max_age) in visitor.cookies.items():
        response.set_cookie(
            name,
            value,
            max_age=max_age or None,
            httponly=True,
            samesite="lax",
            secure=secure,
            path="/app",
        )
    if visitor.expired:
        response.delete_cookie(SESSION_COOKIE, path="/app")


def start_session(request: Request, response: Response, token: str, lifetime: int) -> None:
    """Set the session cookie of a new sign-in: HttpOnly, SameSite=Lax, expiring with its token."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=lifetime,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/app",
    )


def end_session(response: Response) -> None:
    """Remove the session cookie (its token is revoked by the caller)."""
    response.delete_cookie(SESSION_COOKIE, path="/app")
