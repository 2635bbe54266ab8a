"""The signed-in person as the web app shows her: name, language, organisations and roles."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from core.errors import N_, InvalidInput, NotFound
from core.models import Membership, Organisation, Program, User
from services.access.actor import Actor, Grant
from services.access.roles import Role
from services.access.tokens import user_for_token

LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class RoleView:
    """One role of hers: in an organisation, for all its programs or one."""

    role: str
    program_fr: str | None
    program_en: str | None


@dataclass(frozen=True)
class OrganisationView:
    """An organisation she belongs to, with her roles there."""

    slug: str
    name: str
    roles: list[RoleView]


@dataclass(frozen=True)
class Profile:
    """Who she is and where she works; never the password hash."""

    email: str
    display_name: str
    language: str
    organisations: list[OrganisationView]


def _user(session: Session, actor: Actor) -> User:
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    if user is None:
        raise NotFound("no such account")
    return user


def profile(session: Session, actor: Actor) -> Profile:
    """Return the actor's own profile, her organisations by name and her roles in each."""
    user = _user(session, actor)
    return _profile(user, _memberships(session, user))


def actor_and_profile(session: Session, token: str, source: str) -> tuple[Actor, Profile]:
    """The actor a session token signs in and her profile, from one reading of her account and
    memberships (the web app needs both on every page).

    Raises:
        Unauthorized: an unknown, revoked or expired token, or a disabled account.
    """
    user = user_for_token(session, token)
    rows = _memberships(session, user)
    grants = tuple(
        Grant(membership.organisation_id, Role(membership.role), membership.program_id)
        for membership, _owner, _program in rows
    )
    assert user.id is not None
    return Actor(user.id, user.email, grants, source), _profile(user, rows)


def _memberships(session: Session, user: User) -> list[tuple[Membership, Organisation, Program]]:
    return list(
        session.exec(
            select(Membership, Organisation, Program)
            .join(Organisation, Organisation.id == Membership.organisation_id)  # type: ignore[arg-type]
            .outerjoin(Program, Program.id == Membership.program_id)  # type: ignore[arg-type]
            .where(Membership.user_id == user.id)
            .order_by(Organisation.name, Membership.role)
        ).all()
    )


def _profile(user: User, rows: list[tuple[Membership, Organisation, Program]]) -> Profile:
    organisations: dict[str, OrganisationView] = {}
    for membership, owner, program in rows:
        view = organisations.setdefault(owner.slug, OrganisationView(owner.slug, owner.name, []))
        view.roles.append(
            RoleView(
                membership.role,
                program.name_fr if program else None,
                program.name_en if program else None,
            )
        )
    return Profile(user.email, user.display_name, user.language, list(organisations.values()))


def set_language(session: Session, actor: Actor, language: str) -> None:
    """Record the language the actor reads the web app in ("fr" or "en"), and commit.

    Raises:
        InvalidInput: a language the app has no catalogue for.
    """
    if language not in LANGUAGES:
        raise InvalidInput(
            N_("language %(language)r is not one of %(languages)s"),
            language=language,
            languages=", ".join(LANGUAGES),
        )
    user = _user(session, actor)
    user.language = language
    session.add(user)
    session.commit()
