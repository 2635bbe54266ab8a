"""What the delivery screens share: who may open them, her organisation, the day, clock times.

Two kinds of people use them. A coordinator (deliveries:read and services:write in the
organisation) plans the day, orders the stops, prints the sheets and follows up; a volunteer
driver (deliveries:read only) sees her own run and records what happened at each stop. The use
cases (services/records/meals) check the same permissions and audit; these checks only choose
the page and answer 403 early to roles that have no business here (a dietitian, an analyst).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from core.errors import Forbidden, NotFound
from core.models import User
from services.access.actor import Actor
from services.access.roles import Permission
from services.access.staff import OrganisationChoice, organisations_for
from web.forms import day_or_none
from web.i18n import N_

# The organisation works on Montreal's clock: the day's default and the times shown.
LOCAL = ZoneInfo("America/Montreal")

OUTCOMES = {
    "delivered": N_("Delivered"),
    "left_at_door": N_("Left at the door (agreed)"),
    "no_answer": N_("No answer"),
    "refused": N_("Refused"),
    "cancelled": N_("Cancelled"),
}
STEPS = {
    "client_called": N_("Client called"),
    "office_told": N_("Office told"),
    "emergency_contact_called": N_("Emergency contact called"),
}


def today() -> date:
    """Today in Montreal (the server may run on UTC)."""
    return datetime.now(LOCAL).date()


def local_time(moment: datetime | None) -> str:
    """A stored UTC moment as Montreal's YYYY-MM-DD HH:MM ("" when none)."""
    if moment is None:
        return ""
    if moment.tzinfo is None:  # SQLite gives back naive UTC
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M")


def clock(minute: int | None) -> str:
    """Minutes after midnight as HH:MM ("" when unknown)."""
    return "" if minute is None else f"{minute // 60:02d}:{minute % 60:02d}"


def delivery_actor(actor_or_none: Actor | None) -> Actor:
    """The visitor's actor if some role of hers reads deliveries (else 403)."""
    if actor_or_none is None or not actor_or_none.has(Permission.DELIVERIES_READ):
        raise Forbidden("your role does not allow deliveries:read")
    return actor_or_none


def plans_somewhere(actor: Actor) -> bool:
    """Whether she plans deliveries in some organisation (reads them and writes services)."""
    both = actor.organisations_with(Permission.DELIVERIES_READ)
    return bool(both & actor.organisations_with(Permission.SERVICES_WRITE))


def delivery_organisation(
    session: Session, actor: Actor, slug: str | None, *, planner: bool
) -> tuple[OrganisationChoice, list[OrganisationChoice]]:
    """The organisation a delivery page acts for (`slug`, or her first), and her choices.

    A planner's choices are where she both reads deliveries and writes services (a dietitian
    of another organisation writes services there but plans no delivery).

    Raises:
        Forbidden: she has no such organisation.
        NotFound: `slug` is not one of them.
    """
    choices = organisations_for(session, actor, Permission.DELIVERIES_READ)
    if planner:
        choices = [c for c in choices if actor.allows(Permission.SERVICES_WRITE, c.id)]
    if not choices:
        raise Forbidden("your role does not allow planning deliveries")
    if not slug:
        return choices[0], choices
    for choice in choices:
        if choice.slug == slug:
            return choice, choices
    raise NotFound(f"no organisation {slug!r}")


def day_or_today(text: str | None) -> date | None:
    """The day asked for (YYYY-MM-DD), today when none; None when it is not a day."""
    if not text:
        return today()
    return day_or_none(text)


def safe_next(target: str, fallback: str) -> str:
    """A local address under /app/deliveries to go back to (anything else: `fallback`)."""
    return target if target.startswith("/app/deliveries") and "//" not in target else fallback


def driver_names(session: Session, user_ids: set[int | None]) -> dict[int, str]:
    """The drivers' names (their display name, else email) by user id.

    Staff accounts, not client data: read directly, as the home page reads her own profile.
    """
    names = {}
    for user_id in user_ids:
        user = session.get(User, user_id) if user_id is not None else None
        if user is not None and user_id is not None:
            names[user_id] = user.display_name or user.email
    return names
