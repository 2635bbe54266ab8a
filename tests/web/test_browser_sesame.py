"""Le Sésame's coordinator in a real browser (Debian's Chromium), checked by axe-core, in one
session to keep CI short: offer a box and record an order, read its value and saving; plan a
kitchen session and record its portions; no serious or critical axe violation on any of the
operations pages (a form with errors included).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from accounts import PASSWORD, bearer
from browser import CHROMIUM, running_server, serious_violations
from sesame_world import client_in, coordinator, put_prices, set_up

from core.db import dispose_engines, session_scope
from services.records.shifts import ShiftIn, add_shift
from services.records.volunteers import SlotIn, VolunteerIn, add_volunteer

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found: browser tests skipped"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

EMAIL = "coord@sesame.example"


@pytest.fixture
def site(db_url: str, tmp_path: Path) -> Iterator[str]:
    """Le Sésame's coordinator, a client in Mercier-Est and its March prices; a real server."""
    with session_scope(db_url) as session:
        set_up(session)
        put_prices(
            session,
            "mercier-est",
            "2026-03",
            {"carrots": "3.49", "apples_mcintosh": "5.99", "romaine_lettuce": "2.79"},
        )
        client = client_in(session)
        client.first_name, client.last_name = "Awa", "Diallo"
        session.add(client)
        session.commit()
        # Two volunteers free next week and a shift, so the substitution form is checked too.
        staff = coordinator(session)
        day = date.today() + timedelta(days=7)
        slot = SlotIn(weekday=day.weekday(), starts_at=time(8), ends_at=time(13))
        first, _second = (
            add_volunteer(session, staff, VolunteerIn(name=name, availability=[slot]))
            for name in ("Alice", "Béatrice")
        )
        shift = ShiftIn(program="cafe", kind="cafe", shift_on=day, starts_at=time(9),
                        ends_at=time(12), volunteer_id=first.volunteer_id)  # fmt: skip
        add_shift(session, staff, shift)
    bearer(db_url, "coordinator", organisation="sesame", email=EMAIL)
    dispose_engines()  # the server is the only client from here on
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
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


def shoot(page: Any, name: str) -> None:
    """A full-page screenshot, when $PPNE_SCREENSHOTS names a folder (make screenshots)."""
    folder = os.environ.get("PPNE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}-fr.png"), full_page=True)


def fill_food(page: Any) -> None:
    """A box or a recipe: 1135 g of carrots, 1360 g of apples, 2 heads of romaine."""
    for row, (code, quantity) in enumerate(
        (("carrots", "1135"), ("apples_mcintosh", "1360"), ("romaine_lettuce", "2")), start=1
    ):
        page.locator(f"#item_{row}").select_option(code)
        page.get_by_label(f"Quantité {row}", exact=True).fill(quantity)


def test_order_a_box_record_kitchen_portions_and_check_every_page(page: Any) -> None:
    page.goto("/app/signin")
    page.get_by_label("Adresse courriel").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/app/home")
    found: dict[str, list[str]] = {}

    page.get_by_role("link", name="Boîtes de fruits et légumes").click()
    page.wait_for_url("**/app/boxes")
    page.get_by_role("button", name="Offrir la boîte").click()  # nothing filled in
    assert page.locator(".error-summary").is_visible()
    found["boxes-error"] = serious_violations(page)
    page.get_by_label("Semaine du").fill("2026-04-15")
    page.get_by_label("Nom de la boîte").fill("Boîte moyenne")
    page.get_by_label("Prix d'une boîte").fill("12,00")
    fill_food(page)
    page.get_by_role("button", name="Offrir la boîte").click()
    page.get_by_text("La boîte est offerte.").wait_for()
    page.get_by_label("Cliente", exact=True).fill("diallo")
    page.get_by_label("Boîtes", exact=True).fill("2")
    page.get_by_label("Commandée le").fill("2026-04-16")
    page.get_by_role("button", name="Enregistrer la commande").click()
    page.get_by_text("La commande est enregistrée.").wait_for()
    # 13.32 $ of food at Mercier-Est's March prices, for 12.00 $: 2 boxes save 2.64 $.
    assert page.locator("td.box-value").inner_text() == "13,32\xa0$"
    assert page.locator("td.saving").inner_text() == "2,64\xa0$"
    found["box-offer"] = serious_violations(page)
    shoot(page, "sesame-box-offer")

    page.goto("/app/kitchens")
    page.get_by_label("Jour", exact=True).fill("2026-03-20")
    page.locator("#place").fill("Cuisine Hochelaga")
    page.locator("#recipe").fill("Soupe")
    page.locator("#region").select_option("mercier-est")
    fill_food(page)
    page.get_by_role("button", name="Planifier la séance de cuisine").click()
    page.get_by_text("La séance de cuisine est planifiée.").wait_for()
    page.locator("#portions").fill("8")
    page.get_by_role("button", name="Enregistrer les portions").click()
    page.get_by_text("Les portions sont enregistrées.").wait_for()
    assert page.locator("#cost-per-portion").inner_text() == "1,67\xa0$"  # 13.32 / 8
    found["kitchen"] = serious_violations(page)
    shoot(page, "sesame-kitchen")

    for name, address in (
        ("boxes", "/app/boxes"),
        ("kitchens", "/app/kitchens"),
        ("food-aid", "/app/food-aid"),
        ("volunteers", "/app/volunteers"),
        ("substitution", "/app/volunteers?shift=1"),
    ):
        page.goto(address)
        assert page.locator("html").get_attribute("lang") == "fr-CA"
        found[name] = serious_violations(page)
        shoot(page, f"sesame-{name}")
    assert page.get_by_label("Remplaçante").input_value() != ""  # Béatrice is offered
    assert {name: rules for name, rules in found.items() if rules} == {}
