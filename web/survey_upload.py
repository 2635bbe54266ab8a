"""The price-survey upload: a filled sheet sent by a coordinator, and its validation report
shown line by line (sheet, row, column, reason), with what was accepted and refused.

The form posts to the same use case as POST /v1/surveys (`import_survey_upload`), run in a
child process with the deployment's size limit and price bounds. A sheet with a refused row
imports nothing unless "import the valid rows" is ticked.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse

from core.errors import InvalidInput, TooLarge
from core.observations.gate import PriceBounds
from services.access.roles import Permission
from services.surveys import import_survey_upload
from web.coordinator_common import actor_of, gettext_of
from web.i18n import N_, explain
from web.refusals import RefusalsAsPages
from web.render import render
from web.session import CheckedDep, MemberDep, SettingsDep

router = APIRouter(prefix="/app/surveys", include_in_schema=False, route_class=RefusalsAsPages)

REASONS = {
    "date_outside_period": N_("The date is outside the survey's period."),
    "missing_surveyor": N_("The surveyor's name is missing."),
    "unknown_item": N_("No basket item has this code."),
    "unknown_price_kind": N_("Unknown kind of price."),
    "unknown_store": N_("No store has this code."),
    "unreadable_date": N_("The date cannot be read (write YYYY-MM-DD)."),
    "unreadable_price": N_("The price cannot be read (write 3.49 or 3,49)."),
    "unreadable_size": N_("The size found cannot be read."),
    "size_out_of_range": N_("The size found is too far from the item's size."),
    "implausible_value": N_("The price is outside the plausible bounds."),
    "regular_below_sale": N_("The regular price is below the sale price."),
    "future_date": N_("The date is in the future."),
}
STATUSES = {
    "succeeded": N_("Imported"),
    "partial": N_("Imported in part: the valid rows only"),
    "rejected": N_("Refused: nothing was imported"),
}


@router.get("", response_class=HTMLResponse)
def upload_form(request: Request, visitor: MemberDep, settings: SettingsDep) -> HTMLResponse:
    """The upload form."""
    actor_of(visitor, Permission.SURVEYS_UPLOAD)
    return _page(request, visitor, settings.upload_max_bytes, errors={}, accept_valid=False)


@router.post("", response_class=HTMLResponse)
def upload(
    request: Request,
    visitor: CheckedDep,
    settings: SettingsDep,
    sheet: Annotated[UploadFile | None, File()] = None,
    accept_valid: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Validate and import the sheet in a child process; show its report line by line."""
    actor_of(visitor, Permission.SURVEYS_UPLOAD)
    _ = gettext_of(visitor)
    accept = accept_valid == "yes"
    errors: dict[str, str] = {}
    if sheet is None or not sheet.filename:
        errors["sheet"] = _("Choose the sheet to send (.xlsx or .csv).")
    else:
        try:
            summary = import_survey_upload(
                sheet.file,
                sheet.filename,
                accept_valid=accept,
                database_url=settings.database_url,
                max_bytes=settings.upload_max_bytes,
                price_bounds=PriceBounds(settings.price_min, settings.price_max),
                in_child_process=True,
            )
        except TooLarge:
            errors["sheet"] = _("The sheet is over the size limit of %(mb)s MB.") % {
                "mb": _megabytes(settings.upload_max_bytes)
            }
        except InvalidInput as error:
            errors["sheet"] = _("This sheet cannot be read: %(reason)s") % {
                "reason": explain(error, _)
            }
        else:
            report = summary.as_report()
            for line in report["refused_rows"]:
                line["explained"] = _(REASONS[line["reason"]]) if line["reason"] in REASONS else ""
            return _page(
                request,
                visitor,
                settings.upload_max_bytes,
                errors={},
                accept_valid=accept,
                report=report,
                status_name=_(STATUSES[_outcome(report)]),
                status=422 if report["status"] == "rejected" else 200,
            )
    return _page(
        request, visitor, settings.upload_max_bytes, errors=errors, accept_valid=accept, status=422
    )


def _outcome(report: dict[str, Any]) -> str:
    """Imported, imported in part (valid rows accepted, some refused), or refused."""
    if report["status"] == "rejected":
        return "rejected"
    return "partial" if report["refused"] else "succeeded"


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:g}"


def _page(
    request: Request,
    visitor: Any,
    max_bytes: int,
    *,
    errors: dict[str, str],
    accept_valid: bool,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    return render(
        request,
        visitor,
        "coordinator/survey_upload.html",
        status=status,
        errors=errors,
        accept_valid=accept_valid,
        megabytes=_megabytes(max_bytes),
        report=context.pop("report", None),
        **context,
    )
