"""The public /v1 contract around the routes: unknown parameters refused, HEAD, ETag and
Cache-Control, and a time limit on every request (docs/api.md states the promise)."""

from __future__ import annotations

import asyncio
import hashlib
import json

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The public read-only routes: open to any origin, cacheable, with an ETag.
PUBLIC_PREFIXES = (
    "/v1/costs",
    "/v1/trends",
    "/v1/regions",
    "/v1/observations",
    "/v1/stores",
    "/v1/items",
    "/v1/groups",
    "/v1/basket-versions",
    "/v1/dumps",
    "/v1/alerts",
    "/v1/lineage",
)
# Costs, trends and the reference tables change only when costs are computed or the basket is
# loaded: a short shared cache, revalidated by ETag. Observations change with every crawl.
CACHE_CONTROL = b"public, max-age=300, must-revalidate"
OBSERVATIONS_CACHE_CONTROL = b"public, max-age=60, must-revalidate"
REQUEST_SECONDS = 30.0
# Set in the scope of a HEAD request answered as a GET, so that a streamed list can skip its
# query: the headers are known before the first row.
HEAD_KEY = "ppne.head"


def is_public(path: str) -> bool:
    """Return whether a path is one of the public read-only routes."""
    return any(path == prefix or path.startswith(prefix + "/") for prefix in PUBLIC_PREFIXES)


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for child in dependant.dependencies:
        names |= _query_names(child)
    return names


def _declared_query_names(route: APIRoute) -> frozenset[str]:
    cached = getattr(route, "_ppne_query_names", None)
    if cached is None:
        cached = frozenset(_query_names(route.dependant))
        route._ppne_query_names = cached  # type: ignore[attr-defined]
    return cached  # type: ignore[no-any-return]


async def reject_unknown_query(request: Request) -> None:
    """Refuse a query parameter the route does not declare (a typo must not be ignored).

    Async because it does no I/O: FastAPI runs a plain `def` dependency in a worker thread,
    a hop that costs more than the check on every public request.

    Raises:
        RequestValidationError: answered 422 with the standard body naming the parameter.
    """
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    declared = _declared_query_names(route)
    unknown = [name for name in request.query_params if name not in declared]
    if unknown:
        raise RequestValidationError(
            [
                {
                    "loc": ("query", name),
                    "msg": f"unknown parameter; this route takes: {', '.join(sorted(declared))}",
                    "type": "extra_forbidden",
                }
                for name in dict.fromkeys(unknown)
            ]
        )


def asked_head(request: Request) -> bool:
    """Return whether the request is a HEAD answered as a GET (its body is never sent)."""
    return bool(request.scope.get(HEAD_KEY, False))


class PublicReadContract:
    """ASGI middleware: HEAD answered as GET without a body; on public GET answers held in one
    piece, an ETag (a 304 when it matches If-None-Match) and Cache-Control."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, adjusting the answer."""
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET", HEAD_KEY: True}
        path = scope.get("path", "")
        public = is_public(path)
        cache = OBSERVATIONS_CACHE_CONTROL if path.startswith("/v1/observations") else CACHE_CONTROL
        asked_tag = next(
            (value for name, value in scope.get("headers", []) if name == b"if-none-match"), None
        )
        start: Message | None = None
        started = finished = False

        async def adjusted(message: Message) -> None:
            nonlocal start, started, finished
            if message["type"] == "http.response.start":
                start = message  # held until the body says whether it comes in one piece
                return
            if message["type"] != "http.response.body" or finished:
                if not finished:
                    await send(message)
                return
            if not started and start is not None:
                started = True
                headers = list(start.get("headers", []))
                if public and start["status"] == 200:
                    headers.append((b"cache-control", cache))
                    if not message.get("more_body", False):
                        digest = hashlib.sha256(message.get("body", b"")).hexdigest()[:32]
                        tag = f'W/"{digest}"'.encode()
                        headers.append((b"etag", tag))
                        if asked_tag is not None and tag in _tags(asked_tag):
                            finished = True
                            await send({**start, "status": 304, "headers": _bodiless(headers)})
                            await send({"type": "http.response.body", "body": b""})
                            return
                await send({**start, "headers": headers})
            if head:
                # The headers of the GET answer, its Content-Length too, and no body.
                finished = True
                await send({"type": "http.response.body", "body": b""})
                return
            await send(message)

        await self.app(scope, receive, adjusted)


def _tags(header: bytes) -> list[bytes]:
    return [tag.strip() for tag in header.split(b",")]


def _bodiless(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    return [(n, v) for n, v in headers if n.lower() not in (b"content-length", b"content-type")]


class RequestTimeLimit:
    """ASGI middleware: an API read (GET, HEAD) that has not started answering within the
    limit gets a 503. A streamed answer that has started runs to its end (its rows keep coming)."""

    def __init__(self, app: ASGIApp, seconds: float = REQUEST_SECONDS) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; answer 503 if no answer started in time."""
        reading = scope["type"] == "http" and scope["method"] in ("GET", "HEAD")
        # Uploads (a survey sheet, a records file) have their own limits and may take longer.
        if not reading or not scope.get("path", "").startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        started = asyncio.Event()

        async def watched(message: Message) -> None:
            started.set()
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, watched))
        waiter = asyncio.ensure_future(started.wait())
        done, _ = await asyncio.wait(
            {task, waiter}, timeout=self.seconds, return_when="FIRST_COMPLETED"
        )
        if not done:
            task.cancel()
            waiter.cancel()
            body = json.dumps(
                {"detail": f"the request took longer than {self.seconds:g} s: narrow it"}
            ).encode()
            headers = [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ]
            await send({"type": "http.response.start", "status": 503, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        waiter.cancel()
        await task
