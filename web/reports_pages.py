"""The outputs report for funders: any period, by program, territory or age, as a table and
as CSV or XLSX files (the same use case and the same files as GET /v1/records/reports/outputs).

Suppressed cells are shown as "x", with a note saying why; the period is typed as a month
(YYYY-MM) or a quarter (YYYY-Qn).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from core.errors import InvalidInput, NotFound
from services.access.roles import Permission
from services.records.outputs import DIMENSIONS, OutputsReport, outputs_report
from services.records.outputs_render import MEDIA_TYPES, TOTAL, operation_lines
from services.records.outputs_render import render as render_file
from services.records.outputs_sesame import TERRITORY_COLUMNS, SesameSection
from services.records.report_periods import period_bounds
from web.coordinator_common import actor_of, gettext_of, organisation_of
from web.i18n import N_
from web.refusals import RefusalsAsPages
from web.render import render
from web.session import DatabaseDep, MemberDep, SettingsDep

router = APIRouter(prefix="/app/reports", include_in_schema=False, route_class=RefusalsAsPages)

COLUMN_NAMES = {
    "dimension": N_("Row"),
    "clients": N_("Clients (unduplicated)"),
    "new_clients": N_("New clients"),
    "continuing_clients": N_("Continuing clients"),
    "services_intake": N_("Intakes"),
    "services_individual_consultation": N_("Individual consultations"),
    "services_phone_follow_up": N_("Phone follow-ups"),
    "services_home_visit": N_("Home visits"),
    "services_group_attendance": N_("Group attendances (services)"),
    "services_referral": N_("Referrals (services)"),
    "services_distribution": N_("Distributions"),
    "services_total": N_("Services in all"),
    "group_attendance": N_("Group session attendance"),
    "coupons_given": N_("Coupons given"),
    "coupons_value": N_("Value of the coupons"),
    "referrals": N_("Referrals"),
    "activity_kind": N_("Kind of activity"),
    "activities": N_("Activities"),
    "participants": N_("Participants"),
    "readers": N_("Readers"),
    "downloads": N_("Downloads"),
}
ACTIVITY_NAMES = {
    "training": N_("Trainings"),
    "webinar": N_("Webinars"),
    "tool": N_("Tools"),
    "publication": N_("Publications"),
    "accompaniment": N_("Accompaniment"),
    "committee": N_("Committees"),
    "media": N_("Media"),
    "decision_maker_meeting": N_("Meetings with decision makers"),
}
BY_NAMES = {
    "": N_("No breakdown (totals only)"),
    "program": N_("By program"),
    "territory": N_("By territory"),
    "age": N_("By age band"),
}


def _default_period(today: date) -> tuple[str, str]:
    """The current year's months so far: from January to this month."""
    return f"{today.year}-01", f"{today.year}-{today.month:02d}"


@router.get("", response_class=HTMLResponse)
def outputs_page(
    request: Request,
    visitor: MemberDep,
    session: DatabaseDep,
    settings: SettingsDep,
    org: str | None = None,
    period_from: str | None = None,
    period_to: str | None = None,
    by: str = "",
) -> HTMLResponse:
    """The form (period and breakdown) and, once asked, the report as a table."""
    actor = actor_of(visitor, Permission.REPORTS_READ)
    organisation, organisations = organisation_of(session, actor, Permission.REPORTS_READ, org)
    _ = gettext_of(visitor)
    first, last = _default_period(date.today())
    asked = period_from is not None or period_to is not None
    values = {"period_from": period_from or first, "period_to": period_to or last, "by": by}
    errors: dict[str, str] = {}
    report: OutputsReport | None = None
    if asked:
        errors = {name: _(message) for name, message in _check(values).items()}
        if by not in ("", *DIMENSIONS):
            errors["by"] = _("Choose one of the breakdowns listed.")
        if not errors:
            report = outputs_report(
                session,
                actor,
                organisation.slug,
                values["period_from"],
                values["period_to"],
                by=by or None,
                threshold=settings.suppression_threshold,
            )
    query = urlencode({"org": organisation.slug, **{k: v for k, v in values.items() if v}})
    return render(
        request,
        visitor,
        "coordinator/reports.html",
        status=422 if errors else 200,
        organisation=organisation,
        organisations=organisations,
        values=values,
        errors=errors,
        report=report,
        operations=_operations(report.sesame, visitor.language) if report else None,
        column_names=COLUMN_NAMES,
        activity_names=ACTIVITY_NAMES,
        by_options=[(code, _(name)) for code, name in BY_NAMES.items()],
        by_name=_(BY_NAMES.get(by, BY_NAMES[""])).lower(),
        query=query,
        threshold=settings.suppression_threshold,
    )


def _operations(section: SesameSection, language: str) -> dict[str, Any] | None:
    """Le Sésame's figures in her language (the files' labels): the totals, then a table by
    territory; None for an organisation that has none of these services."""
    if not any(
        (
            section.boxes,
            section.kitchen_sessions,
            section.food_aid_visits,
            section.meals_planned,
            section.volunteer_shifts,
            section.cafe_attendance,
        )
    ):
        return None  # fmt: skip
    pick = 2 if language == "fr" else 3  # label_fr / label_en of OPERATION_COLUMNS
    lines = operation_lines(section)[1:]
    labels = {line[1]: line[pick] for line in lines}
    return {
        "totals": [(line[pick], line[4]) for line in lines if line[0] == TOTAL],
        "columns": [labels[name] for name in TERRITORY_COLUMNS],
        "territories": [
            (row.name, [getattr(row, name) for name in TERRITORY_COLUMNS])
            for row in section.territories
        ],
    }


def _check(values: dict[str, str]) -> dict[str, str]:
    """What is wrong with the period typed in, field by field, in her words."""
    errors: dict[str, str] = {}
    for name in ("period_from", "period_to"):
        try:
            period_bounds(values[name], values[name])
        except InvalidInput:
            errors[name] = N_("Write a month as 2026-03 or a quarter as 2026-Q1.")
    if not errors:
        try:
            period_bounds(values["period_from"], values["period_to"])
        except InvalidInput:
            errors["period_to"] = N_("The period ends before it starts.")
    return errors


@router.get("/outputs.{fmt}")
def outputs_file(
    visitor: MemberDep,
    session: DatabaseDep,
    settings: SettingsDep,
    fmt: str,
    period_from: str,
    period_to: str,
    org: str | None = None,
    by: str = "",
) -> Response:
    """The report as a CSV or XLSX download (suppressed cells "x")."""
    if fmt not in ("csv", "xlsx"):
        raise NotFound(f"no {fmt} file of the report")
    actor = actor_of(visitor, Permission.REPORTS_READ)
    organisation, _choices = organisation_of(session, actor, Permission.REPORTS_READ, org)
    report = outputs_report(
        session,
        actor,
        organisation.slug,
        period_from,
        period_to,
        by=by or None,
        threshold=settings.suppression_threshold,
    )
    name = f"extrants-{report.organisation}-{period_from}-{period_to}.{fmt}"
    return Response(
        content=render_file(report, fmt),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
