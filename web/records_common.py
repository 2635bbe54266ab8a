"""What the client pages share: her actor, her language's gettext, her organisation's programs.

The posted form and the days and numbers typed in are read by web/forms.py.

The record use cases check permissions and audit; the routers' `RefusalsAsPages` (web/refusals.py)
turns their refusals into the app's 404 and 403 pages.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, col, select

from core.errors import Forbidden
from core.models import Program
from services.access.actor import Actor
from services.access.organisations import organisation_by_slug
from web import i18n
from web.session import Visitor


def actor_of(visitor: Visitor) -> Actor:
    """The signed-in visitor's actor (MemberDep and CheckedDep pages only)."""
    if visitor.actor is None:
        raise Forbidden("sign in first")
    return visitor.actor


def translator(visitor: Visitor) -> Callable[[str], str]:
    """Her language's gettext, for messages written in Python."""
    return i18n.translations(visitor.language).gettext


def programs_of(session: Session, organisation: str) -> list[tuple[str, str, str]]:
    """An organisation's programs (by its slug) as (code, French name, English name)."""
    owner = organisation_by_slug(session, organisation)
    rows = session.exec(
        select(Program).where(Program.organisation_id == owner.id).order_by(col(Program.id))
    ).all()
    return [(row.code, row.name_fr, row.name_en) for row in rows]


def program_names(programs: list[tuple[str, str, str]], language: str) -> dict[str, str]:
    """Program codes to their names in her language."""
    return {code: (fr if language == "fr" else en) for code, fr, en in programs}
