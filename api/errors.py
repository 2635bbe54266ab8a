"""The one error body every 4xx/5xx answer carries, and the handlers that write it."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from core.errors import (
    Forbidden,
    InvalidInput,
    NoData,
    NotFound,
    PpneError,
    SchemaMissing,
    TooLarge,
    TooManyRequests,
    Unauthorized,
)

_STATUS_BY_ERROR: list[tuple[type[PpneError], int]] = [
    (NotFound, 404),
    (NoData, 404),
    (TooLarge, 413),  # before InvalidInput, of which it is a kind
    (InvalidInput, 422),
    (Unauthorized, 401),
    (Forbidden, 403),
    (TooManyRequests, 429),
    (SchemaMissing, 503),
]


class FieldError(BaseModel):
    """One request field that failed validation."""

    loc: list[str | int] = Field(description='Where the field is, e.g. ["query", "period"]')
    msg: str = Field(description="What is wrong with it")
    type: str = Field(description="Kind of error, e.g. string_pattern_mismatch")


class ErrorBody(BaseModel):
    """What every refused request answers: one line, and the fields at fault if any."""

    detail: str = Field(description="One line saying what went wrong")
    errors: list[FieldError] | None = Field(
        default=None, description="The request fields that failed validation, if any"
    )


_DESCRIPTIONS = {
    400: "Bad request",
    401: "No valid token: sign in at /v1/auth/token",
    403: "Refused: the caller's role does not allow it",
    404: "Unknown region, or nothing computed for the request",
    413: "Upload too large",
    422: "Malformed request or input",
    429: "Too many attempts: wait and try again",
    503: "Database not migrated: run `ppne db upgrade`",
}
# Declared on every router so the OpenAPI names each error answer and its one body shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text} for status, text in _DESCRIPTIONS.items()
}


def error_answer(status: int, body: ErrorBody) -> JSONResponse:
    """Return the JSON answer of an error body, leaving out empty fields."""
    return JSONResponse(status_code=status, content=body.model_dump(mode="json", exclude_none=True))


async def domain_error_handler(_request: Request, error: Exception) -> JSONResponse:
    """Answer a domain error with its status and a one-line message."""
    status = next((code for kind, code in _STATUS_BY_ERROR if isinstance(error, kind)), 400)
    answer = error_answer(status, ErrorBody(detail=str(error)))
    if status == 401:
        # RFC 6750: a refused bearer request says which scheme it expects.
        answer.headers["WWW-Authenticate"] = "Bearer"
    return answer


async def validation_error_handler(_request: Request, error: Exception) -> JSONResponse:
    """Answer a malformed request with 422, one line naming the first field, and every field."""
    assert isinstance(error, RequestValidationError)
    fields = [
        FieldError(
            loc=[part if isinstance(part, int) else str(part) for part in item.get("loc", ())],
            msg=str(item.get("msg", "invalid")),
            type=str(item.get("type", "value_error")),
        )
        for item in error.errors()
    ]
    first = fields[0] if fields else None
    line = f"{'.'.join(map(str, first.loc))}: {first.msg}" if first else "invalid request"
    return error_answer(422, ErrorBody(detail=line, errors=fields))
