"""Put the web app into the API's application: its routes, static files and error pages."""

from __future__ import annotations

from importlib import resources
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from web import (
    account,
    coordinator_common,
    deliveries,
    privacy_pages,
    privacy_registers,
    programs,
    public,
    reports_pages,
    satisfaction_pages,
    staff,
    survey_upload,
)
from web.client_file import router as client_file_router
from web.clients import router as clients_router
from web.clinical_pages import router as clinical_router
from web.coupons_pages import router as coupons_router
from web.refusals import error_page
from web.sesame_pages import SESAME_ROUTERS
from web.session import CsrfRefused, SignInNeeded

STATIC = resources.files("web") / "static"


async def _csrf_refused(request: Request, _error: Exception) -> Response:
    return error_page(request, "csrf", 403)


async def _forbidden(request: Request, _error: Exception) -> Response:
    return error_page(request, "forbidden", 403)


async def _not_found(request: Request, _error: Exception) -> Response:
    return error_page(request, "not_found", 404)


async def _sign_in_needed(request: Request, _error: Exception) -> Response:
    target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    return RedirectResponse(f"/app/signin?next={target}", status_code=303)


def not_found(request: Request, path: str) -> HTMLResponse:
    """Any other address under /app: a page saying so, in the visitor's language."""
    return error_page(request, "not_found", 404)


def install_web(app: FastAPI) -> None:
    """Add the web app at /app to `app`: pages, /app/static, and its error pages."""
    # The sections' redirects come before account's /sections/{section} placeholder.
    app.include_router(coordinator_common.sections_router)
    app.include_router(privacy_pages.sections_router)
    app.include_router(deliveries.router)  # before account's /sections/{section}
    app.include_router(account.router)
    app.include_router(programs.router)
    app.include_router(reports_pages.router)
    app.include_router(satisfaction_pages.router)
    app.include_router(staff.router)
    app.include_router(survey_upload.router)
    app.include_router(privacy_pages.router)
    app.include_router(privacy_registers.router)
    app.include_router(public.router)
    app.include_router(clients_router)  # before client_file: /app/clients/new is not a file
    app.include_router(client_file_router)
    app.include_router(coupons_router)
    app.include_router(clinical_router)
    for sesame_router in SESAME_ROUTERS:  # Le Sésame's operations
        app.include_router(sesame_router)
    app.mount("/app/static", StaticFiles(directory=str(STATIC)), name="web-static")
    # Last: an address no route above answers is a page of the app that does not exist.
    app.add_api_route("/app/{path:path}", not_found, methods=["GET"], include_in_schema=False)
    app.add_exception_handler(CsrfRefused, _csrf_refused)
    app.add_exception_handler(account.SectionForbidden, _forbidden)
    app.add_exception_handler(public.PublicationMissing, _not_found)
    app.add_exception_handler(SignInNeeded, _sign_in_needed)
