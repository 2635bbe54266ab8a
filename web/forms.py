"""Reading a posted form: its text fields, the days and numbers typed in, and what a form page
says at its top (the confirmation after a redirect; the error summary is the template macro
web/templates/_error_summary.html).

Each page keeps its own checks and wording; these only read what she typed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import Depends, Request

from web import i18n
from web.i18n import N_
from web.session import Visitor

# The CSRF check reads the token from the same form: never a value to show again.
CSRF_FIELD = "csrf"
DAY_EXAMPLE = N_("Enter the day as YYYY-MM-DD, for example 2026-12-03.")


async def posted_fields(request: Request) -> dict[str, str]:
    """The posted form's text fields as typed (the CSRF check has read the same parsed form)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


async def trimmed_fields(request: Request) -> dict[str, str]:
    """The posted form's text fields, spaces around them taken off."""
    return {key: value.strip() for key, value in (await posted_fields(request)).items()}


PostedFormDep = Annotated[dict[str, str], Depends(posted_fields)]
FormDep = Annotated[dict[str, str], Depends(trimmed_fields)]


def typed_values(form: Mapping[str, str]) -> dict[str, str]:
    """What she typed, trimmed, to show again with the errors (no CSRF token)."""
    return {key: value.strip() for key, value in form.items() if key != CSRF_FIELD}


def parse_day(text: str | None) -> date | None:
    """A day typed as YYYY-MM-DD (what <input type=date> sends); None when empty.

    Raises:
        ValueError: anything else.
    """
    if not text:
        return None
    return date.fromisoformat(text)


def day_or_none(text: str) -> date | None:
    """A day typed as YYYY-MM-DD; None when empty or not one."""
    try:
        return parse_day(text.strip())
    except ValueError:
        return None


def checked_day(
    values: Mapping[str, str],
    name: str,
    errors: dict[str, str],
    gettext: Callable[[str], str],
    message: str = DAY_EXAMPLE,
) -> date | None:
    """The day typed in field `name`; when it is not one, `message` (translated) in `errors`."""
    day = day_or_none(values.get(name, ""))
    if day is None:
        errors[name] = gettext(message)
    return day


def day_field(
    text: str, name: str, errors: dict[str, str], *, required: bool = False
) -> date | None:
    """A YYYY-MM-DD field as a date; an untranslated message in `errors[name]` when not one."""
    text = text.strip()
    if not text:
        if required:
            errors[name] = N_("Enter a date.")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = N_("Enter a date as YYYY-MM-DD, for example 2026-03-31.")
        return None


def whole_number(text: str, low: int, high: int) -> int | None:
    """A whole number typed in, between `low` and `high`; None when not one."""
    try:
        value = int(text.strip())
    except ValueError:
        return None
    return value if low <= value <= high else None


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


def notice_of(visitor: Visitor, notices: Mapping[str, str], done: str) -> str | None:
    """The confirmation a redirect asked for (?done=...), in her language."""
    return i18n.translations(visitor.language).gettext(notices[done]) if done in notices else None
