"""The quarterly edition reads the rounds the costing stored (PPNE_COSTING_FREQUENCY=quarter):
its figures are the stored round's to the cent, and a round of fewer than three months is
marked in both languages."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from database_copies import PostgresDatabases, copy_database
from factories import seed_two_stores_in_lachine
from pypdf import PdfReader
from typer.testing import CliRunner

from cli.main import app
from core.db import dispose_engines, session_scope
from core.queries.costs import family_cost_row
from core.settings import get_settings
from publications.i18n import language
from services.publishing import EditionFiles, publish_edition

# The module's world is built once per worker that runs one of its tests: keep them on one
# worker (make test runs pytest with --dist loadgroup).
pytestmark = pytest.mark.xdist_group("test_ppne_stored_rounds")

REGION = "lachine"
PPNE_MONTHLY_PER_WEEK = 365 / 7 / 12  # the PPNE's conversion, written out


@pytest.fixture(scope="module")
def rounds_world(
    template_database: str,
    postgres_databases: PostgresDatabases | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """Two stores in Lachine priced from 2026-01 to 2026-10, costed by PPNE round only: Q4
    rests on October alone."""
    folder = tmp_path_factory.mktemp("rounds")
    url, name = copy_database(template_database, postgres_databases, folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PPNE_DATABASE_URL", url)
        patch.setenv("PPNE_COSTING_FREQUENCY", "quarter")
        # Two items of 75: the coverage rules would withhold every figure (tests/conftest.py).
        patch.setenv("PPNE_COVERAGE_WARN_BELOW", "0")
        patch.setenv("PPNE_COVERAGE_WITHHOLD_BELOW", "0")
        get_settings.cache_clear()
        seed_two_stores_in_lachine(url)
        result = CliRunner().invoke(app, ["compute"])
        assert result.exit_code == 0, result.output
        try:
            yield url
        finally:
            dispose_engines()
            get_settings.cache_clear()
            if postgres_databases is not None and name is not None:
                postgres_databases.drop(name)


@pytest.fixture(scope="module")
def latest(rounds_world: str, tmp_path_factory: pytest.TempPathFactory) -> EditionFiles:
    with session_scope() as session:
        return publish_edition(
            session, get_settings(), "ppne", tmp_path_factory.mktemp("ppne"), REGION
        )


def stored_weekly(period: str) -> float:
    with session_scope() as session:
        cost, _, _ = family_cost_row(session, REGION, period)
        return float(cost.weekly_cost)  # type: ignore[arg-type]


def text_of(path: Path) -> str:
    words = " ".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return re.sub(r"\s+", " ", words.replace("\u00a0", " ").replace("\u202f", " "))


def test_the_edition_prints_the_stored_rounds_to_the_cent(latest: EditionFiles) -> None:
    assert latest.pdf.name == f"ppne-{REGION}-2026-Q4-fr.pdf"  # the latest round by default
    data = latest.out_dir / f"ppne-{REGION}-2026-Q4-rounds.csv"
    with data.open(encoding="utf-8-sig") as handle:
        rounds = {row["period"]: row for row in csv.DictReader(handle)}
    assert list(rounds) == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    for period, row in rounds.items():
        assert round(float(row["weekly_cost"]), 2) == round(stored_weekly(period), 2)
        assert row["stored"] == "True"
    for code in ("fr", "en"):
        text = text_of(latest.pdfs[code])
        for period in rounds:
            monthly = stored_weekly(period) * PPNE_MONTHLY_PER_WEEK
            assert language(code).money(monthly).replace("\u00a0", " ") in text, period


def test_a_round_of_fewer_than_three_months_is_marked(latest: EditionFiles) -> None:
    french, english = text_of(latest.pdfs["fr"]), text_of(latest.pdfs["en"])
    assert "1 of 3 months priced" in english and "1 mois sur 3 relevés" in french
    assert "Months priced in the quarter: 1 of 3" in english
    # In the table of rounds, Q3's three months are all priced: only Q4 carries the mark.
    html = latest.pdfs["en"].with_suffix(".html").read_text(encoding="utf-8")
    notes = dict(re.findall(r'<th scope="row">(\w+ quarter 2026)</th><td class="num">[^<]*</td>'
                            r'<td class="note">([^<]*)</td>', html))  # fmt: skip
    assert "months priced" not in notes["third quarter 2026"]
    assert "1 of 3 months priced" in notes["fourth quarter 2026"]
    assert "each store’s price of an item is the mean of its prices" in english
