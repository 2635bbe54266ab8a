"""GET /health: whether the API and its database answer."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from services.health import Health, check_health

router = APIRouter(tags=["service"], responses=ERROR_RESPONSES)


@router.get("/health")
def health(session: SessionDep) -> Health:
    """Tell whether the API and its database answer."""
    return check_health(session)
