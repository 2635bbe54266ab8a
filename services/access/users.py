"""Accounts: create a user with a role, list them, disable one, give one a token."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from core.errors import N_, InvalidInput, NotFound
from core.models import Membership, Organisation, Program, User
from core.models.base import utc_now
from services.access.organisations import organisation_by_slug, program_by_code
from services.access.passwords import hash_password
from services.access.roles import parse_role
from services.access.tokens import issue_token, revoke_user_tokens


@dataclass(frozen=True)
class MembershipView:
    """A role as a person reads it: organisation slug, role, program code or None."""

    organisation: str
    role: str
    program: str | None


@dataclass(frozen=True)
class UserView:
    """An account without its password hash."""

    email: str
    active: bool
    memberships: list[MembershipView]


def _normalised_email(email: str) -> str:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254 or any(char.isspace() for char in email):
        raise InvalidInput(N_("%(email)r is not an email address"), email=email)
    return email


def user_by_email(session: Session, email: str) -> User:
    """Return the account of `email`, or raise NotFound."""
    user = session.exec(select(User).where(User.email == _normalised_email(email))).first()
    if user is None:
        raise NotFound(f"no account {email!r}")
    return user


def create_user(
    session: Session,
    email: str,
    password: str,
    *,
    organisation: str,
    role: str,
    program: str | None = None,
    display_name: str = "",
) -> User:
    """Create an account with one membership, or add the membership to an existing account.

    Raises:
        InvalidInput: a bad email, role or password, or that membership exists already.
        NotFound: no such organisation or program.
    """
    email = _normalised_email(email)
    try:
        chosen_role = parse_role(role)
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    owner = organisation_by_slug(session, organisation)
    limited_to = program_by_code(session, owner, program) if program else None
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None:
        user = User(email=email, display_name=display_name, password_hash=hash_password(password))
        session.add(user)
        session.flush()
    assert user.id is not None and owner.id is not None
    program_id = limited_to.id if limited_to else None
    already = N_("%(email)s is already %(role)s of %(organisation)s")
    facts = {"email": email, "role": chosen_role.value, "organisation": organisation}
    # Looked for first: the unique constraint cannot see it when program_id is NULL (SQL
    # holds two NULLs different), and an organisation-wide role has a NULL program.
    existing = session.exec(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.organisation_id == owner.id,
            Membership.role == chosen_role.value,
            Membership.program_id == program_id
            if program_id is not None
            else Membership.program_id.is_(None),  # type: ignore[union-attr]
        )
    ).first()
    if existing is not None:
        session.rollback()
        raise InvalidInput(already, **facts)
    session.add(
        Membership(
            user_id=user.id,
            organisation_id=owner.id,
            role=chosen_role.value,
            program_id=program_id,
        )
    )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise InvalidInput(already, **facts) from None
    return user


def list_users(session: Session, organisation: str | None = None) -> list[UserView]:
    """Every account (of one organisation if named), with its memberships, by email."""
    rows = session.exec(
        select(User, Membership, Organisation, Program)
        .join(Membership, Membership.user_id == User.id)  # type: ignore[arg-type]
        .join(Organisation, Organisation.id == Membership.organisation_id)  # type: ignore[arg-type]
        .outerjoin(Program, Program.id == Membership.program_id)  # type: ignore[arg-type]
        .order_by(User.email)
    ).all()
    views: dict[str, UserView] = {}
    for user, membership, owner, program in rows:
        if organisation and owner.slug != organisation:
            continue
        view = views.setdefault(user.email, UserView(user.email, user.active, []))
        view.memberships.append(
            MembershipView(owner.slug, membership.role, program.code if program else None)
        )
    return list(views.values())


def disable_user(session: Session, email: str) -> int:
    """Disable an account and revoke its tokens; return how many tokens were revoked."""
    user = user_by_email(session, email)
    user.active = False
    user.disabled_at = utc_now()
    session.add(user)
    assert user.id is not None
    revoked = revoke_user_tokens(session, user.id)
    session.commit()
    return revoked


def new_token(session: Session, email: str, *, days: int, name: str = "cli") -> str:
    """Issue a token for an active account; return it in clear (the only time it is shown)."""
    user = user_by_email(session, email)
    if not user.active:
        raise InvalidInput(N_("%(email)s is disabled"), email=email)
    token, _row = issue_token(session, user, days=days, name=name)
    session.commit()
    return token
