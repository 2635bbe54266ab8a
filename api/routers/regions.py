"""GET /v1/regions: the regions costs are computed for."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from services.costs import RegionOut, list_regions

router = APIRouter(tags=["regions"], responses=ERROR_RESPONSES)


@router.get("/v1/regions")
def regions(session: SessionDep) -> list[RegionOut]:
    """List the regions costs are computed for, with their parents."""
    return list_regions(session)
