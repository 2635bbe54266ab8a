"""Accounts made at the command line, and signing in to the API with them."""

from __future__ import annotations

import io
import sys
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select
from typer.testing import CliRunner

from api.app import create_app
from cli.main import app, run
from core.db import session_scope
from core.models import ApiToken, LoginAttempt
from core.models.base import utc_now
from services.access.organisations import ensure_organisations

PASSWORD = "a distinctive passphrase"
EMAIL = "dietitian@alima.example"
runner = CliRunner()


@pytest.fixture
def api(db_url: str) -> TestClient:
    with session_scope(db_url) as session:
        ensure_organisations(session)
        session.commit()
    return TestClient(create_app())


def ppne(*args: str, password: str = PASSWORD) -> str:
    """Run `ppne ARGS` with the password piped in; return its output, failing on an error."""
    result = runner.invoke(app, list(args), input=password + "\n")
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def ppne_error(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> str:
    """Run `ppne ARGS` as the installed command does; return its one error line."""
    monkeypatch.setattr(sys, "argv", ["ppne", *args])
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    capsys.readouterr()
    with pytest.raises(SystemExit) as stopped:
        run()
    assert stopped.value.code != 0
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    return lines[0]


def token_of(email: str = EMAIL) -> str:
    """`ppne users token EMAIL`: the token is the last line."""
    return ppne("users", "token", email).strip().splitlines()[-1]


def sign_in(api: TestClient, password: str = PASSWORD, email: str = EMAIL) -> Any:
    return api.post("/v1/auth/token", data={"username": email, "password": password})


def me(api: TestClient, token: str) -> Any:
    return api.get("/v1/auth/me", headers={"Authorization": f"Bearer {token}"})


def test_an_account_made_at_the_command_line_signs_in(api: TestClient) -> None:
    output = ppne("users", "create", EMAIL, "--org", "alima", "--role", "dietitian")
    assert "dietitian of alima" in output
    assert PASSWORD not in output

    token = token_of()
    answer = me(api, token)
    assert answer.status_code == 200
    body = answer.json()
    assert body["email"] == EMAIL
    assert [g["role"] for g in body["grants"]] == ["dietitian"]

    signed = sign_in(api)
    assert signed.status_code == 200
    issued = signed.json()
    assert issued["token_type"] == "bearer" and issued["expires_in"] == 30 * 86400
    assert me(api, issued["access_token"]).status_code == 200


def test_users_list_shows_the_roles(api: TestClient) -> None:
    ppne("users", "create", EMAIL, "--org", "alima", "--role", "dietitian", "--program", "prenatal")
    ppne("users", "create", "analyst@sesame.example", "--org", "sesame", "--role", "analyst")

    listed = ppne("users", "list")
    assert "dietitian@alima/prenatal" in listed
    assert "analyst@sesame" in listed
    only_sesame = ppne("users", "list", "--org", "sesame")
    assert "analyst@sesame.example" in only_sesame and EMAIL not in only_sesame


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--org", "alima", "--role", "chef"], "error: unknown role 'chef': use one of admin"),
        (["--org", "atlantis", "--role", "dietitian"], "error: no organisation 'atlantis'"),
    ],
)
def test_an_unknown_role_or_organisation_is_one_clear_line(
    api: TestClient,
    args: list[str],
    expected: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    line = ppne_error(["users", "create", EMAIL, *args], capsys, monkeypatch)
    assert line.startswith(expected)
    assert sign_in(api).status_code == 401


def test_a_short_password_is_refused(
    api: TestClient, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = runner.invoke(
        app, ["users", "create", EMAIL, "--org", "alima", "--role", "dietitian"], input="short\n"
    )
    assert result.exit_code != 0
    assert "at least 12 characters" in str(result.exception)
    monkeypatch.setattr(sys, "argv", ["ppne", "users", "create", EMAIL, "--org", "alima",
                                      "--role", "dietitian"])  # fmt: skip
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    with pytest.raises(SystemExit):
        run()
    assert capsys.readouterr().err.strip() == "error: a password needs at least 12 characters"
    assert sign_in(api, "short").status_code == 401


def test_a_wrong_password_and_an_unknown_email_get_the_same_401(api: TestClient) -> None:
    ppne("users", "create", EMAIL, "--org", "alima", "--role", "dietitian")

    wrong = sign_in(api, "not the password at all")
    unknown = sign_in(api, PASSWORD, email="nobody@alima.example")

    for answer in (wrong, unknown):
        assert answer.status_code == 401
        assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert wrong.json() == unknown.json()
    assert wrong.json()["detail"] == "wrong email or password"


def test_the_sixth_attempt_after_five_failures_is_refused_even_with_the_password(
    api: TestClient, db_url: str
) -> None:
    ppne("users", "create", EMAIL, "--org", "alima", "--role", "dietitian")

    for attempt in range(5):
        assert sign_in(api, f"wrong password {attempt}").status_code == 401
    refused = sign_in(api)

    assert refused.status_code == 429
    assert "too many failed sign-ins" in refused.json()["detail"]
    # Once the failures are older than the window, the right password works again.
    with session_scope(db_url) as session:
        for row in session.exec(select(LoginAttempt)).all():
            row.at = utc_now() - timedelta(minutes=16)
            session.add(row)
        session.commit()
    assert sign_in(api).status_code == 200


def test_an_expired_token_is_refused(api: TestClient, db_url: str) -> None:
    ppne("users", "create", EMAIL, "--org", "alima", "--role", "dietitian")
    token = token_of()
    with session_scope(db_url) as session:
        row = session.exec(select(ApiToken)).one()
        row.expires_at = utc_now() - timedelta(seconds=1)
        session.add(row)
        session.commit()

    answer = me(api, token)

    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert "expired" in answer.json()["detail"]


def test_signing_out_revokes_the_token(api: TestClient) -> None:
    ppne("users", "create", EMAIL, "--org", "alima", "--role", "dietitian")
    token, other = token_of(), token_of()
    headers = {"Authorization": f"Bearer {token}"}

    assert api.delete("/v1/auth/token", headers=headers).status_code == 204
    assert me(api, token).status_code == 401
    assert api.delete("/v1/auth/token", headers=headers).status_code == 401
    assert me(api, other).status_code == 200


def test_no_token_or_a_made_up_one_is_401(api: TestClient) -> None:
    assert api.get("/v1/auth/me").status_code == 401
    assert me(api, "ppne_made-up").status_code == 401


def test_a_disabled_account_loses_its_tokens_and_cannot_sign_in(api: TestClient) -> None:
    ppne("users", "create", EMAIL, "--org", "alima", "--role", "dietitian")
    token = token_of()
    assert me(api, token).status_code == 200

    output = ppne("users", "disable", EMAIL)

    assert "1 tokens revoked" in output
    assert me(api, token).status_code == 401
    assert sign_in(api).status_code == 401
    assert runner.invoke(app, ["users", "token", EMAIL]).exit_code != 0
