"""Domain errors: the API and the command line each render them in one place.

A use case writes its message in English with named placeholders, marked with `N_` so that
`make messages` extracts it, and passes the values apart: `InvalidInput(N_("no route
%(route)s"), route=7)`. The API and the command line show the English text; the web app
translates the template into the visitor's language, then puts the values in.
"""

from typing import Any


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown (web/i18n.py)."""
    return message


class PpneError(Exception):
    """Base of every error a user can act on; its message is shown as one line."""

    def __init__(self, *args: Any, **params: Any) -> None:
        """Keep the message's template and values apart (str() gives the English text)."""
        self.template: str | None = args[0] if args and isinstance(args[0], str) else None
        self.params: dict[str, Any] = params
        if params and self.template is not None:
            args = (self.template % params, *args[1:])
        super().__init__(*args)


class NotFound(PpneError):
    """Something asked for by name or id does not exist."""


class RegionNotFound(NotFound):
    """No region has the given code."""


class InvalidInput(PpneError):
    """Input is malformed: the message says what and where."""


class TooLarge(InvalidInput):
    """Input is over a size limit: the message names the limit."""


class NoData(PpneError):
    """The request is valid but there is nothing computed for it yet."""


class SchemaMissing(PpneError):
    """The database has no ppne schema yet (never migrated, or no such SQLite file)."""


class Forbidden(PpneError):
    """The request is understood but not allowed, for this caller or this deployment."""


class Unauthorized(PpneError):
    """No valid credentials came with the request (no token, an expired or revoked one)."""


class TooManyRequests(PpneError):
    """Too many attempts in a short time (sign-in): the message says when to try again."""
