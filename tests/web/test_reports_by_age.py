"""The outputs report by age band fits a 1280 px screen and a printed page: measures down,
age bands across, inside a captioned region the keyboard can scroll."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest
import records_factories
from fastapi.testclient import TestClient
from web_helpers import account, sign_in

from api.app import create_app
from core.db import session_scope
from core.models import ServiceEvent
from services.records.outputs import AGE_BANDS, TOTAL

COORD = "coord@alima.example"


class Tables(HTMLParser):
    """Every table of a page as rows of cell texts, and the attributes of its region."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.regions: list[dict[str, str | None]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "div" and ("role", "region") in attrs:
            self.regions.append(dict(attrs))
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture
def coordinator(db_url: str) -> TestClient:
    client = TestClient(create_app())
    sign_in(client, account(db_url, "coordinator", COORD))
    return client


def test_the_report_by_age_has_a_column_per_band_and_a_row_per_measure(
    coordinator: TestClient, db_url: str
) -> None:
    # Six women of 25-34 seen once each in February: over the suppression threshold (5).
    with session_scope(db_url) as session:
        program = records_factories.program(session)
        for _ in range(6):
            person = records_factories.make_client(session, birth_date=date(1996, 4, 1))
            records_factories.make_consent(session, person, "statistics")
            session.add(
                ServiceEvent(
                    client_id=person.id,
                    program_id=program.id,
                    kind="individual_consultation",
                    occurred_on=date(2026, 2, 3),
                )
            )
        session.commit()
    page = coordinator.get("/app/reports?period_from=2026-01&period_to=2026-03&by=age")
    assert page.status_code == 200
    parsed = Tables()
    parsed.feed(page.text)
    (region,) = parsed.regions
    assert region["tabindex"] == "0" and region["aria-labelledby"] == "outputs-caption"
    assert '<caption id="outputs-caption">' in page.text
    outputs = parsed.tables[0]
    header = outputs[0]
    # One column per band and the total, after the measures' column: 9, not 16 measures wide.
    assert header[1:] == [*AGE_BANDS, TOTAL]
    assert len(header) <= 9
    rows = {row[0]: row[1:] for row in outputs[1:]}
    consultations = rows["Consultations individuelles"]
    assert consultations[header.index("25-34") - 1] == "6"
    assert consultations[header.index(TOTAL) - 1] == "6"
    assert all(len(cells) == len(header) - 1 for cells in rows.values())
