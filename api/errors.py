"""The one handler that turns domain errors into HTTP answers."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from core.errors import Forbidden, InvalidInput, NoData, NotFound, PpneError, SchemaMissing

_STATUS_BY_ERROR: list[tuple[type[PpneError], int]] = [
    (NotFound, 404),
    (NoData, 404),
    (InvalidInput, 422),
    (Forbidden, 403),
    (SchemaMissing, 503),
]


async def domain_error_handler(_request: Request, error: Exception) -> JSONResponse:
    """Answer a domain error with its status and a one-line message."""
    status = next((code for kind, code in _STATUS_BY_ERROR if isinstance(error, kind)), 400)
    return JSONResponse(status_code=status, content={"detail": str(error)})
