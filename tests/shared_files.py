"""The real third-party files beside the project (../shared/realdata), for tests that read them.

A module of its own, not conftest.py: `from conftest import` finds whichever conftest module
was imported first under that name (tests/api has one too).
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
REALDATA = SHARED / "realdata"


def realdata(*parts: str) -> Path:
    """Return a path under ../shared/realdata, skipping the test when it is absent."""
    path = REALDATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    return path
