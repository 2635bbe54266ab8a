"""Le Sésame's deliveries in a real browser (Debian's Chromium), checked by axe-core: the
coordinator plans Monday, moves a stop and prints a route sheet; the driver records outcomes on
a tablet-sized screen (768x1024); the office closes the follow-up her no-answer opened. One
browser, two contexts; no serious or critical axe violation on any delivery page.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import meals_world
import pytest
from accounts import PASSWORD
from browser import CHROMIUM, running_server, serious_violations
from meals_world import MONDAY
from sqlmodel import col, select

from core.db import dispose_engines, session_scope
from core.models import DeliveryFollowup, DeliveryRun, DeliveryStop, User

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found: browser tests skipped"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

DAY = MONDAY.isoformat()


@dataclass
class Site:
    """The server's address and Le Sésame's coordinator."""

    base: str
    coordinator: str


@pytest.fixture
def site(db_url: str, tmp_path: Path) -> Iterator[Site]:
    """Six clients due on Monday over two routes, each with its driver; a real server."""
    with session_scope(db_url) as session:
        w = meals_world.world(session, clients=6, routes=2, capacity=6)
        session.commit()
        coordinator = w.coordinator.email
    dispose_engines()  # the server is the only writer from here on
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    with running_server(db_url, out, tmp_path / "server.log") as base:
        yield Site(base, coordinator)


def checked(page: Any, name: str) -> None:
    """No serious axe violation on the page; a screenshot of it when PPNE_SCREENSHOTS says where."""
    if os.environ.get("PPNE_SCREENSHOTS"):
        folder = Path(os.environ["PPNE_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"deliveries-{name}.png"), full_page=True)
    assert serious_violations(page) == [], name


def sign_in(page: Any, email: str) -> None:
    page.goto("/app/signin")
    page.get_by_label("Adresse courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/app/home")


def first_run(db_url: str) -> tuple[str, list[int]]:
    """The first run's driver (her email) and its stop ids in order."""
    with session_scope(db_url) as session:
        run = session.exec(select(DeliveryRun).order_by(col(DeliveryRun.id))).first()
        assert run is not None
        driver = session.get(User, run.driver_id)
        assert driver is not None
        stops = session.exec(
            select(DeliveryStop.id)
            .where(DeliveryStop.run_id == run.id)
            .order_by(col(DeliveryStop.position))
        ).all()
        return driver.email, [int(s or 0) for s in stops]


def test_plan_print_deliver_and_follow_up(site: Site, db_url: str) -> None:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            office = browser.new_context(
                base_url=site.base, viewport={"width": 1100, "height": 900}
            )
            coordinator = office.new_page()
            _plan_and_print(coordinator, site.coordinator)
            email, stops = first_run(db_url)
            tablet = browser.new_context(
                base_url=site.base, viewport={"width": 768, "height": 1024}, has_touch=True
            )
            _deliver(tablet.new_page(), email, stops)
            _follow_up(coordinator)
        finally:
            browser.close()
    dispose_engines()
    with session_scope(db_url) as session:
        (followup,) = session.exec(select(DeliveryFollowup)).all()
        assert followup.stop_id == stops[1] and followup.closed_at is not None
        assert followup.resolution == "Chez sa fille, confirmé au téléphone"
        assert session.get(DeliveryStop, stops[0]).outcome == "delivered"  # type: ignore[union-attr]


def _plan_and_print(page: Any, email: str) -> None:
    sign_in(page, email)
    page.get_by_role("link", name="Livraisons").click()
    page.wait_for_url("**/app/deliveries")
    page.get_by_label("Jour").fill(DAY)
    page.get_by_role("button", name="Afficher la journée").click()
    page.get_by_role("button", name="Planifier la journée").wait_for()
    assert page.locator("table.kitchen").is_visible()  # counted from the plans already
    checked(page, "day-unplanned")
    page.get_by_role("button", name="Planifier la journée").click()
    page.get_by_text("La journée est planifiée.").wait_for()
    first = page.locator("section.run").first
    before = first.locator("tbody td:nth-child(4)").all_inner_texts()
    first.get_by_role("button", name="Descendre").first.click()
    page.get_by_text("Le nouvel ordre est enregistré").wait_for()
    first = page.locator("section.run").first
    after = first.locator("tbody td:nth-child(4)").all_inner_texts()
    assert after[:2] == [before[1], before[0]] and "ordonnée à la main" in first.text_content()
    checked(page, "day-planned")
    # The sheet: a page to print, and the PDF behind its link.
    first.get_by_role("link", name="Feuille de route à imprimer (page web)").click()
    page.get_by_role("heading", name="Feuille de route").first.wait_for()
    assert page.locator("table.sheet tbody tr").count() == len(after)
    checked(page, "sheet")
    pdf_link = page.get_by_role("link", name="La même feuille en PDF").get_attribute("href")
    answer = page.request.get(pdf_link)
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    assert answer.body()[:4] == b"%PDF"


def _deliver(page: Any, email: str, stops: list[int]) -> None:
    sign_in(page, email)
    page.goto(f"/app/deliveries?day={DAY}")  # a driver lands on her own run
    page.wait_for_url("**/app/deliveries/my-run*")
    assert page.locator("li.driver-stop").count() == len(stops)
    checked(page, "my-run")
    first = page.locator(f"#stop-{stops[0]}")
    delivered = first.get_by_role("button", name="Livré")
    box = delivered.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 150  # a thumb's target on the tablet
    assert box["x"] + box["width"] <= 768  # no sideways scrolling
    delivered.tap()
    page.get_by_text("Livré : enregistré.").wait_for()
    second = page.locator(f"#stop-{stops[1]}")
    second.get_by_label("Note (facultative)").fill("Rideaux fermés")
    second.get_by_role("button", name="Pas de réponse").tap()
    page.get_by_text("un suivi de sécurité est maintenant ouvert").wait_for()
    assert "Enregistré : Livré" in page.locator(f"#stop-{stops[0]}").inner_text()
    checked(page, "my-run-done")
    page.get_by_role("button", name="English").click()  # her language, kept on her account
    page.get_by_role("heading", name="My run").first.wait_for()
    assert page.locator("html").get_attribute("lang") == "en-CA"
    checked(page, "my-run-en")


def _follow_up(page: Any) -> None:
    page.goto("/app/deliveries")
    page.get_by_role("link", name="Suivis de sécurité").click()
    page.wait_for_url("**/app/deliveries/followups*")
    checked(page, "followups")
    page.get_by_role("button", name="Fait maintenant : Personne appelée").click()
    page.get_by_text("L'étape est enregistrée.").wait_for()
    page.get_by_role("button", name="Fermer le suivi").click()
    page.locator(".error-summary").wait_for()  # the text of what was done is required
    checked(page, "followups-error")
    page.get_by_label("Ce qui a été fait").fill("Chez sa fille, confirmé au téléphone")
    page.get_by_role("button", name="Fermer le suivi").click()
    page.get_by_text("Le suivi est fermé.").wait_for()
    assert page.get_by_text("Aucun suivi ouvert").is_visible()
