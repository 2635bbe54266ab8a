"""A bad query value refused as a 422 naming its parameter, as FastAPI's own checks do."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from fastapi.exceptions import RequestValidationError

from core.errors import InvalidInput, NotFound

T = TypeVar("T")


def refused(name: str, message: str) -> RequestValidationError:
    """Return the validation error of one query parameter (answered 422 with its name)."""
    return RequestValidationError([{"loc": ("query", name), "msg": message, "type": "value_error"}])


@contextmanager
def naming(name: str) -> Iterator[None]:
    """Turn a domain refusal of a value (bad or unknown) into a 422 naming the parameter."""
    try:
        yield
    except (InvalidInput, NotFound) as error:
        raise refused(name, str(error)) from error


def checked(name: str, parse: Callable[[str], T], value: str) -> T:
    """Return `parse(value)`, or raise a 422 naming the parameter when it refuses the value."""
    with naming(name):
        return parse(value)
