"""The researchers' API: basket costs by region and month, with its docs served at /docs."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi_offline import FastAPIOffline

from api.errors import domain_error_handler, validation_error_handler
from api.routers import auth, costs, health, regions, surveys, trends
from api.routers.records import ROUTERS as RECORDS_ROUTERS
from api.security import SecurityHeaders
from api.upload_limit import UploadLimit
from core.errors import PpneError
from core.settings import get_settings
from web.app import install_web


def create_app() -> FastAPI:
    """Build the API application."""
    # Swagger UI and ReDoc come from files the package ships, so /docs and /redoc work
    # without reaching a CDN (an offline laptop, a locked-down server).
    app = FastAPIOffline(
        title="PPNE API",
        summary="Cost of a nutritious food basket in Montreal, by region and month.",
        version="0.1.0",
    )
    app.add_exception_handler(PpneError, domain_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    # The last added runs first: every answer, a refused upload's too, gets the headers.
    app.add_middleware(UploadLimit, max_bytes=get_settings().upload_max_bytes)
    app.add_middleware(SecurityHeaders)
    public = (health.router, costs.router, trends.router, regions.router, surveys.router)
    for router in (*public, auth.router, *RECORDS_ROUTERS):
        app.include_router(router)
    # The web app at /app: the one place the API and the pages meet.
    install_web(app)
    return app
