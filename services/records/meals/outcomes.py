"""Delivery outcomes and the safety follow-up a no-answer opens.

A driver (on her own run) or a coordinator records what happened at a stop. "Left at the
door" is accepted only when the plan says it was agreed beforehand. "No answer" is a safety
event: it opens a follow-up that escalates (the client called, the office told, the emergency
contact called), each step timed, and that stays open until someone closes it saying what was
done.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from core.errors import N_, InvalidInput, NotFound
from core.models import Client, ClientContact, DeliveryFollowup, DeliveryStop, MealPlan
from core.models.base import utc_now
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.meals.visibility import visible_run
from services.records.scope import organisation_for, organisation_record_for

Outcome = Literal["delivered", "left_at_door", "no_answer", "refused", "cancelled"]
Step = Literal["client_called", "office_told", "emergency_contact_called"]
STEPS: tuple[str, ...] = ("client_called", "office_told", "emergency_contact_called")


class OutcomeInput(BaseModel):
    """What happened at a stop."""

    outcome: Outcome
    note: str | None = Field(default=None, max_length=300)


class OutcomeView(BaseModel):
    """The stop's outcome, and the follow-up it opened if any."""

    stop_id: int
    outcome: str
    outcome_at: datetime
    followup_id: int | None


class ContactLine(BaseModel):
    """An emergency contact, for the office's call."""

    name: str
    phone: str | None
    relation: str | None


class FollowupView(BaseModel):
    """A safety follow-up with its escalation so far."""

    id: int
    stop_id: int
    client_id: int
    client_name: str
    client_phone: str | None
    emergency_contacts: list[ContactLine]
    opened_at: datetime
    client_called_at: datetime | None
    office_told_at: datetime | None
    emergency_contact_called_at: datetime | None
    closed_at: datetime | None
    resolution: str | None
    next_step: str | None


def record_outcome(session: Session, actor: Actor, stop_id: int, body: OutcomeInput) -> OutcomeView:
    """Record a stop's outcome; a no-answer opens a follow-up (one per stop).

    Raises:
        NotFound: no such stop, or on a run the actor may not see.
        InvalidInput: left at the door without the plan's agreement.
    """
    stop = session.get(DeliveryStop, stop_id)
    if stop is None:
        raise NotFound(f"no stop {stop_id}")
    try:
        run = visible_run(session, actor, stop.run_id)
    except NotFound:
        raise NotFound(f"no stop {stop_id}") from None
    plan = session.get(MealPlan, stop.plan_id)
    assert plan is not None
    if body.outcome == "left_at_door" and not plan.left_at_door_agreed:
        raise InvalidInput(N_("leaving the meal at the door was not agreed with this client"))
    stop.outcome, stop.outcome_note = body.outcome, body.note
    stop.outcome_at, stop.outcome_by_id = utc_now(), actor.user_id
    session.add(stop)
    followup = None
    if body.outcome == "no_answer":
        followup = session.exec(
            select(DeliveryFollowup).where(DeliveryFollowup.stop_id == stop.id)
        ).first()
        if followup is None:
            followup = DeliveryFollowup(
                organisation_id=run.organisation_id, stop_id=stop_id, client_id=stop.client_id
            )
            session.add(followup)
            session.flush()
    audit(
        session,
        actor,
        "update",
        "delivery_stop",
        record_id=stop.id,
        client_id=stop.client_id,
        organisation_id=run.organisation_id,
        detail=body.outcome,
    )
    session.commit()
    assert stop.outcome_at is not None
    return OutcomeView(
        stop_id=stop_id,
        outcome=body.outcome,
        outcome_at=stop.outcome_at,
        followup_id=followup.id if followup else None,
    )


def _view(session: Session, row: DeliveryFollowup) -> FollowupView:
    client = session.get(Client, row.client_id)
    assert client is not None and row.id is not None
    contacts = session.exec(
        select(ClientContact)
        .where(ClientContact.client_id == row.client_id)
        .where(ClientContact.kind == "emergency")
        .order_by(col(ClientContact.id))
    ).all()
    done = [getattr(row, f"{step}_at") for step in STEPS]
    next_step = (
        None
        if row.closed_at
        else next((step for step, at in zip(STEPS, done, strict=True) if at is None), None)
    )
    return FollowupView(
        id=row.id,
        stop_id=row.stop_id,
        client_id=row.client_id,
        client_name=f"{client.first_name} {client.last_name}",
        client_phone=client.phone,
        emergency_contacts=[
            ContactLine(name=c.name, phone=c.phone, relation=c.relation) for c in contacts
        ],
        opened_at=row.opened_at,
        client_called_at=row.client_called_at,
        office_told_at=row.office_told_at,
        emergency_contact_called_at=row.emergency_contact_called_at,
        closed_at=row.closed_at,
        resolution=row.resolution,
        next_step=next_step,
    )


def _followup(session: Session, actor: Actor, followup_id: int) -> DeliveryFollowup:
    return organisation_record_for(
        session, actor, DeliveryFollowup, followup_id, Permission.SERVICES_WRITE, "follow-up"
    )


def list_followups(
    session: Session, actor: Actor, organisation: str | None = None, *, open_only: bool = True
) -> list[FollowupView]:
    """The organisation's follow-ups, oldest first (the open ones by default)."""
    org = organisation_for(session, actor, Permission.SERVICES_WRITE, organisation)
    query = select(DeliveryFollowup).where(DeliveryFollowup.organisation_id == org.id)
    if open_only:
        query = query.where(col(DeliveryFollowup.closed_at).is_(None))
    rows = session.exec(query.order_by(col(DeliveryFollowup.opened_at))).all()
    audit(
        session,
        actor,
        "read",
        "delivery_followup_list",
        organisation_id=org.id,
        detail=f"{len(rows)} follow-ups",
    )
    session.commit()
    return [_view(session, row) for row in rows]


def escalate(session: Session, actor: Actor, followup_id: int, step: Step) -> FollowupView:
    """Mark an escalation step done now; steps go in order and once each.

    Raises:
        InvalidInput: the follow-up is closed, the step was done, or an earlier one was not.
    """
    row = _followup(session, actor, followup_id)
    if row.closed_at is not None:
        raise InvalidInput(N_("this follow-up is closed"))
    position = STEPS.index(step)
    if getattr(row, f"{step}_at") is not None:
        raise InvalidInput(N_("%(step)s is already recorded"), step=step)
    missing = [s for s in STEPS[:position] if getattr(row, f"{s}_at") is None]
    if missing:
        raise InvalidInput(N_("first: %(step)s"), step=missing[0])
    setattr(row, f"{step}_at", utc_now())
    session.add(row)
    audit(
        session,
        actor,
        "update",
        "delivery_followup",
        record_id=row.id,
        client_id=row.client_id,
        organisation_id=row.organisation_id,
        detail=step,
    )
    session.commit()
    return _view(session, row)


def close_followup(
    session: Session, actor: Actor, followup_id: int, resolution: str
) -> FollowupView:
    """Close a follow-up with what was done (she was at the hospital, a neighbour opened...)."""
    row = _followup(session, actor, followup_id)
    if row.closed_at is not None:
        raise InvalidInput(N_("this follow-up is already closed"))
    if not resolution.strip():
        raise InvalidInput(N_("say what was done to close it"))
    row.closed_at, row.closed_by_id, row.resolution = utc_now(), actor.user_id, resolution.strip()
    session.add(row)
    audit(
        session,
        actor,
        "update",
        "delivery_followup",
        record_id=row.id,
        client_id=row.client_id,
        organisation_id=row.organisation_id,
        detail="close",
    )
    session.commit()
    return _view(session, row)
