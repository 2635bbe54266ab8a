"""The service-records API under /v1/records: every route requires a token and a permission."""

from __future__ import annotations

from fastapi import APIRouter

from api.routers.records import (
    activities,
    boxes,
    clients,
    clinical,
    coupons,
    events,
    food_aid,
    groups,
    kitchens,
    meals,
    perinatal,
    privacy,
    referrals,
    reports,
    satisfaction,
    volunteers,
)

# One router per subject; each is added here and nowhere else.
ROUTERS: list[APIRouter] = [
    activities.router,
    boxes.router,
    clients.router,
    clinical.router,
    coupons.router,
    events.router,
    food_aid.router,
    groups.router,
    kitchens.router,
    meals.router,
    perinatal.router,
    privacy.router,
    referrals.router,
    reports.router,
    satisfaction.router,
    volunteers.router,
]
