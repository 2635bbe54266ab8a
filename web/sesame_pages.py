"""Le Sésame's operations screens, gathered for the app: boxes, kitchens, food aid, volunteers."""

from __future__ import annotations

from web import boxes_pages, food_aid_pages, kitchens_pages, volunteers_pages

SESAME_ROUTERS = (
    boxes_pages.router,
    kitchens_pages.router,
    food_aid_pages.router,
    volunteers_pages.router,
)
