"""A run's route sheet: the PDF the drivers take along, and the same sheet as a page to print.

Both come from `route_sheet` (services/records/meals/sheets.py), which holds only what the
delivery needs and audits the reading once per client; a coordinator prints any run of her
organisation, a driver only her own (another's run answers 404).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.records.meals.sheets import route_sheet, sheet_pdf
from web.deliveries_common import delivery_actor, plans_somewhere
from web.refusals import RefusalsAsPages
from web.render import render
from web.session import DatabaseDep, MemberDep

router = APIRouter(prefix="/app/deliveries", include_in_schema=False, route_class=RefusalsAsPages)


@router.get("/runs/{run_id}/sheet", response_class=HTMLResponse)
def sheet_page(
    request: Request, visitor: MemberDep, session: DatabaseDep, run_id: int
) -> HTMLResponse:
    """The route sheet as a page made to be printed (the browser's Print)."""
    actor = delivery_actor(visitor.actor)
    sheet = route_sheet(session, actor, run_id)
    back = "/app/deliveries" if plans_somewhere(actor) else "/app/deliveries/my-run"
    return render(
        request,
        visitor,
        "deliveries/sheet.html",
        sheet=sheet,
        meals=sum(stop.meals for stop in sheet.stops),
        back=f"{back}?day={sheet.run_date.isoformat()}",
    )


@router.get("/runs/{run_id}/sheet.pdf", response_class=Response)
def sheet_as_pdf(visitor: MemberDep, session: DatabaseDep, run_id: int) -> Response:
    """The route sheet as the PDF the office prints (French, letter landscape)."""
    actor = delivery_actor(visitor.actor)
    content = sheet_pdf(route_sheet(session, actor, run_id))
    headers = {"Content-Disposition": f'inline; filename="feuille-de-route-{run_id}.pdf"'}
    return Response(content, media_type="application/pdf", headers=headers)
