"""The parts of a client file: scheduled pauses, contacts to call, program enrolments.

Each use case reaches the client through `client_for` (404 outside her organisations) and
leaves one audit row.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from core.errors import N_, InvalidInput, NotFound
from core.models import ClientContact, ClientPause, Enrolment, Organisation, Program
from services.access.actor import Actor
from services.access.organisations import program_by_code
from services.access.roles import Permission
from services.records.audit import audit
from services.records.client_models import (
    ContactInput,
    ContactView,
    EnrolmentEnd,
    EnrolmentInput,
    EnrolmentView,
    PauseInput,
    PauseView,
)
from services.records.clients import writable
from services.records.scope import client_for


def add_pause(session: Session, actor: Actor, client_id: int, pause: PauseInput) -> PauseView:
    """Schedule a pause of services (a hospital stay): from one day, to another or open."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_WRITE)
    writable(client)
    if pause.ends_on is not None and pause.ends_on < pause.starts_on:
        raise InvalidInput(N_("a pause cannot end before it starts"))
    assert client.id is not None
    row = ClientPause(client_id=client.id, **pause.model_dump())
    session.add(row)
    session.flush()
    audit(session, actor, "create", "client_pause", record_id=row.id, client=client)
    session.commit()
    return PauseView.model_validate(row, from_attributes=True)


def list_pauses(session: Session, actor: Actor, client_id: int) -> list[PauseView]:
    """A client's scheduled pauses, earliest first (one audit row)."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_READ)
    rows = session.exec(
        select(ClientPause)
        .where(ClientPause.client_id == client.id)
        .order_by(col(ClientPause.starts_on), col(ClientPause.id))
    ).all()
    audit(session, actor, "read", "client_pause", client=client, detail=f"{len(rows)} pause(s)")
    session.commit()
    return [PauseView.model_validate(row, from_attributes=True) for row in rows]


def add_contact(
    session: Session, actor: Actor, client_id: int, contact: ContactInput
) -> ContactView:
    """Add an emergency contact or a referent."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_WRITE)
    writable(client)
    assert client.id is not None
    row = ClientContact(client_id=client.id, **contact.model_dump())
    session.add(row)
    session.flush()
    audit(session, actor, "create", "client_contact", record_id=row.id, client=client)
    session.commit()
    return ContactView.model_validate(row, from_attributes=True)


def list_contacts(session: Session, actor: Actor, client_id: int) -> list[ContactView]:
    """A client's contacts, emergency ones first (one audit row)."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_READ)
    rows = session.exec(
        select(ClientContact)
        .where(ClientContact.client_id == client.id)
        .order_by(col(ClientContact.kind), col(ClientContact.id))
    ).all()
    audit(session, actor, "read", "client_contact", client=client, detail=f"{len(rows)} contact(s)")
    session.commit()
    return [ContactView.model_validate(row, from_attributes=True) for row in rows]


def remove_contact(session: Session, actor: Actor, client_id: int, contact_id: int) -> None:
    """Delete a contact of the client (a contact is not a record of her care)."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_WRITE)
    row = session.get(ClientContact, contact_id)
    if row is None or row.client_id != client.id:
        raise NotFound(f"no contact {contact_id} for client {client_id}")
    session.delete(row)
    audit(session, actor, "delete", "client_contact", record_id=contact_id, client=client)
    session.commit()


def _enrolment_view(row: Enrolment, program: Program) -> EnrolmentView:
    assert row.id is not None
    return EnrolmentView(
        id=row.id,
        program=program.code,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        end_reason=row.end_reason,
    )


def enrol(
    session: Session, actor: Actor, client_id: int, enrolment: EnrolmentInput
) -> EnrolmentView:
    """Enrol a client in a program of her organisation; refused if already enrolled in it."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_WRITE)
    writable(client)
    organisation = session.get(Organisation, client.organisation_id)
    assert organisation is not None and client.id is not None
    program = program_by_code(session, organisation, enrolment.program)
    open_already = session.exec(
        select(Enrolment.id).where(
            Enrolment.client_id == client.id,
            Enrolment.program_id == program.id,
            col(Enrolment.ends_on).is_(None),
        )
    ).first()
    if open_already is not None:
        raise InvalidInput(
            N_("the client is already enrolled in %(program_code)s"), program_code=program.code
        )
    assert program.id is not None
    row = Enrolment(
        client_id=client.id, program_id=program.id, starts_on=enrolment.starts_on or date.today()
    )
    session.add(row)
    session.flush()
    audit(
        session, actor, "create", "enrolment", record_id=row.id, client=client, detail=program.code
    )
    session.commit()
    return _enrolment_view(row, program)


def end_enrolment(
    session: Session, actor: Actor, client_id: int, enrolment_id: int, end: EnrolmentEnd
) -> EnrolmentView:
    """End an enrolment on a day, with the reason (moved, baby four months old, deceased)."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_WRITE)
    row = session.get(Enrolment, enrolment_id)
    if row is None or row.client_id != client.id:
        raise NotFound(f"no enrolment {enrolment_id} for client {client_id}")
    if row.ends_on is not None:
        raise InvalidInput(
            N_("enrolment %(enrolment_id)s already ended on %(ends_on)s"),
            enrolment_id=enrolment_id,
            ends_on=row.ends_on,
        )
    ends_on = end.ends_on or date.today()
    if ends_on < row.starts_on:
        raise InvalidInput(N_("an enrolment cannot end before it starts"))
    row.ends_on, row.end_reason = ends_on, end.reason
    session.add(row)
    audit(session, actor, "update", "enrolment", record_id=row.id, client=client, detail="ended")
    session.commit()
    program = session.get(Program, row.program_id)
    assert program is not None
    return _enrolment_view(row, program)


def list_enrolments(session: Session, actor: Actor, client_id: int) -> list[EnrolmentView]:
    """A client's enrolments, earliest first (one audit row)."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_READ)
    rows = session.exec(
        select(Enrolment, Program)
        .join(Program, col(Program.id) == col(Enrolment.program_id))
        .where(Enrolment.client_id == client.id)
        .order_by(col(Enrolment.starts_on), col(Enrolment.id))
    ).all()
    audit(session, actor, "read", "enrolment", client=client, detail=f"{len(rows)} enrolment(s)")
    session.commit()
    return [_enrolment_view(row, program) for row, program in rows]
