"""The app's 403 and 404 pages, and a route class that answers a use case's refusal with them.

The record use cases check permissions themselves: NotFound (another organisation's record, or
none) and Forbidden (her role does not allow it). Under /app those become pages, not the
API's JSON, so every section's router takes `route_class=RefusalsAsPages`.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRoute

from core.db import session_scope
from core.errors import Forbidden, NotFound
from core.settings import get_settings
from web.render import render
from web.session import current_visitor


def error_page(request: Request, kind: str, status: int) -> HTMLResponse:
    """The error page of `kind` for the visitor of a request that ended in a refusal (its
    dependencies did not finish, so the visitor is read again)."""
    with session_scope(get_settings().database_url) as session:
        visitor = current_visitor(request, session)
    return render(request, visitor, "error.html", status=status, kind=kind)


class RefusalsAsPages(APIRoute):
    """A route whose use cases' NotFound and Forbidden answer the app's 404 and 403 pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap the handler: a refusal raised by a use case becomes a page, not JSON."""
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except NotFound:
                return error_page(request, "not_found", 404)
            except Forbidden:
                return error_page(request, "forbidden", 403)

        return handler
