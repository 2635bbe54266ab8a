"""Meals on wheels: meal plans, delivery routes, the day's runs, stops and follow-ups.

Times of day are minutes after midnight (local time of the organisation): a delivery window
of 11:00 to 12:30 is 660..750. Coordinates are WGS84 degrees, derived offline from the postal
code when the address has none (services/records/meals/geocode.py).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from core.models.base import timestamp_field, utc_now


class MealPlan(SQLModel, table=True):
    """What a client receives: which weekdays, how many meals, which diet, from when to when."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    # ISO weekdays, 1 = Monday: "1,3,5".
    weekdays: str = Field(max_length=20)
    meals_per_day: int = Field(default=1)
    # Diet codes as the kitchen uses them ("diabétique,sans sel"), allergens likewise.
    diet_codes: str = Field(default="", max_length=200)
    allergens: str = Field(default="", max_length=200)
    texture: str = Field(default="normal", max_length=16)  # normal | minced | puree
    temperature: str = Field(default="hot", max_length=8)  # hot | frozen
    price_tier: str = Field(default="regular", max_length=32)
    starts_on: date
    ends_on: date | None = None
    end_reason: str | None = Field(default=None, max_length=200)  # moved, deceased...
    # Leaving the meal at the door is allowed only when agreed beforehand.
    left_at_door_agreed: bool = False
    door_notes: str = Field(default="", max_length=300)
    latitude: float | None = None
    longitude: float | None = None
    window_start: int = Field(default=600)  # minutes after midnight
    window_end: int = Field(default=780)
    service_minutes: int = Field(default=4)
    # The route it belongs to by default and its place in the route's default (paper) order.
    route_id: int | None = Field(default=None, foreign_key="deliveryroute.id", index=True)
    route_position: int | None = None
    created_at: datetime = timestamp_field(default_factory=utc_now)


class DeliveryRoute(SQLModel, table=True):
    """A route: its default driver, where it starts and ends, its shift and its capacity."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    name: str = Field(max_length=100)
    driver_id: int | None = Field(default=None, foreign_key="user.id")
    depot_latitude: float
    depot_longitude: float
    shift_start: int = Field(default=600)
    shift_end: int = Field(default=840)
    capacity_meals: int = Field(default=40)
    active: bool = True


class DeliveryRun(SQLModel, table=True):
    """One route driven on one day by one driver, with its stops in order."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    route_id: int | None = Field(default=None, foreign_key="deliveryroute.id")
    run_date: date = Field(index=True)
    driver_id: int | None = Field(default=None, foreign_key="user.id")
    # A run whose order staff set by hand keeps it: re-planning does not re-solve it.
    hand_ordered: bool = False
    total_minutes: int = 0
    planned_at: datetime = timestamp_field(default_factory=utc_now)


class DeliveryStop(SQLModel, table=True):
    """A plan's meals on one run: its place, expected arrival and what happened."""

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="deliveryrun.id", index=True)
    plan_id: int = Field(foreign_key="mealplan.id", index=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    position: int
    meals: int
    arrival_minute: int | None = None
    # delivered | left_at_door | no_answer | refused | cancelled (None: not yet)
    outcome: str | None = Field(default=None, max_length=16)
    outcome_at: datetime | None = timestamp_field(default=None)
    outcome_by_id: int | None = Field(default=None, foreign_key="user.id")
    outcome_note: str | None = Field(default=None, max_length=300)


class DeliveryFollowup(SQLModel, table=True):
    """The safety follow-up a no-answer opens: each escalation step timed, open until closed."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    stop_id: int = Field(foreign_key="deliverystop.id", index=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    opened_at: datetime = timestamp_field(default_factory=utc_now)
    client_called_at: datetime | None = timestamp_field(default=None)
    office_told_at: datetime | None = timestamp_field(default=None)
    emergency_contact_called_at: datetime | None = timestamp_field(default=None)
    closed_at: datetime | None = timestamp_field(default=None)
    closed_by_id: int | None = Field(default=None, foreign_key="user.id")
    resolution: str | None = Field(default=None, max_length=500)
