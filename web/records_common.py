"""What the client pages share: the posted form, dates and numbers typed in.

The record use cases check permissions and audit; the routers' `RefusalsAsPages` (web/refusals.py)
turns their refusals into the app's 404 and 403 pages.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session, col, select

from core.errors import Forbidden
from core.models import Program
from services.access.actor import Actor
from services.access.organisations import organisation_by_slug
from web import i18n
from web.session import Visitor


async def form_fields(request: Request) -> dict[str, str]:
    """The posted form's text fields (the CSRF check has read the same parsed form)."""
    form = await request.form()
    return {key: value.strip() for key, value in form.items() if isinstance(value, str)}


FormDep = Annotated[dict[str, str], Depends(form_fields)]


def actor_of(visitor: Visitor) -> Actor:
    """The signed-in visitor's actor (MemberDep and CheckedDep pages only)."""
    if visitor.actor is None:
        raise Forbidden("sign in first")
    return visitor.actor


def translator(visitor: Visitor) -> Callable[[str], str]:
    """Her language's gettext, for messages written in Python."""
    return i18n.translations(visitor.language).gettext


def parse_day(text: str | None) -> date | None:
    """A day typed as YYYY-MM-DD (what <input type=date> sends); None when empty.

    Raises:
        ValueError: anything else.
    """
    if not text:
        return None
    return date.fromisoformat(text)


def parse_decimal(text: str | None) -> Decimal | None:
    """A number typed with a comma or a point ("62,5", "62.5"); None when empty.

    Raises:
        ValueError: anything that is not a number.
    """
    if not text:
        return None
    try:
        return Decimal(text.replace(",", ".").replace("\xa0", "").replace(" ", ""))
    except InvalidOperation:
        raise ValueError(text) from None


def parse_count(text: str | None) -> int | None:
    """A whole number; None when empty.

    Raises:
        ValueError: anything else, or a negative number.
    """
    if not text:
        return None
    number = int(text)
    if number < 0:
        raise ValueError(text)
    return number


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
