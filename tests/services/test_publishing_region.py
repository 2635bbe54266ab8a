"""Publishing checks the headline region before it writes anything."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from core.db import session_scope
from core.errors import RegionNotFound
from services.periods import recent_periods
from services.publishing import publish_bulletin


def test_an_unknown_region_raises_before_anything_is_written(db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with session_scope(db_url) as session, pytest.raises(RegionNotFound, match="atlantis"):
        publish_bulletin(session, out, "atlantis")
    assert not out.exists()


def test_recent_periods_cross_the_year() -> None:
    assert recent_periods(3, date(2026, 2, 10)) == ["2025-12", "2026-01", "2026-02"]
    assert recent_periods(13, date(2026, 11, 1))[0] == "2025-11"
