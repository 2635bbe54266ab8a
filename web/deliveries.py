"""Le Sésame's deliveries in the web app: one router gathering the delivery screens.

The coordinator's day (web/deliveries_day.py), the route sheets (web/deliveries_sheets.py),
the driver's run (web/deliveries_driver.py) and the safety follow-ups
(web/deliveries_followups.py); and the home page's old section address, which leads here.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from web import deliveries_day, deliveries_driver, deliveries_followups, deliveries_sheets
from web.session import MemberDep

router = APIRouter(include_in_schema=False)
# The driver's and the sheets' fixed addresses come before the day page's.
router.include_router(deliveries_driver.router)
router.include_router(deliveries_sheets.router)
router.include_router(deliveries_followups.router)
router.include_router(deliveries_day.router)


@router.get("/app/sections/deliveries")
def deliveries_section(visitor: MemberDep) -> RedirectResponse:
    """The section's address on the home page: /app/deliveries."""
    return RedirectResponse("/app/deliveries", status_code=303)
