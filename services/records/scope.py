"""Reach a record through the caller's grants: her organisation's, or not found at all."""

from __future__ import annotations

from sqlmodel import Session, select

from core.errors import N_, Forbidden, InvalidInput, NotFound
from core.models import Client, Organisation
from services.access.actor import Actor
from services.access.organisations import organisation_by_slug
from services.access.roles import Permission
from services.records.audit import audit


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
