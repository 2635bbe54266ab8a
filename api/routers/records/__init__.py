"""The service-records API under /v1/records: every route requires a token and a permission."""

from __future__ import annotations

from fastapi import APIRouter

from api.routers.records import privacy

# One router per subject; each is added here and nowhere else.
ROUTERS: list[APIRouter] = [
    privacy.router,
]
