"""GET /v1/records/reports/outputs: the funders' outputs report, suppressed (REPORTS_READ)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.access import requires
from api.deps import SessionDep, SettingsDep
from api.errors import ERROR_RESPONSES
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.outputs import OutputsReport, outputs_report
from services.records.outputs_render import MEDIA_TYPES, render

router = APIRouter(prefix="/v1/records/reports", tags=["records"], responses=ERROR_RESPONSES)


@router.get(
    "/outputs",
    response_model=OutputsReport,
    responses={200: {"content": {MEDIA_TYPES["csv"]: {}, MEDIA_TYPES["xlsx"]: {}}}},
)
def outputs(
    actor: Annotated[Actor, requires(Permission.REPORTS_READ)],
    session: SessionDep,
    settings: SettingsDep,
    period_from: Annotated[str, Query(alias="from", description="YYYY-MM or YYYY-Qn")],
    period_to: Annotated[str, Query(alias="to", description="YYYY-MM or YYYY-Qn")],
    org: Annotated[str | None, Query(description="Organisation slug")] = None,
    by: Annotated[Literal["program", "territory", "age"] | None, Query()] = None,
    format: Annotated[Literal["json", "csv", "xlsx"], Query()] = "json",
    round5: Annotated[bool, Query(description="Round shown counts to base 5")] = False,
) -> OutputsReport | Response:
    """Clients served (unduplicated, new, continuing), services, coupons, referrals and
    activities; counts below the threshold and those that would reveal them are null ("x"
    in files). csv and xlsx come as a file download."""
    report = outputs_report(
        session, actor, org, period_from, period_to,
        by=by, threshold=settings.suppression_threshold, round5=round5,
    )  # fmt: skip
    if format == "json":
        return report
    name = f"extrants-{report.organisation}-{period_from}-{period_to}.{format}"
    return Response(
        content=render(report, format),
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
