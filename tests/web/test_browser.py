"""Journeys in a real browser (Debian's Chromium) against a real server, checked by axe-core.

`make screenshots` runs test_screenshots_and_accessibility_of_every_page with PPNE_SCREENSHOTS
set, to write out/screenshots/<page>-<lang>.png.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from accounts import PASSWORD
from browser import CHROMIUM, all_violations, running_server, serious_violations
from factories import seed_two_stores_in_lachine
from web_helpers import account, computed_lachine_cost

from core.db import dispose_engines
from web.i18n import money

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found: browser tests skipped"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

EMAIL = "coord@alima.example"


@pytest.fixture
def seeded(db_url: str) -> tuple[Decimal, Decimal]:
    """Accounts, prices in two Lachine stores and their costs; Lachine's weekly and monthly."""
    account(db_url, "coordinator", EMAIL)
    account(db_url, "volunteer", "vol@alima.example")
    seed_two_stores_in_lachine(db_url)
    costs = computed_lachine_cost(db_url)
    dispose_engines()  # the server is the only client from here on
    return costs


@pytest.fixture
def site(seeded: tuple[Decimal, Decimal], db_url: str, tmp_path: Path) -> Iterator[str]:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    (out / "bulletin.pdf").write_bytes(b"%PDF-1.4 test")
    with running_server(db_url, out, tmp_path / "server.log") as base:
        yield base


@pytest.fixture
def page(site: str) -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(base_url=site, viewport={"width": 1100, "height": 900})
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


def sign_in(page: Any, email: str, password: str) -> None:
    page.goto("/app/signin")
    page.get_by_label("Adresse courriel").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_sign_in_wrong_then_right_home_english_sign_out(page: Any) -> None:
    sign_in(page, EMAIL, "not the password")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert "incorrect" in summary.inner_text()
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "email"
    assert serious_violations(page) == []

    sign_in(page, EMAIL, PASSWORD)
    page.wait_for_url("**/app/home")
    assert page.get_by_role("heading", name="Vos organismes et vos rôles").is_visible()
    assert page.get_by_role("link", name="Rapports").is_visible()
    assert serious_violations(page) == []

    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/app/home")
    assert page.locator("html").get_attribute("lang") == "en-CA"
    assert page.get_by_role("heading", name="Your organisations and roles").is_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/app/signin?out=1")
    page.goto("/app/home")
    assert "/app/signin" in page.url


def test_a_post_without_csrf_token_is_refused(page: Any) -> None:
    page.goto("/app/signin")
    answer = page.request.post(
        "/app/signin", form={"email": EMAIL, "password": PASSWORD}, max_redirects=0
    )
    assert answer.status == 403
    assert "Formulaire refusé" in answer.text()


def test_a_volunteer_is_refused_the_clients_section(page: Any) -> None:
    sign_in(page, "vol@alima.example", PASSWORD)
    page.wait_for_url("**/app/home")
    answer = page.goto("/app/sections/clients")
    assert answer is not None and answer.status == 403
    assert page.get_by_role("heading", name="Accès refusé").is_visible()
    assert serious_violations(page) == []


def test_public_costs_show_the_cost_computed_from_seeded_prices(
    page: Any, seeded: tuple[Decimal, Decimal]
) -> None:
    weekly, monthly = seeded
    page.goto("/app/costs")
    row = page.get_by_role("row", name="Lachine")
    assert money(weekly, "fr") in row.inner_text() and money(monthly, "fr") in row.inner_text()
    charts = page.locator("figure svg[role=img]")
    assert charts.count() == 2  # by territory, and the territory shown month by month
    assert money(monthly, "fr") in charts.first.text_content()
    page.goto("/app/costs?lang=en")
    assert money(weekly, "en") in page.get_by_role("row", name="Lachine").inner_text()


PAGES = [
    ("signin", "/app/signin", False),
    ("costs", "/app/costs", False),
    ("publications", "/app/publications", False),
    ("not-found", "/app/no-such-page", False),
    ("home", "/app/home", True),
    ("section", "/app/sections/reports", True),
    # A coordinator's roles do not open the privacy section: the 403 page.
    ("forbidden", "/app/sections/privacy", True),
]


def test_screenshots_and_accessibility_of_every_page(page: Any, tmp_path: Path) -> None:
    folder = Path(os.environ.get("PPNE_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    report: dict[str, list[str]] = {}
    for language in ("fr", "en"):
        page.context.clear_cookies()
        page.goto(f"/app/signin?lang={language}")
        for name, path, signed_in in PAGES:
            if signed_in and name == "home":
                page.goto("/app/signin")
                page.locator("#email").fill(EMAIL)
                page.locator("#password").fill(PASSWORD)
                page.locator("form[action='/app/signin'] button").click()
                page.wait_for_url("**/app/home")
                # Signed in, the language is her account's: choose it there.
                switch = page.locator(
                    f"form[action='/app/language']:has(input[value='{language}'])"
                )
                if switch.count():
                    switch.get_by_role("button").click()
                    page.wait_for_url("**/app/home")
            page.goto(path)
            shots = [name]
            if name == "signin":
                shots.append("signin-error")
            for shot in shots:
                if shot == "signin-error":
                    page.locator("#email").fill(EMAIL)
                    page.locator("form[action='/app/signin'] button").click()
                    page.locator(".error-summary").wait_for()
                assert page.locator("html").get_attribute("lang") == f"{language}-CA"
                page.screenshot(path=str(folder / f"{shot}-{language}.png"), full_page=True)
                report[f"{shot}-{language}"] = all_violations(page)
    (folder / "axe-report.txt").write_text(
        "\n".join(
            f"{page_}: {', '.join(found) or 'no violation'}" for page_, found in report.items()
        )
        + "\n"
    )
    serious = {
        name: [v for v in found if v.split(":")[0] in {"serious", "critical"}]
        for name, found in report.items()
    }
    assert {name: found for name, found in serious.items() if found} == {}
