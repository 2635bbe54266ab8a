"""POST /v1/surveys: upload a filled survey sheet, get the validation report back."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import File, Query, UploadFile
from fastapi.responses import JSONResponse

from core.errors import InvalidInput
from core.settings import get_settings
from importers.base import run_import
from importers.survey import SurveyImporter


async def upload_survey(
    file: Annotated[UploadFile, File(description="Filled survey sheet, xlsx or csv")],
    accept_valid: Annotated[
        bool, Query(description="Import the valid rows even if some are refused")
    ] = False,
) -> Any:
    """Validate a survey sheet and import it; answer with the validation report."""
    if not get_settings().survey_upload_enabled:
        return JSONResponse(
            status_code=403,
            content={
                "detail": "survey upload is disabled until access control exists; "
                "set PPNE_SURVEY_UPLOAD_ENABLED=true to turn it on"
            },
        )
    suffix = Path(file.filename or "survey.csv").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InvalidInput(f"survey sheets are .xlsx or .csv, not {suffix!r}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{Path(file.filename or 'survey').stem}{suffix}"
        with open(path, "wb") as handle:
            shutil.copyfileobj(file.file, handle)
        summary = run_import(SurveyImporter(path), accept_valid=accept_valid)
    status = 422 if summary.status == "rejected" else 200
    return JSONResponse(status_code=status, content=summary.as_report())
