"""Who is registered for a group session, by name: the attendance sheet a coordinator marks.

`groups.get_session` gives the registered clients' ids only; a sheet to mark needs names and
file numbers. Reading them is a read of clients' data: one audit row for the sheet.
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlmodel import Session, col, select

from core.models import Attendance, Client, GroupSession
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.scope import program_record_for


class RosterLine(BaseModel):
    """A registered client and whether she came."""

    client_id: int
    file_number: str
    first_name: str
    last_name: str
    present: bool


def session_roster(session: Session, actor: Actor, session_id: int) -> list[RosterLine]:
    """The registered clients of a session of her organisation, by last name (clients:read)."""
    _group, program = program_record_for(
        session, actor, GroupSession, session_id, Permission.CLIENTS_READ, "group session"
    )
    rows = session.exec(
        select(Attendance, Client)
        .join(Client, col(Client.id) == Attendance.client_id)
        .where(Attendance.group_session_id == session_id)
        .order_by(col(Client.last_name), col(Client.first_name), col(Client.id))
    ).all()
    audit(
        session,
        actor,
        "read",
        "attendance_sheet",
        record_id=session_id,
        organisation_id=program.organisation_id,
        detail=f"{len(rows)} registered",
    )
    session.commit()
    return [
        RosterLine(
            client_id=client.id or 0,
            file_number=client.file_number,
            first_name=client.first_name,
            last_name=client.last_name,
            present=row.present,
        )
        for row, client in rows
    ]
