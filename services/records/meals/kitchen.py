"""The kitchen's count for a day: meals by diet, texture and hot or frozen.

Counted from the day's runs once planned (cancelled stops left out), otherwise from the plans
due that day, so the kitchen can start before the routes are drawn. Counts only: no names.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from pydantic import BaseModel
from sqlmodel import Session, col, select

from core.models import DeliveryRun, DeliveryStop, MealPlan
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.meals.plans import due_plans
from services.records.scope import organisation_for

TEXTURE_FR = {"normal": "normale", "minced": "hachée", "puree": "purée"}
TEMPERATURE_FR = {"hot": "chaud", "frozen": "congelé"}


class KitchenRow(BaseModel):
    """Meals of one diet, texture and temperature."""

    diet: str
    texture: str
    temperature: str
    meals: int
    clients: int


class KitchenCount(BaseModel):
    """The day's count, where it comes from, and totals by texture and temperature."""

    run_date: date
    source: str  # runs | plans
    rows: list[KitchenRow]
    total_meals: int
    by_texture: dict[str, int]
    by_temperature: dict[str, int]


def kitchen_count(
    session: Session, actor: Actor, day: date, organisation: str | None = None
) -> KitchenCount:
    """Count the day's meals by diet (codes sorted, "standard" when none), texture, temperature."""
    org = organisation_for(session, actor, Permission.DELIVERIES_READ, organisation)
    assert org.id is not None
    stops = session.exec(
        select(DeliveryStop, MealPlan)
        .join(DeliveryRun, col(DeliveryRun.id) == col(DeliveryStop.run_id))
        .join(MealPlan, col(MealPlan.id) == col(DeliveryStop.plan_id))
        .where(DeliveryRun.organisation_id == org.id)
        .where(DeliveryRun.run_date == day)
    ).all()
    if stops:
        source = "runs"
        served = [(plan, stop.meals) for stop, plan in stops if stop.outcome != "cancelled"]
    else:
        source = "plans"
        served = [(plan, plan.meals_per_day) for plan, _ in due_plans(session, org.id, day)]
    meals: Counter[tuple[str, str, str]] = Counter()
    clients: Counter[tuple[str, str, str]] = Counter()
    for plan, count in served:
        diet = ", ".join(sorted(code for code in plan.diet_codes.split(",") if code)) or "standard"
        key = (diet, plan.texture, plan.temperature)
        meals[key] += count
        clients[key] += 1
    rows = [
        KitchenRow(
            diet=d, texture=t, temperature=h, meals=meals[(d, t, h)], clients=clients[(d, t, h)]
        )
        for d, t, h in sorted(meals)
    ]
    by_texture: Counter[str] = Counter()
    by_temperature: Counter[str] = Counter()
    for row in rows:
        by_texture[row.texture] += row.meals
        by_temperature[row.temperature] += row.meals
    return KitchenCount(
        run_date=day,
        source=source,
        rows=rows,
        total_meals=sum(meals.values()),
        by_texture=dict(by_texture),
        by_temperature=dict(by_temperature),
    )
