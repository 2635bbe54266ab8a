"""The service-records API under /v1/records: every route requires a token and a permission."""

from __future__ import annotations

from fastapi import APIRouter

from api.routers.records import (
    activities,
    clients,
    clinical,
    coupons,
    events,
    groups,
    meals,
    perinatal,
    privacy,
    referrals,
    reports,
    satisfaction,
)

# One router per subject; each is added here and nowhere else.
ROUTERS: list[APIRouter] = [
    activities.router,
    clients.router,
    clinical.router,
    coupons.router,
    events.router,
    groups.router,
    meals.router,
    perinatal.router,
    privacy.router,
    referrals.router,
    reports.router,
    satisfaction.router,
]
