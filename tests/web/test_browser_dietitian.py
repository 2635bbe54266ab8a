"""The dietitian's journey in a real browser (Debian's Chromium), every page checked by axe-core.

Sign in, search, find no duplicate, open a file with consent, log a consultation in at most
three clicks from the file, set coupons and see their value at the prices computed from seeded
store prices, switch to English; a volunteer is refused the clients.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from accounts import PASSWORD
from browser import CHROMIUM, all_violations, running_server
from factories import (
    TWO_STORE_PRICES,
    make_match,
    make_observation,
    make_product,
    seed_two_stores_in_lachine,
    shipped_region,
)
from sqlmodel import col, select
from web_helpers import account

from core.basket_definitions import ensure_reference_basket
from core.db import dispose_engines, session_scope
from core.models import BasketItem, ItemRegionPrice, Store
from core.settings import get_settings
from services.costing import compute_costs
from services.protocol import costing_protocol
from services.records.coupon_kinds import ensure_coupon_kinds
from services.records.territories import ensure_postal_territories
from web.i18n import money

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found: browser tests skipped"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

DIETITIAN = "diet@alima.example"
VOLUNTEER = "vol@alima.example"


def seed_milk_in_lachine(db_url: str) -> None:
    """The two Lachine stores of the shared seed also sell 2 % milk, January to October."""
    with session_scope(db_url) as session:
        version = ensure_reference_basket(session)
        milk = session.exec(
            select(BasketItem).where(
                BasketItem.version_id == version.id, BasketItem.code == "milk_2pct"
            )
        ).one()
        product = make_product(
            session, sku="milk", name=milk.name_fr, size=milk.purchase_size,
            size_unit=milk.purchase_unit,
        )  # fmt: skip
        assert milk.id is not None
        make_match(session, product, milk.id)
        stores = session.exec(select(Store).where(col(Store.code).in_(TWO_STORE_PRICES))).all()
        for store in stores:
            for month in range(1, 11):
                make_observation(
                    session, store, product, price=TWO_STORE_PRICES[store.code] + 2,
                    observed_at=datetime(2026, month, 5, tzinfo=UTC),
                    content_hash=f"milk{store.code}{month}",
                )  # fmt: skip
        session.commit()


@pytest.fixture
def milk_coupon(db_url: str) -> Decimal:
    """Accounts, coupon kinds, seeded prices and their costs; a 4 L milk coupon's value."""
    account(db_url, "dietitian", DIETITIAN)
    account(db_url, "volunteer", VOLUNTEER)
    seed_two_stores_in_lachine(db_url)
    seed_milk_in_lachine(db_url)
    with session_scope(db_url) as session:
        ensure_coupon_kinds(session)
        ensure_postal_territories(session)  # as `ppne db upgrade` does: H8S is Lachine
        session.commit()
        compute_costs(session, costing_protocol(get_settings()))
        lachine = shipped_region(session, "lachine")
        found = session.exec(
            select(ItemRegionPrice, BasketItem)
            .join(BasketItem, col(BasketItem.id) == col(ItemRegionPrice.item_id))
            .where(BasketItem.code == "milk_2pct", ItemRegionPrice.region_id == lachine.id)
            .order_by(col(ItemRegionPrice.period).desc())
        ).first()
        assert found is not None
        price, item = found
        assert price.price is not None
        value = Decimal(4000) / Decimal(item.purchase_size) * Decimal(price.price)
    dispose_engines()  # the server is the only client from here on
    return value.quantize(Decimal("0.01"))


@pytest.fixture
def page(milk_coupon: Decimal, db_url: str, tmp_path: Path) -> Iterator[Any]:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    with (
        running_server(db_url, out, tmp_path / "server.log") as base,
        sync_api.sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(base_url=base, viewport={"width": 1100, "height": 900})
        try:
            tab = context.new_page()
            tab.set_default_timeout(10_000)
            yield tab
        finally:
            context.close()
            browser.close()


def checked(page: Any, report: dict[str, list[str]], name: str) -> None:
    """Run axe-core on the page; keep every finding, with its impact, under `name`.

    With PPNE_SCREENSHOTS set (`make screenshots`), the page is also saved there as
    clients-<name>.png.
    """
    report[name] = all_violations(page)
    folder = os.environ.get("PPNE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"clients-{name}.png"), full_page=True)


def sign_in(page: Any, email: str) -> None:
    page.goto("/app/signin")
    page.get_by_label("Adresse courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/app/home")


def test_dietitian_journey(page: Any, milk_coupon: Decimal) -> None:
    axe: dict[str, list[str]] = {}
    sign_in(page, DIETITIAN)
    page.get_by_role("link", name="Clientèle", exact=True).click()
    page.wait_for_url("**/app/clients")
    checked(page, axe, "caseload-fr")

    page.get_by_role("link", name="Nouvelle cliente").click()
    checked(page, axe, "intake-search-fr")
    page.get_by_label("Prénom").fill("Ana")
    page.get_by_label("Nom de famille").fill("Lima")
    page.get_by_label("Date de naissance").fill("1994-03-21")
    page.get_by_role("button", name="Chercher un dossier existant").click()
    page.get_by_text("Aucun dossier ne correspond").wait_for()
    checked(page, axe, "intake-form-fr")

    # An error first: a consent ticked without the version of its text.
    page.get_by_label("Code postal (facultatif)").fill("H8S 1A1")
    page.get_by_label("Programme").select_option("prenatal")
    page.get_by_label("Services", exact=True).check()
    page.get_by_role("button", name="Ouvrir le dossier").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    checked(page, axe, "intake-error-fr")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "text_version"
    assert page.get_by_label("Code postal (facultatif)").input_value() == "H8S 1A1"
    page.get_by_label("Version du texte de consentement").fill("2026-01")
    page.get_by_role("button", name="Ouvrir le dossier").click()
    page.get_by_text("Le dossier est ouvert.").wait_for()
    checked(page, axe, "file-fr")

    # Logging a consultation from the file page: counted clicks, at most three.
    clicks = 0
    page.get_by_role("button", name="Consultation", exact=True).click()
    clicks += 1
    page.get_by_text("Le service est consigné.").wait_for()
    assert clicks <= 3
    timeline = page.get_by_role("table", name="Tout ce qui a été fait avec elle")
    assert "Consultation" in timeline.inner_text()

    page.get_by_role("link", name="Coupons et budget").click()
    checked(page, axe, "coupons-fr")
    page.get_by_label("Lait, 4 L").first.fill("2")
    page.get_by_role("button", name="Enregistrer l'attribution").click()
    page.get_by_text("L'attribution est enregistrée.").wait_for()
    page.get_by_text("Valeur aux prix du panier de Lachine").wait_for()
    allocation = page.locator("#allocation-table").inner_text()
    assert money(milk_coupon, "fr") in allocation and money(milk_coupon * 2, "fr") in allocation
    checked(page, axe, "coupons-set-fr")

    page.get_by_role("link", name="Poids et évaluation").click()
    page.get_by_label("Poids en kilogrammes").fill("64,5")
    page.get_by_role("button", name="Consigner le poids").click()
    page.get_by_text("Le poids est consigné.").wait_for()
    checked(page, axe, "clinical-fr")

    page.get_by_role("link", name="Coupons et budget").click()
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/coupons")
    assert page.locator("html").get_attribute("lang") == "en-CA"
    page.get_by_role("heading", name="Her weekly allocation").wait_for()
    assert money(milk_coupon, "en") in page.locator("#allocation-table").inner_text()
    checked(page, axe, "coupons-en")
    page.get_by_role("link", name="File and timeline").click()
    page.get_by_role("heading", name="Log a service").wait_for()
    checked(page, axe, "file-en")
    page.get_by_role("link", name="All clients").click()
    checked(page, axe, "caseload-en")

    print(
        "\n".join(
            f"axe {name}: {', '.join(found) or 'no violation'}" for name, found in axe.items()
        )
    )
    serious = {
        name: [v for v in found if v.split(":")[0] in {"serious", "critical"}]
        for name, found in axe.items()
    }
    assert {name: found for name, found in serious.items() if found} == {}


def test_a_volunteer_is_refused_the_clients(page: Any) -> None:
    sign_in(page, VOLUNTEER)
    answer = page.goto("/app/clients")
    assert answer is not None and answer.status == 403
    assert page.get_by_role("heading", name="Accès refusé").is_visible()
    assert [v for v in all_violations(page) if v.split(":")[0] in {"serious", "critical"}] == []
