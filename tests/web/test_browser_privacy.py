"""The privacy officer's journeys in a real browser (Debian's Chromium), checked by axe-core.

`make screenshots` runs test_privacy_screenshots_and_accessibility with PPNE_SCREENSHOTS set,
to write out/screenshots/privacy-<page>-<lang>.png and axe-report-privacy.txt.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import records_factories
from accounts import PASSWORD
from browser import CHROMIUM, all_violations, running_server, serious_violations
from web_helpers import account

from core.db import dispose_engines, session_scope
from core.models import AccessRequest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found: browser tests skipped"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

OFFICER = "privacy@alima.example"
VOLUNTEER = "vol@alima.example"


@pytest.fixture
def site(db_url: str, tmp_path: Path) -> Iterator[str]:
    """Alima's officer and a volunteer; an open file, a file closed long ago; sesame's file."""
    account(db_url, "privacy_officer", OFFICER)
    account(db_url, "volunteer", VOLUNTEER)
    with session_scope(db_url) as session:
        records_factories.make_client(session, "alima", file_number="AL-1")
        records_factories.make_client(
            session, "alima", file_number="AL-OLD", status="closed", closed_on=date(2001, 1, 1)
        )
        records_factories.make_client(session, "sesame", file_number="SE-1")
        # An access request received 40 days ago and still unanswered: overdue.
        received = date.today() - timedelta(days=40)
        alima = records_factories.organisation(session, "alima")
        session.add(
            AccessRequest(organisation_id=alima.id, kind="access", requester="Mme Tremblay",
                          received_on=received, due_on=received + timedelta(days=30))
        )  # fmt: skip
        session.commit()
    dispose_engines()  # the server is the only client from here on
    out = tmp_path / "out"
    out.mkdir()
    with running_server(db_url, out, tmp_path / "server.log") as base:
        yield base


@pytest.fixture
def page(site: str) -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(
            base_url=site, viewport={"width": 1100, "height": 900}, accept_downloads=True
        )
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


def sign_in(page: Any, email: str) -> None:
    page.goto("/app/signin")
    page.get_by_label("Adresse courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/app/home")


def test_officer_exports_searches_the_log_previews_the_purge_records_an_incident(
    page: Any, tmp_path: Path
) -> None:
    sign_in(page, OFFICER)
    page.get_by_role("link", name="Confidentialité").click()
    page.wait_for_url("**/app/privacy")
    assert serious_violations(page) == []

    # The client's data, as a download; it leaves an "export" row in the log.
    page.get_by_role("link", name="Exporter les données d'une cliente").click()
    page.get_by_label("Numéro de dossier").fill("AL-1")
    page.get_by_label("Fichier JSON seulement").check()
    assert serious_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger l'exportation").click()
    saved = tmp_path / "export.json"
    download.value.save_as(saved)
    assert json.loads(saved.read_text(encoding="utf-8"))["file_number"] == "AL-1"

    page.goto("/app/privacy/audit")
    page.get_by_label("Numéro de dossier").fill("AL-1")
    page.get_by_label("Action").select_option("export")
    page.get_by_role("button", name="Chercher").click()
    page.wait_for_url("**/app/privacy/audit?file_number=AL-1&*action=export*")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1 and OFFICER in rows.first.inner_text()
    assert "exportation" in rows.first.inner_text()
    assert serious_violations(page) == []

    page.goto("/app/privacy/retention")
    table = page.get_by_role("table")
    assert "AL-OLD" in table.inner_text() and "AL-1\t" not in table.inner_text()
    page.get_by_role("button", name="Purger ces dossiers").click()  # not confirmed
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "confirm"
    assert serious_violations(page) == []

    page.goto("/app/privacy/incidents")
    page.get_by_role("link", name="Consigner un incident").click()
    page.get_by_label("Renseignements visés").fill("Noms et numéros de téléphone")
    page.get_by_label("Circonstances").fill("Liste oubliée dans la salle commune")
    page.get_by_label("Nombre de personnes visées (si connu)").fill("12")
    page.get_by_label("Il y a un risque de préjudice sérieux").check()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Consigner l'incident").click()
    page.wait_for_url("**/app/privacy/incidents?done=added")
    row = page.get_by_role("row", name="Noms et numéros de téléphone")
    assert "Avis à envoyer" in row.text_content() and "12" in row.text_content()
    assert serious_violations(page) == []


def test_a_volunteer_is_refused_the_privacy_screens(page: Any) -> None:
    sign_in(page, VOLUNTEER)
    for path in ("/app/privacy/audit", "/app/privacy/retention"):
        answer = page.goto(path)
        assert answer is not None and answer.status == 403
        assert page.get_by_role("heading", name="Accès refusé").is_visible()
    assert "AL-1" not in page.content()
    assert serious_violations(page) == []


SHOTS = [
    ("privacy", "/app/privacy"),
    ("privacy-audit", "/app/privacy/audit"),
    ("privacy-requests", "/app/privacy/requests"),
    ("privacy-export", "/app/privacy/export"),
    ("privacy-retention", "/app/privacy/retention"),
    ("privacy-incidents", "/app/privacy/incidents"),
    ("privacy-incident-new", "/app/privacy/incidents/new"),
]


def test_privacy_screenshots_and_accessibility(page: Any, tmp_path: Path) -> None:
    folder = Path(os.environ.get("PPNE_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    report: dict[str, list[str]] = {}
    sign_in(page, OFFICER)
    for language in ("fr", "en"):
        if language == "en":
            page.goto("/app/home")
            page.locator("form[action='/app/language']").get_by_role("button").click()
            page.wait_for_url("**/app/home")
        for name, path in SHOTS:
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == f"{language}-CA"
            page.screenshot(path=str(folder / f"{name}-{language}.png"), full_page=True)
            report[f"{name}-{language}"] = all_violations(page)
            if name == "privacy-incident-new":  # the form sent empty: its error summary
                page.locator("#information_concerned").fill("")
                page.locator("form[action='/app/privacy/incidents'] button").click()
                page.locator(".error-summary").wait_for()
                shot = f"privacy-incident-error-{language}"
                page.screenshot(path=str(folder / f"{shot}.png"), full_page=True)
                report[shot] = all_violations(page)
    (folder / "axe-report-privacy.txt").write_text(
        "\n".join(f"{name}: {', '.join(found) or 'no violation'}" for name, found in report.items())
        + "\n"
    )
    serious = {
        name: [v for v in found if v.split(":")[0] in {"serious", "critical"}]
        for name, found in report.items()
    }
    assert {name: found for name, found in serious.items() if found} == {}
