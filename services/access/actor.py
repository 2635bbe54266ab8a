"""The caller of a use case: a user and her grants, or the operator at the command line."""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from sqlmodel import Session, select

from core.errors import N_, Forbidden, NotFound
from core.models import Membership, User
from services.access.roles import PROGRAM_SCOPED, ROLE_PERMISSIONS, Permission, Role


@dataclass(frozen=True)
class Grant:
    """A role in an organisation, for all its programs (program_id None) or one."""

    organisation_id: int
    role: Role
    program_id: int | None = None

    def gives(self, permission: Permission, program_id: int | None) -> bool:
        """Whether this grant allows `permission` on a record of `program_id`."""
        if permission not in ROLE_PERMISSIONS[self.role]:
            return False
        if permission in PROGRAM_SCOPED and self.program_id is not None:
            return program_id == self.program_id
        return True


@dataclass(frozen=True)
class Actor:
    """Who is asking, what she holds, and where from (an IP address, or "cli")."""

    user_id: int | None
    email: str
    grants: tuple[Grant, ...]
    source: str
    # The operator at the command line: whoever can run `ppne` can open the database file.
    operator: bool = False

    @classmethod
    def command_line(cls) -> Actor:
        """The operator running `ppne` on the server, audited as "cli:<login>"."""
        return cls(None, f"cli:{getpass.getuser()}", (), "cli", operator=True)

    def has(self, permission: Permission) -> bool:
        """Whether any grant gives `permission` somewhere (the route-level check)."""
        return self.operator or any(
            permission in ROLE_PERMISSIONS[grant.role] for grant in self.grants
        )

    def organisations(self) -> set[int]:
        """The organisations she belongs to, whatever her role."""
        return {grant.organisation_id for grant in self.grants}

    def organisations_with(self, permission: Permission) -> set[int]:
        """The organisations where some grant gives `permission` (for some program at least)."""
        return {
            grant.organisation_id
            for grant in self.grants
            if permission in ROLE_PERMISSIONS[grant.role]
        }

    def allows(
        self, permission: Permission, organisation_id: int, program_id: int | None = None
    ) -> bool:
        """Whether she may do `permission` on a record of that organisation and program."""
        return self.operator or any(
            grant.organisation_id == organisation_id and grant.gives(permission, program_id)
            for grant in self.grants
        )

    def require(
        self, permission: Permission, organisation_id: int, program_id: int | None = None
    ) -> None:
        """Raise unless allowed: NotFound outside her organisations, so nothing leaks that a
        record exists; Forbidden inside them."""
        if self.allows(permission, organisation_id, program_id):
            return
        if organisation_id not in self.organisations():
            raise NotFound("no such record")
        raise Forbidden(
            N_("your role does not allow %(permission)s here"), permission=permission.value
        )


def load_actor(session: Session, user: User, source: str) -> Actor:
    """Build the actor of an active user from her memberships."""
    memberships = session.exec(select(Membership).where(Membership.user_id == user.id)).all()
    grants = tuple(
        Grant(membership.organisation_id, Role(membership.role), membership.program_id)
        for membership in memberships
    )
    assert user.id is not None
    return Actor(user.id, user.email, grants, source)


def require_membership(actor: Actor, permission: Permission) -> None:
    """Raise Forbidden unless some grant gives `permission` (before any record is read)."""
    if not actor.has(permission):
        raise Forbidden(N_("your role does not allow %(permission)s"), permission=permission.value)
