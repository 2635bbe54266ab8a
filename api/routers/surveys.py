"""POST /v1/surveys: upload a filled survey sheet, get the validation report back."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import JSONResponse

from api.access import requires
from api.deps import SettingsDep
from api.errors import ERROR_RESPONSES
from core.observations.gate import PriceBounds
from services.access.roles import Permission
from services.surveys import import_survey_upload

router = APIRouter(tags=["surveys"], responses=ERROR_RESPONSES)


# A plain def: FastAPI runs it in its thread pool, and the import itself runs in a child
# process, so a long import blocks neither the event loop nor, through the GIL, other requests.
# Coordinators only: a sheet writes prices every published cost is computed from.
@router.post("/v1/surveys", dependencies=[requires(Permission.SURVEYS_UPLOAD)])
def upload_survey(
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="Filled survey sheet, xlsx or csv")],
    accept_valid: Annotated[
        bool, Query(description="Import the valid rows even if some are refused")
    ] = False,
) -> Any:
    """Validate a survey sheet and import it; answer with the validation report."""
    summary = import_survey_upload(
        file.file,
        file.filename,
        accept_valid=accept_valid,
        database_url=settings.database_url,
        max_bytes=settings.upload_max_bytes,
        price_bounds=PriceBounds(settings.price_min, settings.price_max),
        in_child_process=True,
    )
    # A refused sheet is still an answer: the report says which rows and why.
    status = 422 if summary.status == "rejected" else 200
    return JSONResponse(status_code=status, content=summary.as_report())
