"""Reach a record through the caller's grants: her organisation's, or not found at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlmodel import Session, select

from core.errors import N_, Forbidden, InvalidInput, NotFound
from core.models import Client, Organisation, Program
from services.access.actor import Actor
from services.access.organisations import organisation_by_slug
from services.access.roles import Permission
from services.records.audit import audit

# A table whose rows belong to a client, an organisation or a program (by its id column).
RecordT = TypeVar("RecordT")


def client_for(
    session: Session,
    actor: Actor,
    client_id: int,
    permission: Permission,
    program_id: int | None = None,
) -> Client:
    """Return a client the actor may reach with `permission`.

    Raises:
        NotFound: no such client, or one of an organisation she does not belong to (the
            same answer, so another organisation's file numbers cannot be probed).
        Forbidden: her organisation's client, but her role does not allow it (audited).
    """
    client = session.get(Client, client_id)
    if client is None or client.anonymised_at is not None:
        raise NotFound(f"no client {client_id}")
    try:
        actor.require(permission, client.organisation_id, program_id)
    except NotFound:
        raise NotFound(f"no client {client_id}") from None
    except Forbidden:
        audit(
            session,
            actor,
            "refuse",
            "client",
            record_id=client.id,
            client=client,
            detail=permission.value,
        )
        session.commit()
        raise
    return client


@contextmanager
def _answered_as(what: str, record_id: int) -> Iterator[None]:
    """A record missing, or out of her reach, is not found under its own name (no probing)."""
    try:
        yield
    except NotFound:
        raise NotFound(f"no {what} {record_id}") from None


def client_record_for(
    session: Session,
    actor: Actor,
    model: type[RecordT],
    record_id: int,
    permission: Permission,
    what: str,
    *,
    in_program: bool = False,
) -> tuple[RecordT, Client]:
    """Return a record of a client's file, and the client, reached with `permission` on her.

    `in_program` checks the permission on the record's program (clinical roles may be
    limited to one); `what` names the record in the error.

    Raises:
        NotFound: no such record, or one of a client she may not reach (the same answer).
        Forbidden: her organisation's client, but her role does not allow it (audited).
    """
    row: Any = session.get(model, record_id)
    with _answered_as(what, record_id):
        if row is None:
            raise NotFound(what)
        program_id = row.program_id if in_program else None
        client = client_for(session, actor, row.client_id, permission, program_id)
    return row, client


def organisation_record_for(
    session: Session,
    actor: Actor,
    model: type[RecordT],
    record_id: int,
    permission: Permission,
    what: str,
) -> RecordT:
    """Return a record of an organisation's (organisation_id) she may reach with `permission`.

    Raises:
        NotFound: no such record, or another organisation's (the same answer).
        Forbidden: her organisation's, but her role does not allow it.
    """
    row: Any = session.get(model, record_id)
    with _answered_as(what, record_id):
        if row is None:
            raise NotFound(what)
        actor.require(permission, row.organisation_id)
    return row


def program_record_for(
    session: Session,
    actor: Actor,
    model: type[RecordT],
    record_id: int,
    permission: Permission,
    what: str,
) -> tuple[RecordT, Program]:
    """Return a record of a program's (program_id), and the program, if she may reach it.

    Raises:
        NotFound: no such record, or one of another organisation's program (the same answer).
        Forbidden: her organisation's, but her role does not allow it.
    """
    row: Any = session.get(model, record_id)
    program = session.get(Program, row.program_id) if row is not None else None
    with _answered_as(what, record_id):
        if row is None or program is None:
            raise NotFound(what)
        actor.require(permission, program.organisation_id)
    return row, program


def organisation_for(
    session: Session, actor: Actor, permission: Permission, slug: str | None = None
) -> Organisation:
    """The organisation a request is about: the one named, or the caller's only one.

    Raises:
        NotFound: a named organisation she does not belong to (or none by that slug).
        Forbidden: hers, but her role there does not give `permission`.
        InvalidInput: she has that permission in several and named none.
    """
    if slug is not None:
        organisation = organisation_by_slug(session, slug)
        assert organisation.id is not None
        actor.require(permission, organisation.id)
        return organisation
    if actor.operator:
        raise InvalidInput(N_("name the organisation (--org)"))
    candidates = sorted(actor.organisations_with(permission))
    if not candidates:
        raise Forbidden(N_("your role does not allow %(permission)s"), permission=permission.value)
    if len(candidates) > 1:
        slugs = session.exec(
            select(Organisation.slug).where(Organisation.id.in_(candidates))  # type: ignore[union-attr]
        ).all()
        raise InvalidInput(
            N_("name the organisation: you belong to %(slugs)s"), slugs=", ".join(slugs)
        )
    organisation = session.get(Organisation, candidates[0])
    assert organisation is not None
    return organisation
