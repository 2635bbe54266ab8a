"""Which runs a caller sees: a coordinator every run of her organisation, a driver her own."""

from __future__ import annotations

from sqlmodel import Session

from core.errors import Forbidden, NotFound
from core.models import DeliveryRun
from services.access.actor import Actor
from services.access.roles import Permission


def visible_run(session: Session, actor: Actor, run_id: int) -> DeliveryRun:
    """A run the actor may see: a coordinator's organisation's, or a volunteer's own.

    Raises:
        NotFound: no such run, another organisation's, or (for a driver) someone else's.
    """
    run = session.get(DeliveryRun, run_id)
    if run is None:
        raise NotFound(f"no run {run_id}")
    try:
        actor.require(Permission.DELIVERIES_READ, run.organisation_id)
    except (NotFound, Forbidden):
        raise NotFound(f"no run {run_id}") from None
    if not sees_all(actor, run.organisation_id) and run.driver_id != actor.user_id:
        raise NotFound(f"no run {run_id}")
    return run


def sees_all(actor: Actor, organisation_id: int) -> bool:
    """Coordinators (who plan the runs) see every run; drivers only their own."""
    return actor.allows(Permission.SERVICES_WRITE, organisation_id)
