"""Refuse a request body over the upload limit before it is read, or as soon as it passes it."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Room for the multipart envelope (boundaries, part headers, the other fields) around the file.
ENVELOPE_BYTES = 64 * 1024


def too_large_line(max_bytes: int) -> str:
    """Return the one line a too-large upload is answered with."""
    return f"the upload is over the {max_bytes:,} byte limit (PPNE_UPLOAD_MAX_BYTES)"


class UploadLimit:
    """ASGI middleware answering 413 to a body over the upload limit."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the declared length, then count the bytes as they arrive."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes + ENVELOPE_BYTES
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _answer_413(send, too_large_line(self.max_bytes))
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Raised while the form is parsed: FastAPI passes HTTPException through
                    # to its handler, which answers {"detail": ...} like every error.
                    raise HTTPException(413, too_large_line(self.max_bytes))
            return message

        await self.app(scope, counting_receive, send)


async def _answer_413(send: Send, line: str) -> None:
    body = json.dumps({"detail": line}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
