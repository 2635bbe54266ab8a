"""What the coordinator's screens share: refusals as pages, her organisation, the section links.

The use cases check permissions and audit; a page turns their refusals into the app's pages:
NotFound (another organisation's record, or none) into the 404 page, Forbidden (her role does
not allow it) into the 403 page. A person may belong to several organisations: the pages act
for the one chosen with `?org=` (among those where her roles allow the page), the first by
name otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from sqlmodel import Session

from core.db import session_scope
from core.errors import Forbidden, NotFound
from core.settings import get_settings
from services.access.actor import Actor
from services.access.roles import Permission
from services.access.staff import OrganisationChoice, organisations_for
from web import i18n
from web.render import render
from web.session import MemberDep, Visitor, current_visitor


def error_page(request: Request, kind: str, status: int) -> HTMLResponse:
    """The 403 or 404 page, for the visitor of a request that ended in a refusal."""
    with session_scope(get_settings().database_url) as session:
        visitor = current_visitor(request, session)
    return render(request, visitor, "error.html", status=status, kind=kind)


class CoordinatorRoute(APIRoute):
    """A route whose use cases' NotFound and Forbidden answer the app's 404 and 403 pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap the handler: a refusal raised by a use case becomes a page, not JSON."""
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except NotFound:
                return error_page(request, "not_found", 404)
            except Forbidden:
                return error_page(request, "forbidden", 403)

        return handler


def actor_of(visitor: Visitor, permission: Permission) -> Actor:
    """The signed-in visitor's actor, if some role of hers gives `permission` (else 403)."""
    if visitor.actor is None or not visitor.actor.has(permission):
        raise Forbidden(f"your role does not allow {permission.value}")
    return visitor.actor


def organisation_of(
    session: Session, actor: Actor, permission: Permission, slug: str | None
) -> tuple[OrganisationChoice, list[OrganisationChoice]]:
    """The organisation a page acts for (`slug`, or her first), and all she may choose."""
    choices = organisations_for(session, actor, permission)
    if not choices:
        raise Forbidden(f"your role does not allow {permission.value}")
    if slug is None:
        return choices[0], choices
    for choice in choices:
        if choice.slug == slug:
            return choice, choices
    raise NotFound(f"no organisation {slug!r}")


async def form_fields(request: Request) -> dict[str, str]:
    """The posted form's text fields (the CSRF check has read the same parsed form)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormDep = Annotated[dict[str, str], Depends(form_fields)]


def gettext_of(visitor: Visitor) -> Callable[[str], str]:
    """Her language's gettext, for messages written in Python."""
    return i18n.translations(visitor.language).gettext


def parse_day(text: str) -> date | None:
    """A day typed as YYYY-MM-DD (what <input type=date> sends); None when not one."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def parse_int(text: str, low: int, high: int) -> int | None:
    """A whole number typed in, between `low` and `high`; None when not one."""
    try:
        value = int(text.strip())
    except ValueError:
        return None
    return value if low <= value <= high else None


# The home page links every section as /app/sections/<slug>: these have their screens now.
sections_router = APIRouter(prefix="/app/sections", include_in_schema=False)
SECTION_PAGES = {
    "programs": "/app/programs",
    "reports": "/app/reports",
    "satisfaction": "/app/satisfaction",
    "accounts": "/app/staff",
    "surveys": "/app/surveys",
}


def _redirect_to(target: str) -> Callable[[Visitor], RedirectResponse]:
    def section(visitor: MemberDep) -> RedirectResponse:
        return RedirectResponse(target, status_code=303)

    section.__doc__ = f"The section's address on the home page: {target}."
    return section


for _slug, _target in SECTION_PAGES.items():
    sections_router.add_api_route(f"/{_slug}", _redirect_to(_target), methods=["GET"])
