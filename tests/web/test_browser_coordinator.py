"""The coordinator's journeys in a real browser (Debian's Chromium), checked by axe-core:
download the outputs CSV, upload a survey sheet with an error and read its report line,
plan a group session, register a client and mark her present; no serious or critical axe
violation on any of her pages, in French and English.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import factories
import pytest
import records_factories
from accounts import PASSWORD
from browser import CHROMIUM, all_violations, running_server, serious_violations
from web_helpers import account

from core.basket_definitions import ensure_reference_basket
from core.db import dispose_engines, session_scope
from core.models import ServiceEvent
from services.records.outputs import COLUMNS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found: browser tests skipped"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

EMAIL = "coord@alima.example"
SHEET = (
    "Période,Code du magasin,Code de l'article,Prix ($),Enquêteur·rice,Date (AAAA-MM-JJ)\n"
    "2025-01,nowhere,x,3.49,Awa,2025-01-10\n"
)


@pytest.fixture
def site(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A coordinator, a client with a consultation, a store and the basket; a real server."""
    account(db_url, "coordinator", EMAIL)
    with session_scope(db_url) as session:
        client = records_factories.make_client(session, first_name="Awa", last_name="Diallo")
        records_factories.make_consent(session, client, "statistics")
        program = records_factories.program(session)
        session.add(
            ServiceEvent(client_id=client.id, program_id=program.id,
                         kind="individual_consultation", occurred_on=date(2026, 2, 3))
        )  # fmt: skip
        factories.make_store(session, code="iga-lachine")
        ensure_reference_basket(session)
        session.commit()
    dispose_engines()  # the server is the only client from here on
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
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


def sign_in(page: Any) -> None:
    page.goto("/app/signin")
    page.get_by_label("Adresse courriel").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/app/home")


def test_download_the_outputs_csv(page: Any, tmp_path: Path) -> None:
    sign_in(page)
    page.get_by_role("link", name="Rapports").click()
    page.wait_for_url("**/app/reports")
    page.get_by_label("Du").fill("2026-Q1")
    page.get_by_label("Au").fill("2026-03")
    page.get_by_label("Ventilation").select_option("program")
    page.get_by_role("button", name="Afficher le rapport").click()
    table = page.locator("table.report")
    assert "x" in table.inner_text()  # one client: suppressed
    assert page.locator("#suppression-note").is_visible()
    assert serious_violations(page) == []
    with page.expect_download() as caught:
        page.get_by_role("link", name="Télécharger en CSV").click()
    saved = tmp_path / "extrants.csv"
    caught.value.save_as(saved)
    with saved.open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == list(COLUMNS)


def test_upload_a_sheet_with_an_error_and_read_the_report(page: Any, tmp_path: Path) -> None:
    sign_in(page)
    page.goto("/app/surveys")
    assert serious_violations(page) == []
    sheet = tmp_path / "releve.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    page.get_by_label("Feuille de relevé remplie").set_input_files(str(sheet))
    page.get_by_role("button", name="Envoyer et vérifier la feuille").click()
    page.get_by_role("heading", name="Rapport de validation de releve.csv").wait_for()
    rows = page.locator("table.refusals tbody tr")
    assert rows.count() >= 1
    first = rows.first.inner_text()
    assert "2" in first and ("unknown_store" in first or "unknown_item" in first)
    assert "Refusé : rien n'a été importé" in page.locator("main").inner_text()
    assert serious_violations(page) == []


def test_plan_a_session_register_a_client_and_mark_her_present(page: Any) -> None:
    sign_in(page)
    page.get_by_role("link", name="Programmes et séances de groupe").click()
    page.wait_for_url("**/app/programs")
    page.get_by_role("button", name="Planifier la séance").click()
    assert page.locator(".error-summary").is_visible()  # no title, no day
    assert serious_violations(page) == []
    page.get_by_label("Titre").fill("Purées maison")
    page.get_by_label("Jour", exact=True).fill("2026-12-03")
    page.get_by_role("button", name="Planifier la séance").click()
    page.wait_for_url("**/app/programs/sessions/*")
    page.get_by_label("Nom ou numéro de dossier").fill("diallo")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("button", name="Inscrire Awa Diallo").click()
    page.get_by_label("Diallo, Awa").check()
    page.get_by_role("button", name="Enregistrer les présences").click()
    page.get_by_text("Les présences sont enregistrées.").wait_for()
    assert page.get_by_label("Diallo, Awa").is_checked()
    assert serious_violations(page) == []


PAGES = [
    ("coord-programs", "/app/programs"),
    ("coord-reports", "/app/reports?period_from=2026-01&period_to=2026-Q1&by=age"),
    ("coord-reports-error", "/app/reports?period_from=janvier&period_to=2026-Q1"),
    ("coord-staff", "/app/staff"),
    ("coord-surveys", "/app/surveys"),
    ("coord-satisfaction", "/app/satisfaction"),
]


def test_screenshots_and_accessibility_of_every_coordinator_page(page: Any, tmp_path: Path) -> None:
    folder = Path(os.environ.get("PPNE_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    sign_in(page)
    # A survey, so its summary and paper form are checked too; a staff form with errors.
    page.goto("/app/satisfaction")
    page.get_by_label("Titre").fill("Automne")
    page.get_by_label("Début le").fill("2026-09-01")
    page.get_by_label("Fin le").fill("2026-11-30")
    page.get_by_role("button", name="Créer le sondage").click()
    page.wait_for_url("**/app/satisfaction/*")
    survey = page.url.split("?")[0].split("/app")[1]
    page.goto("/app/programs")
    page.get_by_label("Titre").fill("Purées maison")
    page.get_by_label("Jour", exact=True).fill("2026-12-03")
    page.get_by_role("button", name="Planifier la séance").click()
    page.wait_for_url("**/app/programs/sessions/*")
    group = page.url.split("?")[0].split("/app")[1]
    sheet = tmp_path / "releve.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    pages = [
        *PAGES,
        ("coord-session", f"/app{group}?q=diallo"),
        ("coord-satisfaction-summary", f"/app{survey}"),
        ("coord-satisfaction-response", f"/app{survey}/response"),
    ]
    found: dict[str, list[str]] = {}
    for language in ("fr", "en"):
        if language == "en":
            page.goto("/app/home")
            page.get_by_role("button", name="English").click()
            page.wait_for_url("**/app/home")
        for name, path in pages:
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == f"{language}-CA"
            page.screenshot(path=str(folder / f"{name}-{language}.png"), full_page=True)
            found[f"{name}-{language}"] = all_violations(page)
        page.goto("/app/staff")
        page.locator("form[action='/app/staff'] button[type=submit]").click()
        page.locator(".error-summary").wait_for()
        page.screenshot(path=str(folder / f"coord-staff-error-{language}.png"), full_page=True)
        found[f"coord-staff-error-{language}"] = all_violations(page)
        page.goto("/app/surveys")
        page.locator("#sheet").set_input_files(str(sheet))
        page.locator("form[action='/app/surveys'] button[type=submit]").click()
        page.locator("table.refusals").wait_for()
        page.screenshot(path=str(folder / f"coord-survey-report-{language}.png"), full_page=True)
        found[f"coord-survey-report-{language}"] = all_violations(page)
    (folder / "axe-coordinator.txt").write_text(
        "".join(f"{name}: {', '.join(v) or 'no violation'}\n" for name, v in found.items())
    )
    serious = {
        name: [v for v in violations if v.split(":")[0] in {"serious", "critical"}]
        for name, violations in found.items()
    }
    assert {name: v for name, v in serious.items() if v} == {}
