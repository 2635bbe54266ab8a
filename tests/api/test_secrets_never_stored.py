"""Passwords and tokens are never stored or logged: shown once, to the person, and nowhere else.

Accounts are made at the command line and through the API sign-in with distinctive passwords,
tokens are used, the demo records are generated; then every value of every table and every log
record (all loggers at DEBUG, SQL parameters included) is searched for them, and so is the
command-line output apart from the one line that shows each secret.
"""

from __future__ import annotations

import logging
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select as select_table
from sqlmodel import SQLModel, select
from typer.testing import CliRunner

from api.app import create_app
from cli.demo_records import demo_records
from cli.main import app
from core.db import get_engine, session_scope
from core.models import User
from services.access.organisations import ensure_organisations

PASSWORDS = ["Zebra-Quartz-Violin-4417", "Otter Lantern Fjord 9032"]
WRONG = "Zebra-Quartz-Violin-0000"
runner = CliRunner()


def every_value(db_url: str) -> list[str]:
    """Every non-empty value of every table, as text."""
    values = []
    with get_engine(db_url).connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for row in connection.execute(select_table(table)):
                values += [str(value) for value in row if value is not None]
    return values


def test_passwords_and_tokens_appear_only_where_shown_once(
    db_url: str, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every logger at DEBUG: SQLAlchemy then logs each statement with its parameters.
    caplog.set_level(logging.DEBUG)
    for name in ["sqlalchemy", *logging.root.manager.loggerDict]:
        caplog.set_level(logging.DEBUG, logger=name)
    with session_scope(db_url) as session:
        ensure_organisations(session)
        session.commit()
    shown: list[str] = []  # the lines meant to show a secret, once each
    other_output: list[str] = []

    for email, org, password in (
        ("keeper@alima.example", "alima", PASSWORDS[0]),
        ("keeper@sesame.example", "sesame", PASSWORDS[1]),
    ):
        created = runner.invoke(
            app, ["users", "create", email, "--org", org, "--role", "dietitian"],
            input=password + "\n",
        )  # fmt: skip
        assert created.exit_code == 0, created.output
        other_output.append(created.output)
    issued = runner.invoke(app, ["users", "token", "keeper@alima.example"])
    assert issued.exit_code == 0
    *before, cli_token = issued.output.strip().splitlines()
    shown.append(cli_token)
    other_output += before

    api = TestClient(create_app())
    wrong = {"username": "keeper@alima.example", "password": WRONG}
    assert api.post("/v1/auth/token", data=wrong).status_code == 401
    signed = api.post(
        "/v1/auth/token", data={"username": "keeper@sesame.example", "password": PASSWORDS[1]}
    )
    assert signed.status_code == 200
    api_token = signed.json()["access_token"]
    for token in (cli_token, api_token):
        headers = {"Authorization": f"Bearer {token}"}
        assert api.get("/v1/auth/me", headers=headers).status_code == 200
    assert api.delete("/v1/auth/token", headers=headers).status_code == 204

    capsys.readouterr()
    demo_records(date(2026, 11, 15))
    demo_lines = capsys.readouterr().out.splitlines()
    demo_passwords = [line.split("│")[3].strip() for line in demo_lines if ".demo " in line]
    assert len(demo_passwords) == 12 and all(len(p) == 22 for p in demo_passwords)

    secrets = [*PASSWORDS, WRONG, cli_token, api_token, *demo_passwords]
    for password in demo_passwords:
        lines = [line for line in demo_lines if password in line]
        assert len(lines) == 1, "a demo password is printed once, on its account's line"
        shown += lines
    other_output += [line for line in demo_lines if line not in shown]

    stored = every_value(db_url)
    logged = caplog.text + "\n".join(repr(record.args) for record in caplog.records)
    printed = "\n".join(other_output)
    # The test can fail: the logs did record the statements, with their parameters.
    assert "INSERT INTO" in logged and "keeper@alima.example" in logged
    assert any("$argon2id$" in value for value in stored)
    for secret in secrets:
        assert not [value for value in stored if secret in value], "a secret is in the database"
        assert secret not in logged, "a secret is in the logs"
        assert secret not in printed, "a secret is printed beyond its one line"
    with session_scope(db_url) as session:
        hashes = [user.password_hash for user in session.exec(select(User)).all()]
    assert len(hashes) == 14 and all(value.startswith("$argon2id$") for value in hashes)
