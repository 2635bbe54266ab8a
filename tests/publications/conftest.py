"""One seeded and costed database per test module, and the editions written from it once.

Editions take seconds to lay out, so each module shares one generated set (module-scoped
fixtures) instead of writing them again for every test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from database_copies import PostgresDatabases, copy_database
from factories import seed_two_stores_in_lachine
from typer.testing import CliRunner

from cli.main import app
from core.db import dispose_engines
from core.settings import get_settings

CPI_FIXTURE = Path(__file__).parents[1] / "importers" / "fixtures" / "cpi_trend.csv"


@pytest.fixture(scope="module")
def world(
    template_database: str,
    postgres_databases: PostgresDatabases | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """Two stores in Lachine price two items from 2026-01 to 2026-10 (October jumps), costed,
    with the food CPI imported; no price comes from the demo stores."""
    folder = tmp_path_factory.mktemp("world")
    url, name = copy_database(template_database, postgres_databases, folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PPNE_DATABASE_URL", url)
        patch.setenv("PPNE_OUT_DIR", str(folder / "out"))
        # Two items of 75: the coverage rules would withhold every figure (tests/conftest.py).
        patch.setenv("PPNE_COVERAGE_WARN_BELOW", "0")
        patch.setenv("PPNE_COVERAGE_WITHHOLD_BELOW", "0")
        get_settings.cache_clear()
        seed_two_stores_in_lachine(url)
        runner = CliRunner()
        for command in (["compute"], ["import", "statcan", str(CPI_FIXTURE)]):
            result = runner.invoke(app, command)
            assert result.exit_code == 0, result.output
        try:
            yield url
        finally:
            dispose_engines()
            get_settings.cache_clear()
            if postgres_databases is not None and name is not None:
                postgres_databases.drop(name)
