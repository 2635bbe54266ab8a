"""Domain errors: the API and the command line each render them in one place."""


class PpneError(Exception):
    """Base of every error a user can act on; its message is shown as one line."""


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
