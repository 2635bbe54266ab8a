"""Retry 429 and 5xx answers and network errors after a growing pause (exponential backoff)."""

from __future__ import annotations

import asyncio

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.utils.response import response_status_message


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry middleware, but waiting base x 2^attempt seconds (or Retry-After) first.

    Scrapy retries at once; a server that answers 429 or 503 is asking us to slow down.
    The pause runs on the asyncio reactor (the project's default), so other requests go on.
    """

    def __init__(self, settings: BaseSettings):
        super().__init__(settings)
        self.base_delay = settings.getfloat("PPNE_RETRY_BACKOFF_BASE", 1.0)
        self.max_delay = settings.getfloat("PPNE_RETRY_BACKOFF_MAX", 60.0)

    def delay_for(self, request: Request, response: Response | None = None) -> float:
        """Return how long to wait before retrying this request."""
        attempt = int(request.meta.get("retry_times", 0))
        delay = self.base_delay * (2**attempt)
        if response is not None:
            after = response.headers.get(b"Retry-After", b"").decode("latin-1").strip()
            if after.isdigit():
                delay = max(delay, float(after))
        return min(delay, self.max_delay)

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response, spider: object = None
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        await asyncio.sleep(self.delay_for(request, response))
        return retry

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception, spider: object = None
    ) -> Request | Response | None:
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get(
            "dont_retry", False
        ):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await asyncio.sleep(self.delay_for(request))
        return retry
