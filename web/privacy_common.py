"""What the privacy officer's pages share: who may open them, the 403/404 pages, dates in forms.

The use cases in services/records/ check permissions themselves (404 outside her
organisations, 403 inside); these pages also refuse early, with the 403 page, anyone whose
roles open no privacy screen, so a volunteer never reaches a use case at all.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from core.errors import Forbidden, NotFound
from services.access.actor import Actor
from services.access.roles import Permission
from web.account import SectionForbidden
from web.render import render
from web.session import Visitor

PREFIX = "/app/privacy"


def officer(visitor: Visitor, permission: Permission) -> Actor:
    """Her actor if a role of hers gives `permission`; else the 403 page (SectionForbidden)."""
    assert visitor.actor is not None  # MemberDep signed her in
    if not visitor.actor.has(permission):
        raise SectionForbidden("privacy")
    return visitor.actor


def signed(visitor: Visitor) -> Visitor:
    """A form posted without a session (its CSRF token was a visitor's): the 403 page."""
    if visitor.actor is None:
        raise SectionForbidden("privacy")
    return visitor


def refusal(request: Request, visitor: Visitor, error: Exception) -> HTMLResponse:
    """The page for a use case's refusal: 404 for another organisation's record, else 403."""
    if isinstance(error, NotFound):
        return render(request, visitor, "error.html", status=404, kind="not_found")
    assert isinstance(error, Forbidden)
    return render(request, visitor, "error.html", status=403, kind="forbidden")


def blank(text: str) -> str | None:
    """A text field as typed, or None when left empty."""
    return text.strip() or None
