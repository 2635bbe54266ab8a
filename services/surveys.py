"""Import a filled survey sheet sent by upload, and report how its rows were validated."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from core.errors import InvalidInput
from importers.base import ImportSummary, run_import
from importers.survey import SurveyImporter

SHEET_SUFFIXES = (".csv", ".xlsx")


def import_survey_upload(
    upload: BinaryIO,
    filename: str | None,
    *,
    accept_valid: bool = False,
    database_url: str | None = None,
) -> ImportSummary:
    """Save an uploaded survey sheet aside, validate it and import it; return the summary.

    The import owns its transactions (one per batch), so it takes a database URL rather
    than a session.

    Args:
        filename: the name the sheet was sent under; its suffix says xlsx or csv.
        accept_valid: import the valid rows even if some are refused.

    Raises:
        InvalidInput: the sheet is neither .xlsx nor .csv.
    """
    suffix = Path(filename or "survey.csv").suffix.lower()
    if suffix not in SHEET_SUFFIXES:
        raise InvalidInput(f"survey sheets are .xlsx or .csv, not {suffix!r}")
    with tempfile.TemporaryDirectory() as folder:
        # The stored import names the file it came from: keep the sender's name.
        path = Path(folder) / f"{Path(filename or 'survey').stem}{suffix}"
        with open(path, "wb") as handle:
            shutil.copyfileobj(upload, handle)
        return run_import(SurveyImporter(path), url=database_url, accept_valid=accept_valid)
