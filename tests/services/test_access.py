"""Accounts, grants and tokens as the use cases see them: who may do what, and where."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from core.db import session_scope
from core.errors import Forbidden, InvalidInput, NotFound, Unauthorized
from core.models import ApiToken, Membership, User
from core.models.base import utc_now
from services.access.actor import Actor, Grant, load_actor, require_membership
from services.access.organisations import ensure_organisations, organisation_by_slug
from services.access.roles import PROGRAM_SCOPED, ROLE_PERMISSIONS, Permission, Role
from services.access.tokens import actor_for_token, revoke_token
from services.access.users import create_user, disable_user, list_users, new_token

PASSWORD = "correct horse battery"
ALIMA, SESAME = 1, 2
PRENATAL, POSTNATAL = 10, 11


def dietitian_of_prenatal() -> Actor:
    return Actor(7, "d@alima.example", (Grant(ALIMA, Role.DIETITIAN, PRENATAL),), "test")


def test_a_program_scoped_grant_limits_clinical_permissions_to_its_program() -> None:
    actor = dietitian_of_prenatal()

    assert actor.allows(Permission.CLINICAL_READ, ALIMA, PRENATAL)
    assert not actor.allows(Permission.CLINICAL_READ, ALIMA, POSTNATAL)
    assert not actor.allows(Permission.CLINICAL_WRITE, ALIMA, None)
    # Permissions that are not program-scoped hold across the organisation.
    assert Permission.CLIENTS_READ not in PROGRAM_SCOPED
    assert actor.allows(Permission.CLIENTS_READ, ALIMA, POSTNATAL)
    assert not actor.allows(Permission.CLIENTS_READ, SESAME, PRENATAL)


def test_a_grant_for_every_program_gives_clinical_permissions_in_all() -> None:
    actor = Actor(7, "d@alima.example", (Grant(ALIMA, Role.DIETITIAN),), "test")

    assert actor.allows(Permission.CLINICAL_WRITE, ALIMA, PRENATAL)
    assert actor.allows(Permission.CLINICAL_WRITE, ALIMA, POSTNATAL)
    assert not actor.allows(Permission.CLINICAL_WRITE, SESAME, PRENATAL)


def test_require_hides_other_organisations_and_forbids_inside_hers() -> None:
    actor = dietitian_of_prenatal()

    actor.require(Permission.CLINICAL_READ, ALIMA, PRENATAL)
    with pytest.raises(NotFound):
        actor.require(Permission.CLIENTS_READ, SESAME)
    with pytest.raises(Forbidden, match="clinical:read"):
        actor.require(Permission.CLINICAL_READ, ALIMA, POSTNATAL)
    with pytest.raises(Forbidden, match="audit:read"):
        actor.require(Permission.AUDIT_READ, ALIMA)


def test_roles_give_least_privilege() -> None:
    admin = Actor(1, "a@x", (Grant(ALIMA, Role.ADMIN),), "test")
    analyst = Actor(2, "b@x", (Grant(ALIMA, Role.ANALYST),), "test")
    volunteer = Actor(3, "c@x", (Grant(ALIMA, Role.VOLUNTEER),), "test")

    assert admin.has(Permission.USERS_MANAGE) and not admin.has(Permission.CLIENTS_READ)
    assert analyst.has(Permission.REPORTS_READ) and not analyst.has(Permission.CLIENTS_READ)
    assert not volunteer.has(Permission.CLIENTS_READ)
    clinical = {r for r in Role if Permission.CLINICAL_READ in ROLE_PERMISSIONS[r]}
    assert clinical == {Role.DIETITIAN}
    with pytest.raises(Forbidden):
        require_membership(analyst, Permission.CLIENTS_WRITE)
    assert analyst.organisations_with(Permission.REPORTS_READ) == {ALIMA}
    assert analyst.organisations_with(Permission.CLIENTS_READ) == set()


def test_the_operator_may_do_everything_and_is_audited_as_cli() -> None:
    operator = Actor.command_line()

    assert operator.operator and operator.user_id is None
    assert operator.email.startswith("cli:") and operator.source == "cli"
    assert all(operator.allows(p, SESAME, PRENATAL) for p in Permission)


def test_an_account_gets_its_grants_from_its_memberships(db_url: str) -> None:
    with session_scope(db_url) as session:
        ensure_organisations(session)
        session.commit()
        create_user(session, "Diet@Alima.example", PASSWORD, organisation="alima",
                    role="dietitian", program="prenatal")  # fmt: skip
        create_user(session, "diet@alima.example", PASSWORD, organisation="sesame", role="analyst")
        user = session.exec(select(User)).one()
        actor = load_actor(session, user, "test")
        alima = organisation_by_slug(session, "alima")
        listed = list_users(session, "sesame")

    assert user.email == "diet@alima.example"  # normalised to lower case
    assert {(g.role, g.program_id is not None) for g in actor.grants} == {
        (Role.DIETITIAN, True),
        (Role.ANALYST, False),
    }
    assert actor.has(Permission.CLINICAL_READ)
    assert alima.id in actor.organisations()
    assert [(u.email, [m.role for m in u.memberships]) for u in listed] == [
        ("diet@alima.example", ["analyst"])
    ]


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"password": "short"}, InvalidInput, "at least 12 characters"),
        ({"password": " padded password "}, InvalidInput, "spaces"),
        ({"role": "chef"}, InvalidInput, "unknown role 'chef'"),
        ({"organisation": "atlantis"}, NotFound, "no organisation 'atlantis'"),
        ({"program": "spa"}, NotFound, "no program 'spa'"),
        ({"email": "not an email"}, InvalidInput, "not an email address"),
    ],
)
def test_a_bad_account_is_refused_and_nothing_is_written(
    db_url: str, changes: dict[str, str], error: type[Exception], message: str
) -> None:
    values = {"email": "x@alima.example", "password": PASSWORD, "organisation": "alima",
              "role": "dietitian", "program": None, **changes}  # fmt: skip
    with session_scope(db_url) as session:
        ensure_organisations(session)
        session.commit()
        with pytest.raises(error, match=message):
            create_user(
                session,
                values.pop("email"),  # type: ignore[arg-type]
                values.pop("password"),  # type: ignore[arg-type]
                **values,  # type: ignore[arg-type]
            )
        session.rollback()
        assert session.exec(select(User)).all() == []


def test_the_same_role_twice_is_refused(db_url: str) -> None:
    with session_scope(db_url) as session:
        ensure_organisations(session)
        session.commit()
        create_user(session, "x@alima.example", PASSWORD, organisation="alima", role="analyst")
        with pytest.raises(InvalidInput, match="already analyst of alima"):
            create_user(session, "x@alima.example", PASSWORD, organisation="alima", role="analyst")
        assert len(session.exec(select(Membership)).all()) == 1


def test_tokens_expire_are_revoked_and_die_with_a_disabled_account(db_url: str) -> None:
    with session_scope(db_url) as session:
        ensure_organisations(session)
        session.commit()
        create_user(session, "x@alima.example", PASSWORD, organisation="alima", role="analyst")
        first, second, third = (new_token(session, "x@alima.example", days=1) for _ in range(3))

        assert actor_for_token(session, first, "test").email == "x@alima.example"
        with pytest.raises(Unauthorized, match="expired"):
            actor_for_token(session, first, "test", now=utc_now() + timedelta(days=2))
        assert revoke_token(session, first) is True
        assert revoke_token(session, first) is False
        with pytest.raises(Unauthorized, match="revoked"):
            actor_for_token(session, first, "test")
        with pytest.raises(Unauthorized, match="unknown"):
            actor_for_token(session, first + "x", "test")

        assert disable_user(session, "x@alima.example") == 2
        for token in (second, third):
            with pytest.raises(Unauthorized):
                actor_for_token(session, token, "test")
        with pytest.raises(InvalidInput, match="disabled"):
            new_token(session, "x@alima.example", days=1)
        rows = session.exec(select(ApiToken)).all()
    # Only digests are kept.
    assert all(len(row.token_hash) == 64 and row.token_hash not in (first, second) for row in rows)


def test_the_roles_table_of_docs_records_md_is_roles_py() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "records.md").read_text()
    header = next(line for line in text.splitlines() if line.startswith("| permission |"))
    roles = [Role(cell.strip()) for cell in header.strip("|").split("|")[1:]]
    documented: dict[Role, set[Permission]] = {role: set() for role in roles}
    rows = re.findall(r"^\| `([a-z:]+)` \|(.*)\|$", text, flags=re.MULTILINE)
    for permission, cells in rows:
        for role, cell in zip(roles, cells.split("|"), strict=True):
            if cell.strip() == "x":
                documented[role].add(Permission(permission))

    assert set(roles) == set(Role)
    assert {Permission(p) for p, _ in rows} == set(Permission)
    assert documented == {role: set(ROLE_PERMISSIONS[role]) for role in Role}
