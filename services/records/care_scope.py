"""Reach a client and one of her organisation's programs, and the record kinds' shared rules."""

from __future__ import annotations

from sqlmodel import Session, select

from core.errors import N_, Forbidden, InvalidInput, NotFound
from core.models import Client, Program
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.scope import client_for


def program_of(session: Session, organisation_id: int, code: str) -> Program:
    """The program `code` of an organisation, or InvalidInput listing its programs."""
    program = session.exec(
        select(Program).where(Program.organisation_id == organisation_id, Program.code == code)
    ).first()
    if program is None:
        codes = session.exec(
            select(Program.code).where(Program.organisation_id == organisation_id)
        ).all()
        raise InvalidInput(
            N_("unknown program %(code)r: use one of %(codes)s"),
            code=code,
            codes=", ".join(sorted(codes)),
        )
    return program


def program_code(session: Session, program_id: int) -> str:
    """The code of a program, for answers (ids mean nothing to a reader)."""
    program = session.get(Program, program_id)
    assert program is not None
    return program.code


def client_in_program(
    session: Session, actor: Actor, client_id: int, code: str, permission: Permission
) -> tuple[Client, Program]:
    """Return a client and her organisation's program `code`, checked for `permission` there.

    The program is found before the permission is checked, since a clinical permission may
    be limited to one program; a client of another organisation is not found either way,
    before anything about her organisation's programs is said.
    """
    client = session.get(Client, client_id)
    if client is None or not (actor.operator or client.organisation_id in actor.organisations()):
        raise NotFound(f"no client {client_id}")
    program = program_of(session, client.organisation_id, code)
    return client_for(session, actor, client_id, permission, program.id), program


def check_choice(value: str | None, choices: tuple[str, ...], what: str) -> None:
    """Raise InvalidInput naming the accepted values unless `value` is one of them (or None)."""
    if value is not None and value not in choices:
        raise InvalidInput(
            N_("unknown %(what)s %(value)r: use one of %(choices)s"),
            what=what,
            value=value,
            choices=", ".join(choices),
        )


def require_on_program(
    session: Session, actor: Actor, permission: Permission, client: Client, program_id: int
) -> None:
    """Raise Forbidden unless she holds `permission` on that program, auditing the refusal.

    Whatever the use case had changed in the session is rolled back first, so the refusal
    is the only thing written.
    """
    if actor.allows(permission, client.organisation_id, program_id):
        return
    client_id = client.id
    organisation_id = client.organisation_id
    session.rollback()
    audit(
        session,
        actor,
        "refuse",
        "client",
        record_id=client_id,
        client_id=client_id,
        organisation_id=organisation_id,
        detail=permission.value,
    )
    session.commit()
    raise Forbidden(
        N_("your role does not allow %(permission)s for this program"), permission=permission.value
    )
