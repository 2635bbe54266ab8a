"""The researchers' API: basket costs by region and month, with its docs served at /docs."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi_offline import FastAPIOffline
from starlette.middleware.cors import CORSMiddleware

from api.contract import PublicReadContract, RequestTimeLimit, reject_unknown_query
from api.errors import domain_error_handler, validation_error_handler
from api.routers import (
    alerts,
    auth,
    costs,
    dumps,
    health,
    households,
    lineage,
    observations,
    reference,
    regions,
    surveys,
    trends,
)
from api.routers.records import ROUTERS as RECORDS_ROUTERS
from api.security import SecurityHeaders
from api.server_memory import freeze_startup_objects
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
        lifespan=freeze_startup_objects,
    )
    app.add_exception_handler(PpneError, domain_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    # The last added runs first: every answer, a refused upload's too, gets the headers.
    app.add_middleware(UploadLimit, max_bytes=get_settings().upload_max_bytes)
    app.add_middleware(SecurityHeaders)
    # The public /v1 contract (docs/api.md): HEAD, ETag, Cache-Control, a time limit, and
    # reading from any origin (GET only, no credentials).
    app.add_middleware(PublicReadContract)
    app.add_middleware(RequestTimeLimit)
    app.add_middleware(
        CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD"],
        expose_headers=["ETag", "Link", "Content-Disposition"],
    )  # fmt: skip
    # Unknown query parameters are refused on every public read route (api/contract.py).
    strict = [Depends(reject_unknown_query)]
    public = (costs.router, trends.router, regions.router, observations.router, reference.router)
    public += (dumps.router, households.router)
    public += (alerts.router,)
    public += (lineage.router,)
    for router in public:
        app.include_router(router, dependencies=strict)
    for router in (health.router, surveys.router, auth.router, *RECORDS_ROUTERS):
        app.include_router(router)
    # The web app at /app: the one place the API and the pages meet.
    install_web(app)
    return app
