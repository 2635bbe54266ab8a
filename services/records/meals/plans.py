"""Meal plans per client and the delivery routes they default to; which plans are due a day.

A plan is due on a day when the day is one of its weekdays, within its start and end, the
client's file is not closed, and no pause of the client (ClientPause: a hospital stay, a trip)
covers the day. Coordinators and dietitians (CLIENTS_WRITE) manage plans; routes are managed
with SERVICES_WRITE.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator
from sqlmodel import Session, col, select

from core.errors import N_, InvalidInput
from core.models import Client, ClientPause, DeliveryRoute, MealPlan, Program, User
from services.access.actor import Actor
from services.access.organisations import program_by_code
from services.access.roles import Permission
from services.records.audit import audit
from services.records.meals.geocode import locate
from services.records.scope import client_for, client_record_for, organisation_for

PROGRAM_CODE = "meals_on_wheels"
Texture = Literal["normal", "minced", "puree"]
Temperature = Literal["hot", "frozen"]


class PlanChange(BaseModel):
    """Fields of a plan that may be changed (None: unchanged)."""

    weekdays: list[int] | None = Field(default=None, description="ISO weekdays, 1 = Monday")
    meals_per_day: int | None = Field(default=None, ge=1, le=10)
    diet_codes: list[str] | None = None
    allergens: list[str] | None = None
    texture: Texture | None = None
    temperature: Temperature | None = None
    price_tier: str | None = Field(default=None, max_length=32)
    ends_on: date | None = None
    end_reason: str | None = Field(default=None, max_length=200)
    left_at_door_agreed: bool | None = None
    door_notes: str | None = Field(default=None, max_length=300)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    window_start: int | None = Field(default=None, ge=0, le=1440, description="minutes")
    window_end: int | None = Field(default=None, ge=0, le=1440)
    service_minutes: int | None = Field(default=None, ge=1, le=60)
    route_id: int | None = None
    route_position: int | None = Field(default=None, ge=1)

    @field_validator("weekdays")
    @classmethod
    def _weekdays(cls, value: list[int] | None) -> list[int] | None:
        if value is not None and (not value or any(day < 1 or day > 7 for day in value)):
            raise ValueError("weekdays are 1 (Monday) to 7 (Sunday), at least one")
        return sorted(set(value)) if value is not None else None


class PlanInput(PlanChange):
    """A new plan: its weekdays and its start at least."""

    weekdays: list[int]
    starts_on: date
    meals_per_day: int = Field(default=1, ge=1, le=10)


class PlanView(BaseModel):
    """A plan as coordinators see it."""

    id: int
    client_id: int
    weekdays: list[int]
    meals_per_day: int
    diet_codes: list[str]
    allergens: list[str]
    texture: str
    temperature: str
    price_tier: str
    starts_on: date
    ends_on: date | None
    end_reason: str | None
    left_at_door_agreed: bool
    door_notes: str
    latitude: float | None
    longitude: float | None
    window_start: int
    window_end: int
    service_minutes: int
    route_id: int | None
    route_position: int | None


class RouteInput(BaseModel):
    """A route: its name, default driver (a user's id), depot, shift and capacity."""

    name: str = Field(min_length=1, max_length=100)
    driver_id: int | None = None
    depot_latitude: float = Field(ge=-90, le=90)
    depot_longitude: float = Field(ge=-180, le=180)
    shift_start: int = Field(default=600, ge=0, le=1440)
    shift_end: int = Field(default=840, ge=0, le=1440)
    capacity_meals: int = Field(default=40, ge=1)


class RouteView(RouteInput):
    """A route as stored."""

    id: int
    active: bool


def _join(values: list[str] | None) -> str:
    return ",".join(value.strip() for value in values or [] if value.strip())


def _split(value: str) -> list[str]:
    return [part for part in value.split(",") if part]


def plan_view(plan: MealPlan) -> PlanView:
    """The API's view of a plan row."""
    assert plan.id is not None
    data = plan.model_dump()
    data.update(
        weekdays=[int(day) for day in _split(plan.weekdays)],
        diet_codes=_split(plan.diet_codes),
        allergens=_split(plan.allergens),
    )
    return PlanView.model_validate(data)


def meals_program(session: Session, organisation_id: int) -> Program:
    """The organisation's meals-on-wheels program (Le Sésame ships one)."""
    from core.models import Organisation

    organisation = session.get(Organisation, organisation_id)
    assert organisation is not None
    return program_by_code(session, organisation, PROGRAM_CODE)


def _apply(session: Session, plan: MealPlan, fields: dict[str, Any], client: Client) -> None:
    for name in ("diet_codes", "allergens"):
        if name in fields:
            fields[name] = _join(fields[name])
    if "weekdays" in fields:
        fields["weekdays"] = ",".join(str(day) for day in fields["weekdays"])
    for name, value in fields.items():
        setattr(plan, name, value)
    if plan.route_id is not None:
        route = session.get(DeliveryRoute, plan.route_id)
        if route is None or route.organisation_id != client.organisation_id:
            raise InvalidInput(N_("no route %(route_id)s"), route_id=plan.route_id)
    if plan.window_end <= plan.window_start:
        raise InvalidInput(N_("the delivery window must end after it starts"))
    if plan.ends_on is not None and plan.ends_on < plan.starts_on:
        raise InvalidInput(N_("a plan cannot end before it starts"))
    if (plan.latitude is None) != (plan.longitude is None):
        raise InvalidInput(N_("give both latitude and longitude, or neither"))
    if plan.latitude is None:
        plan.latitude, plan.longitude = locate(client.postal_code, client.address)


def create_plan(session: Session, actor: Actor, client_id: int, body: PlanInput) -> PlanView:
    """Add a meal plan to a client of the organisation's meals-on-wheels program."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_WRITE)
    program = meals_program(session, client.organisation_id)
    assert program.id is not None
    plan = MealPlan(
        client_id=client_id, program_id=program.id, weekdays="", starts_on=body.starts_on
    )
    _apply(session, plan, body.model_dump(exclude_none=True, exclude={"starts_on"}), client)
    session.add(plan)
    session.flush()
    audit(session, actor, "create", "meal_plan", record_id=plan.id, client=client)
    session.commit()
    return plan_view(plan)


def _plan_for(session: Session, actor: Actor, plan_id: int, permission: Permission) -> MealPlan:
    plan, _client = client_record_for(session, actor, MealPlan, plan_id, permission, "meal plan")
    return plan


def update_plan(session: Session, actor: Actor, plan_id: int, change: PlanChange) -> PlanView:
    """Change a plan (an end with its reason, a new diet, another route...)."""
    plan = _plan_for(session, actor, plan_id, Permission.CLIENTS_WRITE)
    client = session.get(Client, plan.client_id)
    assert client is not None
    fields = change.model_dump(exclude_unset=True)
    _apply(session, plan, fields, client)
    session.add(plan)
    audit(
        session,
        actor,
        "update",
        "meal_plan",
        record_id=plan.id,
        client=client,
        detail=", ".join(sorted(fields)) or None,
    )
    session.commit()
    session.refresh(plan)
    return plan_view(plan)


def list_plans(session: Session, actor: Actor, client_id: int) -> list[PlanView]:
    """A client's meal plans, oldest first."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_READ)
    rows = session.exec(
        select(MealPlan).where(MealPlan.client_id == client_id).order_by(col(MealPlan.id))
    ).all()
    audit(session, actor, "read", "meal_plan", client=client)
    session.commit()
    return [plan_view(row) for row in rows]


def due_plans(session: Session, organisation_id: int, day: date) -> list[tuple[MealPlan, Client]]:
    """The plans due on `day`: weekday, dates, file not closed, no pause covering the day."""
    rows = session.exec(
        select(MealPlan, Client)
        .join(Client, col(Client.id) == col(MealPlan.client_id))
        .where(Client.organisation_id == organisation_id)
        .where(col(Client.anonymised_at).is_(None))
        .where(Client.status != "closed")
        .where(col(MealPlan.starts_on) <= day)
        .where((col(MealPlan.ends_on).is_(None)) | (col(MealPlan.ends_on) >= day))
        .order_by(col(MealPlan.id))
    ).all()
    paused = set(
        session.exec(
            select(ClientPause.client_id)
            .where(col(ClientPause.starts_on) <= day)
            .where((col(ClientPause.ends_on).is_(None)) | (col(ClientPause.ends_on) >= day))
        ).all()
    )
    weekday = str(day.isoweekday())
    return [
        (plan, client)
        for plan, client in rows
        if weekday in plan.weekdays.split(",") and client.id not in paused
    ]


def create_route(
    session: Session, actor: Actor, body: RouteInput, organisation: str | None = None
) -> RouteView:
    """Add a delivery route to the organisation."""
    org = organisation_for(session, actor, Permission.SERVICES_WRITE, organisation)
    if body.driver_id is not None and session.get(User, body.driver_id) is None:
        raise InvalidInput(N_("no user %(driver_id)s"), driver_id=body.driver_id)
    if body.shift_end <= body.shift_start:
        raise InvalidInput(N_("the shift must end after it starts"))
    assert org.id is not None
    route = DeliveryRoute(organisation_id=org.id, **body.model_dump())
    session.add(route)
    session.flush()
    audit(session, actor, "create", "delivery_route", record_id=route.id, organisation_id=org.id)
    session.commit()
    return RouteView.model_validate(route.model_dump())


def list_routes(session: Session, actor: Actor, organisation: str | None = None) -> list[RouteView]:
    """The organisation's routes (no client data: not audited)."""
    org = organisation_for(session, actor, Permission.SERVICES_WRITE, organisation)
    rows = session.exec(
        select(DeliveryRoute)
        .where(DeliveryRoute.organisation_id == org.id)
        .order_by(col(DeliveryRoute.id))
    ).all()
    return [RouteView.model_validate(row.model_dump()) for row in rows]
