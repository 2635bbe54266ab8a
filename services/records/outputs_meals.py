"""Meals on wheels for the outputs report, from the delivery outcomes of a period's runs.

Meals planned are the meals on the stops of the period's runs, whatever happened; delivered
ones are those handed over or left at the door (as agreed); a no-answer counts the stop, and
the follow-ups it opened are counted with it. The day is the run's day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from core.models import DeliveryFollowup, DeliveryRun, DeliveryStop

DELIVERED = ("delivered", "left_at_door")


@dataclass(frozen=True)
class MealsFacts:
    """The period's delivery counts, and the meals delivered stop by stop (client, meals)."""

    planned: int
    delivered: int
    left_at_door: int
    no_answer: int
    followups_opened: int
    delivered_to: list[tuple[int, int]]


def meals_facts(
    session: Session, organisation_id: int, starts_on: date, ends_on: date
) -> MealsFacts:
    """Count the meals planned, delivered and not, of an organisation's runs in a period."""
    stops = session.exec(
        select(DeliveryStop)
        .join(DeliveryRun, col(DeliveryRun.id) == DeliveryStop.run_id)
        .where(
            DeliveryRun.organisation_id == organisation_id,
            col(DeliveryRun.run_date).between(starts_on, ends_on),
        )
    ).all()
    followups = session.exec(
        select(DeliveryFollowup.id).where(
            col(DeliveryFollowup.stop_id).in_([stop.id for stop in stops])
        )
    ).all()
    delivered = [stop for stop in stops if stop.outcome in DELIVERED]
    return MealsFacts(
        planned=sum(stop.meals for stop in stops),
        delivered=sum(stop.meals for stop in delivered),
        left_at_door=sum(stop.meals for stop in delivered if stop.outcome == "left_at_door"),
        no_answer=sum(1 for stop in stops if stop.outcome == "no_answer"),
        followups_opened=len(followups),
        delivered_to=[(stop.client_id, stop.meals) for stop in delivered],
    )
