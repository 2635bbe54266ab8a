"""The service-records API under /v1/records: every route requires a token and a permission."""

from __future__ import annotations

from fastapi import APIRouter

from api.routers.records import activities, clients, coupons, reports, satisfaction

# One router per subject; each is added here and nowhere else.
ROUTERS: list[APIRouter] = [
    activities.router,
    clients.router,
    coupons.router,
    reports.router,
    satisfaction.router,
]
