"""Client files under /v1/records/clients: intake with a duplicate check, the file, its parts.

Reads need clients:read, writes clients:write; another organisation's file answers 404.
An intake that finds possible duplicates answers 409 with them; `?force=true` opens the file.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.access import requires
from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from services.access.actor import Actor
from services.access.roles import Permission
from services.records import client_parts, clients, consent_records
from services.records.client_models import (
    ClientChanges,
    ClientFields,
    ClientPage,
    ClientView,
    ConsentInput,
    ConsentView,
    ContactInput,
    ContactView,
    DuplicateCandidate,
    EnrolmentEnd,
    EnrolmentInput,
    EnrolmentView,
    MergeResult,
    PauseInput,
    PauseView,
    Status,
    StatusChange,
)
from services.records.duplicates import DuplicateSuspected, duplicate_candidates
from services.records.intake import open_client
from services.records.merge import merge_clients


class IntakeRequest(ClientFields):
    """A new file: the person, her organisation (if she belongs to several), her consents."""

    organisation: str | None = Field(default=None, max_length=32, examples=["alima"])
    consents: list[ConsentInput] = Field(default_factory=list)


class DuplicatesAnswer(BaseModel):
    """409: files that may be the same person; pick one, or send again with ?force=true."""

    detail: str
    duplicates: list[DuplicateCandidate]


class Withdrawal(BaseModel):
    """When a consent is withdrawn."""

    withdrawn_on: date | None = Field(default=None, description="Today when left out")


_DUPLICATES: dict[int | str, dict[str, Any]] = {
    409: {"model": DuplicatesAnswer, "description": "Possible duplicates: pick one, or force"}
}
router = APIRouter(
    prefix="/v1/records/clients", tags=["records: clients"], responses=ERROR_RESPONSES
)
Reader = Annotated[Actor, requires(Permission.CLIENTS_READ)]
Writer = Annotated[Actor, requires(Permission.CLIENTS_WRITE)]


@router.get("")
def list_clients(
    session: SessionDep,
    actor: Reader,
    organisation: Annotated[str | None, Query(max_length=32)] = None,
    q: Annotated[str | None, Query(max_length=100, description="Name or file number")] = None,
    status: Status | None = None,
    include_merged: bool = False,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=clients.MAX_PER_PAGE)] = 50,
) -> ClientPage:
    """The organisation's files, by name or file number and status, a page at a time."""
    return clients.search_clients(
        session,
        actor,
        organisation=organisation,
        text=q,
        status=status,
        include_merged=include_merged,
        page=page,
        per_page=per_page,
    )


@router.post("", status_code=201, responses=_DUPLICATES)
def intake(
    session: SessionDep, actor: Writer, body: IntakeRequest, force: bool = False
) -> ClientView:
    """Open a file; 409 with the possible duplicates unless `force=true`."""
    fields = ClientFields.model_validate(body.model_dump(exclude={"organisation", "consents"}))
    try:
        return open_client(
            session, actor, body.organisation, fields, consents=body.consents, force=force
        )
    except DuplicateSuspected as error:
        answer = DuplicatesAnswer(detail=str(error), duplicates=error.candidates)
        return JSONResponse(status_code=409, content=answer.model_dump(mode="json"))  # type: ignore[return-value]


@router.get("/duplicates")
def duplicates(
    session: SessionDep,
    actor: Reader,
    first_name: Annotated[str, Query(min_length=1, max_length=100)],
    last_name: Annotated[str, Query(min_length=1, max_length=100)],
    birth_date: date | None = None,
    organisation: Annotated[str | None, Query(max_length=32)] = None,
) -> list[DuplicateCandidate]:
    """Files that may be this person, best first: the search to run before an intake."""
    return duplicate_candidates(
        session, actor, first_name, last_name, birth_date, organisation=organisation
    )


@router.get("/{client_id}")
def read_client(session: SessionDep, actor: Reader, client_id: int) -> ClientView:
    """A client file; a merged one says which file it was merged into."""
    return clients.read_client(session, actor, client_id)


@router.patch("/{client_id}")
def update_client(
    session: SessionDep, actor: Writer, client_id: int, body: ClientChanges
) -> ClientView:
    """Correct the fields sent (the audit names them, never their values)."""
    return clients.update_client(session, actor, client_id, body)


@router.post("/{client_id}/status")
def change_status(
    session: SessionDep, actor: Writer, client_id: int, body: StatusChange
) -> ClientView:
    """Set the file active, paused or closed (with a reason)."""
    return clients.change_status(session, actor, client_id, body)


@router.post("/{client_id}/pauses", status_code=201)
def add_pause(session: SessionDep, actor: Writer, client_id: int, body: PauseInput) -> PauseView:
    """Schedule a pause of services."""
    return client_parts.add_pause(session, actor, client_id, body)


@router.get("/{client_id}/pauses")
def list_pauses(session: SessionDep, actor: Reader, client_id: int) -> list[PauseView]:
    """The client's scheduled pauses."""
    return client_parts.list_pauses(session, actor, client_id)


@router.post("/{client_id}/contacts", status_code=201)
def add_contact(
    session: SessionDep, actor: Writer, client_id: int, body: ContactInput
) -> ContactView:
    """Add an emergency contact or a referent."""
    return client_parts.add_contact(session, actor, client_id, body)


@router.get("/{client_id}/contacts")
def list_contacts(session: SessionDep, actor: Reader, client_id: int) -> list[ContactView]:
    """The client's contacts."""
    return client_parts.list_contacts(session, actor, client_id)


@router.delete("/{client_id}/contacts/{contact_id}", status_code=204)
def remove_contact(session: SessionDep, actor: Writer, client_id: int, contact_id: int) -> None:
    """Remove a contact."""
    client_parts.remove_contact(session, actor, client_id, contact_id)


@router.post("/{client_id}/consents", status_code=201)
def give_consent(
    session: SessionDep, actor: Writer, client_id: int, body: ConsentInput
) -> ConsentView:
    """Record a consent for one purpose (a parent or guardian under 14)."""
    return consent_records.give_consent(session, actor, client_id, body)


@router.get("/{client_id}/consents")
def list_consents(session: SessionDep, actor: Reader, client_id: int) -> list[ConsentView]:
    """Every consent of the client, withdrawn ones included."""
    return consent_records.list_consents(session, actor, client_id)


@router.post("/{client_id}/consents/{consent_id}/withdraw")
def withdraw_consent(
    session: SessionDep, actor: Writer, client_id: int, consent_id: int, body: Withdrawal
) -> ConsentView:
    """Record a withdrawal (the consent is kept, with the day it ended)."""
    return consent_records.withdraw_consent(
        session, actor, client_id, consent_id, withdrawn_on=body.withdrawn_on
    )


@router.post("/{client_id}/enrolments", status_code=201)
def enrol(
    session: SessionDep, actor: Writer, client_id: int, body: EnrolmentInput
) -> EnrolmentView:
    """Enrol the client in a program of her organisation."""
    return client_parts.enrol(session, actor, client_id, body)


@router.get("/{client_id}/enrolments")
def list_enrolments(session: SessionDep, actor: Reader, client_id: int) -> list[EnrolmentView]:
    """The client's enrolments."""
    return client_parts.list_enrolments(session, actor, client_id)


@router.post("/{client_id}/enrolments/{enrolment_id}/end")
def end_enrolment(
    session: SessionDep, actor: Writer, client_id: int, enrolment_id: int, body: EnrolmentEnd
) -> EnrolmentView:
    """End an enrolment, with the reason."""
    return client_parts.end_enrolment(session, actor, client_id, enrolment_id, body)


@router.post("/{client_id}/merge-into/{target_id}")
def merge_into(session: SessionDep, actor: Writer, client_id: int, target_id: int) -> MergeResult:
    """Merge this file into `target_id` (same organisation): its records move there."""
    return merge_clients(session, actor, keep_id=target_id, merged_id=client_id)
