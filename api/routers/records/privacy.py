"""Law 25 for the privacy officer: the audit log, exports, access requests, incidents, retention.

Another organisation's records answer 404; roles without audit:read or privacy:manage, 403.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from api.access import requires
from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.access_requests import (
    AccessRequestChange,
    AccessRequestView,
    NewAccessRequest,
    list_requests,
    record_request,
    update_request,
)
from services.records.audit_log import AuditFilters, AuditPage, list_audit
from services.records.export import ClientExport, client_export
from services.records.incidents import (
    IncidentChange,
    IncidentView,
    NewIncident,
    list_incidents,
    record_incident,
    update_incident,
)
from services.records.retention import RetentionReport, preview_retention, run_retention

router = APIRouter(prefix="/v1/records", tags=["records: privacy"], responses=ERROR_RESPONSES)

AuditReader = Annotated[Actor, requires(Permission.AUDIT_READ)]
PrivacyOfficer = Annotated[Actor, requires(Permission.PRIVACY_MANAGE)]
OrgQuery = Annotated[
    str | None, Query(description="Organisation slug; needed only if you belong to several")
]


class RetentionAsk(BaseModel):
    """Which organisation's closed files to judge."""

    # A run is always as of today: a "today" sent to /run is refused, not ignored.
    model_config = ConfigDict(extra="forbid")
    organisation: str | None = None


class RetentionPreviewAsk(RetentionAsk):
    """A preview may look ahead: which files will be due on a later day."""

    today: date | None = Field(default=None, description="Judge as of this day (default today)")


@router.get("/audit")
def audit_log(
    actor: AuditReader,
    session: SessionDep,
    org: OrgQuery = None,
    client_id: Annotated[int | None, Query(description="A client's id (kept after purge)")] = None,
    file_number: Annotated[str | None, Query(max_length=32)] = None,
    user: Annotated[str | None, Query(description="An account's email", max_length=254)] = None,
    since: Annotated[datetime | None, Query(description="From this time (ISO 8601)")] = None,
    action: Annotated[str | None, Query(max_length=16)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    before: Annotated[int | None, Query(description="next_before of the previous page")] = None,
) -> AuditPage:
    """The organisation's audit log, newest first, a page at a time."""
    filters = AuditFilters(
        organisation=org,
        client_id=client_id,
        file_number=file_number,
        user_email=user,
        since=since,
        action=action,
    )
    return list_audit(session, actor, filters, limit=limit, before=before)


@router.get("/clients/{client_id}/export")
def export(client_id: int, actor: PrivacyOfficer, session: SessionDep) -> ClientExport:
    """A client's whole file, every table that reaches her, and who read it (s. 27, 3.3)."""
    return client_export(session, actor, client_id)


@router.post("/access-requests", status_code=201)
def new_access_request(
    body: NewAccessRequest, actor: PrivacyOfficer, session: SessionDep, org: OrgQuery = None
) -> AccessRequestView:
    """Record a request to access, correct or carry away data; due in 30 days."""
    return record_request(session, actor, body, organisation=org)


@router.get("/access-requests")
def access_requests(
    actor: PrivacyOfficer,
    session: SessionDep,
    org: OrgQuery = None,
    open_only: Annotated[bool, Query(alias="open", description="Unanswered only")] = False,
) -> list[AccessRequestView]:
    """The requests, oldest due first, with days left and the overdue ones."""
    return list_requests(session, actor, organisation=org, open_only=open_only)


@router.patch("/access-requests/{request_id}")
def change_access_request(
    request_id: int, body: AccessRequestChange, actor: PrivacyOfficer, session: SessionDep
) -> AccessRequestView:
    """Record the answer to a request, or its notes."""
    return update_request(session, actor, request_id, body)


@router.post("/incidents", status_code=201)
def new_incident(
    body: NewIncident, actor: PrivacyOfficer, session: SessionDep, org: OrgQuery = None
) -> IncidentView:
    """Add a confidentiality incident to the register."""
    return record_incident(session, actor, body, organisation=org)


@router.get("/incidents")
def incidents(
    actor: PrivacyOfficer, session: SessionDep, org: OrgQuery = None
) -> list[IncidentView]:
    """The register, newest discovery first; `notices_owed` flags notices not yet sent."""
    return list_incidents(session, actor, organisation=org)


@router.patch("/incidents/{incident_id}")
def change_incident(
    incident_id: int, body: IncidentChange, actor: PrivacyOfficer, session: SessionDep
) -> IncidentView:
    """Complete or correct an entry: notices sent, measures taken."""
    return update_incident(session, actor, incident_id, body)


@router.post("/retention/preview")
def retention_preview(
    body: RetentionPreviewAsk, actor: PrivacyOfficer, session: SessionDep
) -> RetentionReport:
    """The closed files a run would destroy or anonymise, and why; changes nothing."""
    return preview_retention(session, actor, organisation=body.organisation, today=body.today)


@router.post("/retention/run")
def retention_run(
    body: RetentionAsk, actor: PrivacyOfficer, session: SessionDep
) -> RetentionReport:
    """Destroy or anonymise the files due today (never another day: that is the CLI's)."""
    return run_retention(session, actor, organisation=body.organisation)
