"""The privacy officer's screens: the audit log, a client's data export, the retention purge.

Each page calls a use case of services/records/ with her actor (they check her permission,
audit the reading and commit); the access requests and the incident register are in
web/privacy_registers.py.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from core.errors import Forbidden, InvalidInput, NotFound
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit_log import ACTIONS, AuditFilters, list_audit
from services.records.export import client_export, export_client, find_client
from services.records.retention import preview_retention, run_retention
from services.records.scope import organisation_for
from web import i18n
from web.forms import day_field
from web.i18n import N_
from web.privacy_common import PREFIX, blank, officer, refusal, signed
from web.render import render
from web.session import CheckedDep, DatabaseDep, MemberDep

router = APIRouter(prefix=PREFIX, include_in_schema=False)
PAGE_SIZE = 50
ACTION_NAMES = {
    "read": N_("read"),
    "create": N_("create"),
    "update": N_("update"),
    "delete": N_("delete"),
    "export": N_("export"),
    "merge": N_("merge"),
    "purge": N_("purge"),
    "anonymise": N_("anonymise"),
    "refuse": N_("refuse"),
}
RETENTION_ACTIONS = {"destroy": N_("destroy"), "anonymise": N_("anonymise")}


# The home page links every section as /app/sections/<slug>: this one has its screens now.
sections_router = APIRouter(prefix="/app/sections", include_in_schema=False)


@sections_router.get("/privacy")
def privacy_section(visitor: MemberDep) -> RedirectResponse:
    """The privacy section's address on the home page: its screens' index."""
    return RedirectResponse(PREFIX, status_code=303)


@router.get("", response_class=HTMLResponse)
def index(request: Request, visitor: MemberDep) -> HTMLResponse:
    """The privacy screens she may open."""
    actor = officer(visitor, Permission.AUDIT_READ)
    return render(
        request,
        visitor,
        "privacy/index.html",
        manage=actor.has(Permission.PRIVACY_MANAGE),
    )


@router.get("/audit", response_class=HTMLResponse)
def audit_search(
    request: Request,
    visitor: MemberDep,
    session: DatabaseDep,
    file_number: str = "",
    user: str = "",
    action: str = "",
    since: str = "",
    until: str = "",
    before: int | None = None,
) -> HTMLResponse:
    """Search the log by file number, user, action and dates, newest first, a page at a time."""
    actor = officer(visitor, Permission.AUDIT_READ)
    errors: dict[str, str] = {}
    first = day_field(since, "since", errors)
    last = day_field(until, "until", errors)
    if action and action not in ACTIONS:
        errors["action"] = N_("Choose an action from the list.")
    if first and last and last < first:
        errors["until"] = N_("The last day is before the first day.")
    form = {
        "file_number": file_number,
        "user": user,
        "action": action,
        "since": since,
        "until": until,
    }
    page = None
    if not errors:
        filters = AuditFilters(
            file_number=blank(file_number),
            user_email=blank(user),
            action=action or None,
            since=datetime.combine(first, time.min, UTC) if first else None,
            until=datetime.combine(last + timedelta(days=1), time.min, UTC) if last else None,
        )
        page = list_audit(session, actor, filters, limit=PAGE_SIZE, before=before)
    query = urlencode({name: value for name, value in form.items() if value})
    return render(
        request,
        visitor,
        "privacy/audit.html",
        status=422 if errors else 200,
        errors=errors,
        form=form,
        page=page,
        actions=ACTION_NAMES,
        # Translated once, not once per row of the page.
        action_labels=_labels(ACTION_NAMES, visitor.language),
        query=query,
        paged=before is not None,
    )


@router.get("/export", response_class=HTMLResponse)
def export_form(request: Request, visitor: MemberDep) -> HTMLResponse:
    """The form asking for the file number of the client whose data to give her."""
    officer(visitor, Permission.PRIVACY_MANAGE)
    return render(request, visitor, "privacy/export.html", errors={}, file_number="", fmt="zip")


@router.post("/export", response_model=None)
def export_download(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    file_number: Annotated[str, Form()] = "",
    fmt: Annotated[str, Form(alias="format")] = "zip",
) -> Response:
    """A client's whole file as a download: a zip of the export folder, or its JSON."""
    actor = officer(signed(visitor), Permission.PRIVACY_MANAGE)
    errors: dict[str, str] = {}
    status = 422
    if not file_number.strip():
        errors["file_number"] = N_("Enter the client's file number.")
    elif fmt not in ("zip", "json"):
        errors["format"] = N_("Choose a format.")
    else:
        try:
            org = organisation_for(session, actor, Permission.PRIVACY_MANAGE, None)
            client_id = find_client(session, actor, file_number.strip(), org.slug)
            return _download(session, actor, client_id, fmt)
        except NotFound:
            errors["file_number"] = N_("No client file has this number in your organisation.")
            status = 404
        except (Forbidden, InvalidInput) as error:
            return refusal(request, visitor, Forbidden(str(error)))
    return render(
        request,
        visitor,
        "privacy/export.html",
        status=status,
        errors=errors,
        file_number=file_number,
        fmt=fmt,
    )


def _download(session: Session, actor: Actor, client_id: int, fmt: str) -> Response:
    """The export as a file to save: JSON, or the folder `export_client` writes, zipped."""
    if fmt == "json":
        export = client_export(session, actor, client_id)
        body = json.dumps(export.model_dump(mode="json"), ensure_ascii=False, indent=2)
        name = f"export-{export.organisation}-{client_id}.json"
        return Response(
            body.encode(),
            media_type="application/json",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    # The folder is written where nobody else looks, zipped in memory, then removed with it.
    with tempfile.TemporaryDirectory(prefix="ppne-export-") as folder:
        files = export_client(session, actor, client_id, Path(folder))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(files.folder.iterdir()):
                archive.write(path, f"{files.folder.name}/{path.name}")
        name = f"{files.folder.name}.zip"
    return Response(
        buffer.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/retention", response_class=HTMLResponse)
def retention_preview(request: Request, visitor: MemberDep, session: DatabaseDep) -> HTMLResponse:
    """The files whose retention has run out today and what a run would do to each."""
    actor = officer(visitor, Permission.PRIVACY_MANAGE)
    report = preview_retention(session, actor)
    return render(
        request,
        visitor,
        "privacy/retention.html",
        report=report,
        errors={},
        actions=RETENTION_ACTIONS,
    )


@router.post("/retention", response_class=HTMLResponse)
def retention_run(
    request: Request,
    visitor: CheckedDep,
    session: DatabaseDep,
    confirm: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Destroy or anonymise the files due, once she ticked the confirmation."""
    actor = officer(signed(visitor), Permission.PRIVACY_MANAGE)
    if confirm != "yes":
        report = preview_retention(session, actor)
        errors = {"confirm": N_("Tick the box to confirm that these files may be purged.")}
        return render(
            request,
            visitor,
            "privacy/retention.html",
            status=422,
            report=report,
            errors=errors,
            actions=RETENTION_ACTIONS,
        )
    report = run_retention(session, actor)
    return render(
        request,
        visitor,
        "privacy/retention.html",
        report=report,
        errors={},
        actions=RETENTION_ACTIONS,
    )


def _labels(names: dict[str, str], language: str) -> dict[str, str]:
    """Codes to their names in her language."""
    gettext = i18n.translations(language).gettext
    return {code: gettext(name) for code, name in names.items()}
