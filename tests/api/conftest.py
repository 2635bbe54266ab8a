"""What several API test modules share."""

from __future__ import annotations

import pytest
from factories import seed_two_stores_in_lachine
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from cli.main import app


@pytest.fixture
def client(db_url: str) -> TestClient:
    """The API on two stores in Lachine pricing two items, 2026-01 to 2026-10 (October's
    prices jump by 60 %), costed by `ppne compute` (coverage rules off, tests/conftest.py).

    A module with a `client` of its own uses that one instead.
    """
    seed_two_stores_in_lachine(db_url)
    result = CliRunner().invoke(app, ["compute"])
    assert result.exit_code == 0, result.output
    return TestClient(create_app())
