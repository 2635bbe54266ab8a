"""An API started on a database nobody migrated says so, and creates nothing."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from core.db import dispose_engines
from core.settings import get_settings


def test_costs_on_a_missing_database_answer_503_and_create_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "nowhere" / "ppne.db"
    monkeypatch.setenv("PPNE_DATABASE_URL", f"sqlite:///{database}")
    get_settings.cache_clear()
    try:
        answer = TestClient(create_app()).get("/v1/costs", params={"region": "montreal"})
    finally:
        get_settings.cache_clear()
        dispose_engines()
    assert answer.status_code == 503
    assert "ppne db upgrade" in answer.json()["detail"]
    assert not database.exists()
