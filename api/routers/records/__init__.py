"""The service-records API under /v1/records: every route requires a token and a permission."""

from __future__ import annotations

from fastapi import APIRouter

from api.routers.records import activities, reports, satisfaction

# One router per subject; each is added here and nowhere else.
ROUTERS: list[APIRouter] = []
ROUTERS.append(reports.router)
ROUTERS.append(activities.router)
ROUTERS.append(satisfaction.router)
