"""What the coordinator's screens share: her organisation, her gettext, the section links.

The use cases check permissions and audit; the routers' `RefusalsAsPages` (web/refusals.py)
turns their refusals into the app's 404 and 403 pages. A person may belong to several
organisations: the pages act for the one chosen with `?org=` (among those where her roles allow
the page), the first by name otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from core.errors import Forbidden, NotFound
from services.access.actor import Actor
from services.access.roles import Permission
from services.access.staff import OrganisationChoice, organisations_for
from web import i18n
from web.session import MemberDep, Visitor


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


def gettext_of(visitor: Visitor) -> Callable[[str], str]:
    """Her language's gettext, for messages written in Python."""
    return i18n.translations(visitor.language).gettext


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
