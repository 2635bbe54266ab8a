"""Staff accounts as a coordinator runs them: her organisation's only, least privilege.

Someone with users:manage in an organisation (a coordinator, an admin) may list its staff,
create an account there and disable one. She may give only the roles in GRANTABLE_ROLES:
coordinator, dietitian, volunteer, analyst. The admin and privacy_officer roles are given by
the operator at the command line (`ppne users create`): an admin runs every account, and the
privacy officer audits the coordinator's own work, so neither may come from her hands.
She cannot give a role in another organisation (the organisation is hers, never typed), use
an email that already has an account (adding a role to an existing account is the operator's
job: the account may belong to another organisation), disable herself, an account that also
belongs to another organisation, or an admin or privacy officer.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from core.errors import N_, Forbidden, InvalidInput, NotFound
from core.models import Membership, Organisation, Program, User
from services.access.actor import Actor
from services.access.roles import Permission, Role
from services.access.users import create_user, disable_user
from services.records.audit import audit

GRANTABLE_ROLES = (Role.COORDINATOR, Role.DIETITIAN, Role.VOLUNTEER, Role.ANALYST)
OPERATOR_ONLY_ROLES = (Role.ADMIN, Role.PRIVACY_OFFICER)


@dataclass(frozen=True)
class OrganisationChoice:
    """An organisation she may act for, and its programs (code, French, English names)."""

    id: int
    slug: str
    name: str
    programs: list[tuple[str, str, str]]


@dataclass(frozen=True)
class StaffRole:
    """A role in the organisation: the role, and the program code it is limited to (or None)."""

    role: str
    program: str | None


@dataclass(frozen=True)
class StaffMember:
    """A staff account of the organisation, with its roles there only."""

    email: str
    display_name: str
    active: bool
    roles: list[StaffRole]


def organisations_for(
    session: Session, actor: Actor, permission: Permission
) -> list[OrganisationChoice]:
    """The organisations where her roles give `permission`, by name, with their programs."""
    ids = actor.organisations_with(permission)
    if not ids:
        return []
    owners = session.exec(
        select(Organisation).where(col(Organisation.id).in_(ids)).order_by(col(Organisation.name))
    ).all()
    choices = []
    for owner in owners:
        assert owner.id is not None
        programs = session.exec(
            select(Program).where(Program.organisation_id == owner.id).order_by(col(Program.id))
        ).all()
        choices.append(
            OrganisationChoice(
                owner.id,
                owner.slug,
                owner.name,
                [(p.code, p.name_fr, p.name_en) for p in programs],
            )
        )
    return choices


def _organisation(session: Session, actor: Actor, slug: str) -> Organisation:
    """Her organisation `slug` where she has users:manage; another one answers NotFound."""
    owner = session.exec(select(Organisation).where(Organisation.slug == slug)).first()
    if owner is None or owner.id not in actor.organisations():
        raise NotFound(f"no organisation {slug!r}")
    actor.require(Permission.USERS_MANAGE, owner.id)
    return owner


def list_staff(session: Session, actor: Actor, organisation: str) -> list[StaffMember]:
    """The organisation's accounts by email, with their roles there (users:manage)."""
    owner = _organisation(session, actor, organisation)
    rows = session.exec(
        select(User, Membership, Program)
        .join(Membership, col(Membership.user_id) == User.id)
        .outerjoin(Program, col(Program.id) == Membership.program_id)
        .where(Membership.organisation_id == owner.id)
        .order_by(col(User.email), col(Membership.id))
    ).all()
    members: dict[str, StaffMember] = {}
    for user, membership, program in rows:
        member = members.setdefault(
            user.email, StaffMember(user.email, user.display_name, user.active, [])
        )
        member.roles.append(StaffRole(membership.role, program.code if program else None))
    audit(
        session,
        actor,
        "read",
        "staff_list",
        organisation_id=owner.id,
        detail=f"{len(members)} accounts",
    )
    session.commit()
    return list(members.values())


def create_staff(
    session: Session,
    actor: Actor,
    organisation: str,
    *,
    email: str,
    password: str,
    role: str,
    program: str | None = None,
    display_name: str = "",
) -> StaffMember:
    """Create an account of her organisation with one of GRANTABLE_ROLES (Argon2 password).

    Raises:
        Forbidden: a role outside GRANTABLE_ROLES (admin, privacy_officer: the operator's).
        InvalidInput: a bad email or password, or an email that has an account already.
        NotFound: not her organisation, or no such program there.
    """
    owner = _organisation(session, actor, organisation)
    if role not in {grantable.value for grantable in GRANTABLE_ROLES}:
        raise Forbidden(N_("the role %(role)r is given by the operator only"), role=role)
    taken = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if taken is not None:
        raise InvalidInput(N_("an account already uses this email address"))
    user = create_user(
        session,
        email,
        password,
        organisation=owner.slug,
        role=role,
        program=program,
        display_name=display_name.strip(),
    )
    audit(
        session,
        actor,
        "create",
        "user",
        record_id=user.id,
        organisation_id=owner.id,
        detail=f"role={role} program={program or '-'}",
    )
    session.commit()
    return StaffMember(user.email, user.display_name, True, [StaffRole(role, program)])


def disable_staff(session: Session, actor: Actor, organisation: str, email: str) -> None:
    """Disable an account of her organisation only, and revoke its tokens.

    Raises:
        NotFound: no account with that email in her organisation.
        Forbidden: herself, an admin or privacy officer, or an account of another
            organisation too (the operator disables those).
    """
    owner = _organisation(session, actor, organisation)
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    memberships = (
        session.exec(select(Membership).where(Membership.user_id == user.id)).all() if user else []
    )
    if user is None or not any(m.organisation_id == owner.id for m in memberships):
        raise NotFound(f"no account {email!r} here")
    if user.id == actor.user_id:
        raise Forbidden(N_("you cannot disable your own account"))
    if any(m.organisation_id != owner.id for m in memberships):
        raise Forbidden(N_("this account belongs to another organisation too"))
    if any(m.role in {r.value for r in OPERATOR_ONLY_ROLES} for m in memberships):
        raise Forbidden(N_("admin and privacy officer accounts are the operator's"))
    disable_user(session, user.email)
    audit(
        session,
        actor,
        "update",
        "user",
        record_id=user.id,
        organisation_id=owner.id,
        detail="disabled",
    )
    session.commit()
