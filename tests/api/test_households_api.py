"""GET /v1/households: the same household cost as `ppne cost household --json`, and the same
refusals, one line naming the member."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()
MEMBERS = "M:40,F:39,M:14,F:9"


def test_the_api_prices_a_household_as_the_command_line_does(client: TestClient) -> None:
    query = {"members": MEMBERS, "region": "montreal-est", "period": "2026-Q3"}
    answer = client.get("/v1/households", params=query)
    assert answer.status_code == 200, answer.text
    cli = runner.invoke(
        app, ["cost", "household", "--members", MEMBERS, "--region", "montreal-est",
              "--period", "2026-Q3", "--json"],
    )  # fmt: skip
    assert cli.exit_code == 0, cli.output
    assert answer.json() == json.loads(cli.output)
    body = answer.json()
    # A territory without a store of its own: its parent's prices, flagged.
    assert (body["status"], body["source_region"]) == ("imputed", "montreal-cma")
    assert body["weekly"].count(".") == 1 and len(body["weekly"].split(".")[1]) == 2


@pytest.mark.parametrize(
    ("members", "words"),
    [
        ("M:140", "age 140 is out of range"),
        ("M:40,X:3", "X:3"),
        ("M:-4", "M:-4"),
    ],
)
def test_a_member_out_of_range_is_a_422_naming_it(
    client: TestClient, members: str, words: str
) -> None:
    answer = client.get("/v1/households", params={"members": members, "region": "lachine"})
    assert answer.status_code == 422
    assert words in answer.json()["detail"]
    cli = runner.invoke(app, ["cost", "household", "--members", members, "--region", "lachine"])
    # Through `ppne` (cli.main.run) the same error is one line on stderr.
    assert cli.exit_code == 1 and words in str(cli.exception)


def test_an_unknown_parameter_is_refused(client: TestClient) -> None:
    answer = client.get("/v1/households", params={"members": MEMBERS, "household": "4"})
    assert answer.status_code == 422 and "household" in answer.text
