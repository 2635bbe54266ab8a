"""The dietitian's pages through HTTP: caseload, search before intake, the file, logging,
consents, coupons and their value, the budget, weights, and every refusal as a page."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

import pytest
import records_factories
from factories import shipped_region
from fastapi.testclient import TestClient
from sqlmodel import select
from web_helpers import account, csrf_of, sign_in

from api.app import create_app
from core.basket_definitions import ensure_reference_basket
from core.db import session_scope
from core.models import (
    AuditEvent,
    BasketItem,
    Client,
    Consent,
    CouponAllocation,
    Distribution,
    Enrolment,
    ItemRegionPrice,
    Referral,
    ServiceEvent,
    WeightCheck,
)
from services.records.coupon_kinds import ensure_coupon_kinds
from web.i18n import money

DIETITIAN = "diet@alima.example"


@pytest.fixture
def client(db_url: str) -> TestClient:
    return TestClient(create_app())


@pytest.fixture
def dietitian(client: TestClient, db_url: str) -> TestClient:
    sign_in(client, account(db_url, "dietitian", DIETITIAN))
    return client


def make_file(db_url: str, org: str = "alima", consent: bool = True, **fields: object) -> int:
    """A client enrolled in her organisation's first program, with a services consent."""
    with session_scope(db_url) as session:
        ensure_coupon_kinds(session)
        shipped_region(session, "montreal")  # the shipped regions, as `ppne db upgrade` loads
        person = records_factories.make_client(session, org, **fields)
        code = "prenatal" if org == "alima" else "food_aid"
        program = records_factories.program(session, org, code)
        assert person.id is not None and program.id is not None
        session.add(
            Enrolment(client_id=person.id, program_id=program.id, starts_on=date(2026, 1, 1))
        )
        if consent:
            records_factories.make_consent(session, person, "services")
        session.commit()
        return person.id


def post(client: TestClient, page: str, action: str, data: dict[str, str]):
    """Post a form of `page` the way a browser does: with the page's CSRF token."""
    token = csrf_of(client.get(page).text)
    return client.post(action, data={**data, "csrf": token}, follow_redirects=False)


def test_caseload_lists_her_clients_active_first_and_finds_without_accents(
    dietitian: TestClient, db_url: str
) -> None:
    make_file(db_url, first_name="Zoé", last_name="Aubin", status="closed")
    make_file(db_url, first_name="Ève", last_name="Tremblay")
    make_file(db_url, "sesame", first_name="Ève", last_name="Autre")
    page = dietitian.get("/app/clients")
    assert page.status_code == 200 and '<html lang="fr-CA">' in page.text
    assert page.text.index("Tremblay") < page.text.index("Aubin")  # active first
    assert "Autre" not in page.text  # another organisation's client
    found = dietitian.get("/app/clients?q=eve")
    assert "Tremblay" in found.text and "Aubin" not in found.text


def test_search_before_intake_then_open_a_file_with_consents(
    dietitian: TestClient, db_url: str
) -> None:
    searched = dietitian.get(
        "/app/clients/new?check=1&first_name=Ana&last_name=Lima&birth_date=1994-03-21"
    )
    assert "Aucun dossier ne correspond" in searched.text
    opened = post(
        dietitian,
        "/app/clients/new?check=1&first_name=Ana&last_name=Lima",
        "/app/clients/new",
        {
            "first_name": "Ana",
            "last_name": "Lima",
            "birth_date": "1994-03-21",
            "postal_code": "h1l 2a3",
            "program": "prenatal",
            "consent_services": "1",
            "consent_sharing": "1",
            "sharing_resource": "CLSC de Mercier-Est",
            "given_by": "client",
            "method": "verbal",
            "text_version": "2026-01",
        },
    )
    assert opened.status_code == 303, opened.text
    file_page = dietitian.get(opened.headers["location"])
    assert "Le dossier est ouvert." in file_page.text and "CLSC de Mercier-Est" in file_page.text
    with session_scope(db_url) as session:
        (person,) = session.exec(select(Client).where(Client.last_name == "Lima")).all()
        consents = session.exec(select(Consent).where(Consent.client_id == person.id)).all()
        assert sorted(c.purpose for c in consents) == ["services", "sharing"]
        assert {c.method for c in consents} == {"verbal"}
        assert session.exec(select(Enrolment).where(Enrolment.client_id == person.id)).one()


def test_intake_errors_are_summarised_and_values_kept(dietitian: TestClient) -> None:
    answer = post(
        dietitian,
        "/app/clients/new?check=1&first_name=A&last_name=B",
        "/app/clients/new",
        {
            "first_name": "Ana",
            "last_name": "",
            "birth_date": "21/03/1994",
            "consent_statistics": "1",
        },
    )
    assert answer.status_code == 422
    summary = answer.text[answer.text.index("error-summary") :]
    for field in ("last_name", "birth_date", "text_version"):
        assert f'href="#{field}"' in summary
    assert 'value="Ana"' in answer.text and 'value="21/03/1994"' in answer.text
    assert 'aria-invalid="true"' in answer.text


def test_a_suspected_duplicate_is_shown_and_needs_confirmation(
    dietitian: TestClient, db_url: str
) -> None:
    existing = make_file(
        db_url, first_name="Marie-Ève", last_name="Tremblay", birth_date=date(1990, 5, 2)
    )
    searched = dietitian.get(
        "/app/clients/new?check=1&first_name=marie eve&last_name=TREMBLAY&birth_date=1990-05-02"
    )
    assert (
        f'href="/app/clients/{existing}"' in searched.text and "Ouvrir ce dossier" in searched.text
    )
    form = {"first_name": "Marie Eve", "last_name": "Tremblay", "birth_date": "1990-05-02"}
    stopped = post(dietitian, "/app/clients/new", "/app/clients/new", form)
    assert stopped.status_code == 409 and 'name="force"' in stopped.text
    forced = post(dietitian, "/app/clients/new", "/app/clients/new", {**form, "force": "1"})
    assert forced.status_code == 303
    with session_scope(db_url) as session:
        assert len(session.exec(select(Client).where(Client.last_name == "Tremblay")).all()) == 2


def test_log_a_consultation_in_one_click_and_a_referral(dietitian: TestClient, db_url: str) -> None:
    person = make_file(db_url)
    page = f"/app/clients/{person}"
    logged = post(dietitian, page, f"{page}/events", {"kind": "individual_consultation"})
    assert logged.status_code == 303
    phoned = post(dietitian, page, f"{page}/events", {"kind": "phone_follow_up"})
    assert phoned.status_code == 303
    refused = post(
        dietitian, page, f"{page}/referrals", {"resource": "Banque", "shared_information": "1"}
    )
    assert refused.status_code == 422 and "Consentement manquant" in refused.text
    assert post(dietitian, page, f"{page}/referrals", {"resource": "Banque"}).status_code == 303
    timeline = dietitian.get(page).text
    assert "Consultation" in timeline and "Suivi téléphonique" in timeline and "Banque" in timeline
    with session_scope(db_url) as session:
        events = session.exec(select(ServiceEvent).where(ServiceEvent.client_id == person)).all()
        assert {(e.kind, e.mode, e.occurred_on) for e in events} == {
            ("individual_consultation", "in_person", date.today()),
            ("phone_follow_up", "phone", date.today()),
        }
        assert session.exec(select(Referral).where(Referral.client_id == person)).one()


def test_withdraw_a_consent(dietitian: TestClient, db_url: str) -> None:
    person = make_file(db_url)
    with session_scope(db_url) as session:
        consent = session.exec(select(Consent).where(Consent.client_id == person)).one()
    page = f"/app/clients/{person}"
    answer = post(dietitian, page, f"{page}/consents/{consent.id}/withdraw", {})
    assert answer.status_code == 303
    assert "Retiré le" in dietitian.get(page).text


def test_record_a_consent_then_refer_sharing_information(
    dietitian: TestClient, db_url: str
) -> None:
    person = make_file(db_url)
    page = f"/app/clients/{person}"
    missing = post(dietitian, page, f"{page}/consents", {"consent_purpose": "sharing"})
    assert missing.status_code == 422
    assert 'href="#consent_text_version"' in missing.text
    assert 'href="#consent_resource"' in missing.text
    given = {
        "consent_purpose": "sharing",
        "consent_resource": "CLSC de Lachine",
        "consent_method": "verbal",
        "consent_text_version": "2026-01",
    }
    assert post(dietitian, page, f"{page}/consents", given).status_code == 303
    shared = {"resource": "CLSC de Lachine", "shared_information": "1"}
    assert post(dietitian, page, f"{page}/referrals", shared).status_code == 303
    with session_scope(db_url) as session:
        referral = session.exec(select(Referral).where(Referral.client_id == person)).one()
        assert referral.shared_information and referral.consent_id is not None
    # A form's address opened as a page (the language switch after an error) goes back.
    back = dietitian.get(f"{page}/referrals", follow_redirects=False)
    assert back.status_code == 303 and back.headers["location"] == page


def test_restricted_notes_and_weights_show_as_restricted_to_a_coordinator(
    client: TestClient, db_url: str
) -> None:
    person = make_file(db_url)
    sign_in(client, account(db_url, "dietitian", DIETITIAN))
    page = f"/app/clients/{person}"
    post(client, page, f"{page}/events", {"kind": "individual_consultation", "notes": "anémie",
                                          "notes_restricted": "1"})  # fmt: skip
    clinical = f"{page}/clinical"
    saved = post(
        client, clinical, f"{clinical}/weights", {"weight_program": "prenatal", "weight_kg": "64,5"}
    )
    assert saved.status_code == 303
    assert "64,5" in client.get(clinical).text and "anémie" in client.get(page).text
    client.cookies.clear()
    sign_in(client, account(db_url, "coordinator", "coord@alima.example"))
    seen = client.get(page).text
    assert "anémie" not in seen and "Restreint" in seen
    weights = client.get(clinical)
    assert "64,5" not in weights.text and "Restreint" in weights.text
    refused = post(
        client, page, f"{clinical}/weights", {"weight_program": "prenatal", "weight_kg": "60"}
    )
    assert refused.status_code == 403 and "Accès refusé" in refused.text
    with session_scope(db_url) as session:
        assert len(session.exec(select(WeightCheck)).all()) == 1


def seed_prices(db_url: str, milk: str = "6.49") -> None:
    """A price of milk and eggs in Lachine this month."""
    with session_scope(db_url) as session:
        lachine = shipped_region(session, "lachine")
        version = ensure_reference_basket(session)
        for code, price in (("milk_2pct", milk), ("eggs_large", "4.29")):
            item = session.exec(
                select(BasketItem).where(
                    BasketItem.version_id == version.id, BasketItem.code == code
                )
            ).one()
            assert version.id is not None and item.id is not None and lachine.id is not None
            session.add(
                ItemRegionPrice(
                    version_id=version.id, region_id=lachine.id, item_id=item.id,
                    period=date.today().strftime("%Y-%m"), price=Decimal(price), stores=8,
                    imputation="observed",
                )
            )  # fmt: skip
        session.commit()


def test_coupons_valued_adjusted_and_distributed(dietitian: TestClient, db_url: str) -> None:
    seed_prices(db_url)
    person = make_file(db_url, postal_code="H8S 1A1")
    with session_scope(db_url) as session:
        row = session.get(Client, person)
        assert row is not None
        row.territory_id = shipped_region(session, "lachine").id
        session.add(row)
        session.commit()
    page = f"/app/clients/{person}/coupons"
    first = dietitian.get(page)
    assert first.status_code == 200 and "Aucun coupon attribué" in first.text
    saved = post(
        dietitian, page, f"{page}/allocation", {"per_week_milk_4l": "2", "per_week_eggs_dozen": "1"}
    )
    assert saved.status_code == 303, saved.text
    shown = dietitian.get(page).text
    table = shown[
        shown.index('id="allocation-table"') : shown.index(
            "</table>", shown.index('id="allocation-table"')
        )
    ]
    # A 4 L coupon is 4000 ml of 2 % milk at the Lachine price of the basket's purchase size;
    # a dozen eggs, 12 of the basket's carton.
    with session_scope(db_url) as session:
        sizes = {
            item.code: Decimal(item.purchase_size)
            for item in session.exec(select(BasketItem)).all()
            if item.code in ("milk_2pct", "eggs_large")
        }
    milk = (Decimal(4000) / sizes["milk_2pct"] * Decimal("6.49")).quantize(Decimal("0.01"))
    eggs = (Decimal(12) / sizes["eggs_large"] * Decimal("4.29")).quantize(Decimal("0.01"))
    for figure in (milk, milk * 2, eggs, milk * 2 + eggs):
        assert money(figure, "fr") in table, figure
    assert "prix du panier de Lachine" in shown
    with session_scope(db_url) as session:
        assert {(a.per_week) for a in session.exec(select(CouponAllocation)).all()} == {1, 2}
    unchanged = post(
        dietitian, page, f"{page}/allocation", {"per_week_milk_4l": "2", "per_week_eggs_dozen": "1"}
    )
    assert unchanged.status_code == 422 and 'href="#allocation"' in unchanged.text
    given = post(
        dietitian, page, f"{page}/distributions", {"program": "prenatal", "count_milk_4l": "2"}
    )
    assert given.status_code == 303
    with session_scope(db_url) as session:
        (distribution,) = session.exec(select(Distribution)).all()
        assert distribution.total_value is not None
        assert money(Decimal(distribution.total_value), "fr") in dietitian.get(page).text


def test_the_budget_needs_her_consent(dietitian: TestClient, db_url: str) -> None:
    person = make_file(db_url, consent=False)
    page = html.unescape(dietitian.get(f"/app/clients/{person}/coupons").text)
    assert "n'a pas donné son consentement aux services" in page


def test_refusals_are_pages_and_audited(client: TestClient, db_url: str) -> None:
    mine = make_file(db_url)
    theirs = make_file(db_url, "sesame")
    sign_in(client, account(db_url, "volunteer", "vol@alima.example"))
    for path in (
        "/app/clients",
        f"/app/clients/{mine}",
        f"/app/clients/{mine}/coupons",
        "/app/clients/new",
    ):
        refused = client.get(path)
        assert refused.status_code == 403 and "Accès refusé" in refused.text, path
    client.cookies.clear()
    sign_in(client, account(db_url, "dietitian", DIETITIAN))
    for path in (
        f"/app/clients/{theirs}",
        f"/app/clients/{theirs}/coupons",
        f"/app/clients/{theirs}/clinical",
        "/app/clients/999999",
    ):
        missing = client.get(path)
        assert missing.status_code == 404 and "Page introuvable" in missing.text, path
    token = csrf_of(client.get("/app/clients").text)
    posted = client.post(
        f"/app/clients/{theirs}/events", data={"kind": "phone_follow_up", "csrf": token}
    )
    assert posted.status_code == 404
    assert (
        client.post(f"/app/clients/{mine}/events", data={"kind": "phone_follow_up"}).status_code
        == 403
    )
    with session_scope(db_url) as session:
        actions = {event.action for event in session.exec(select(AuditEvent)).all()}
        assert {"refuse", "read"} <= actions
        assert session.exec(select(ServiceEvent)).all() == []


def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    answer = client.get("/app/clients", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/app/signin")


def test_pages_in_english(dietitian: TestClient, db_url: str) -> None:
    person = make_file(db_url)
    token = csrf_of(dietitian.get("/app/clients").text)
    dietitian.post("/app/language", data={"lang": "en", "csrf": token, "next": "/app/clients"})
    for path in (
        "/app/clients",
        f"/app/clients/{person}",
        f"/app/clients/{person}/coupons",
        f"/app/clients/{person}/clinical",
        "/app/clients/new",
    ):
        page = dietitian.get(path)
        assert page.status_code == 200 and '<html lang="en-CA">' in page.text, path
    assert "Log a service" in dietitian.get(f"/app/clients/{person}").text


def test_assessment_contact_enrolment_and_status(dietitian: TestClient, db_url: str) -> None:
    person = make_file(db_url)
    page = f"/app/clients/{person}"
    clinical = f"{page}/clinical"
    wrong = post(
        dietitian, clinical, f"{clinical}/assessments",
        {"assessment_program": "prenatal", "calories_kcal": "beaucoup", "height_cm": "165"},
    )  # fmt: skip
    assert wrong.status_code == 422 and 'href="#calories_kcal"' in wrong.text
    assert 'value="165"' in wrong.text
    saved = post(
        dietitian, clinical, f"{clinical}/assessments",
        {"assessment_program": "prenatal", "calories_kcal": "2400", "protein_g": "90"},
    )  # fmt: skip
    assert saved.status_code == 303
    assert "2400 kcal, 90 g de protéines" in dietitian.get(clinical).text
    contact = {"contact_kind": "emergency", "contact_name": "Rosa Lima", "contact_phone": "514"}
    assert post(dietitian, page, f"{page}/contacts", contact).status_code == 303
    assert post(dietitian, page, f"{page}/enrolments", {"enrol": "workshops"}).status_code == 303
    again = post(dietitian, page, f"{page}/enrolments", {"enrol": "workshops"})
    assert again.status_code == 422 and 'href="#enrol"' in again.text
    no_reason = post(dietitian, page, f"{page}/status", {"status": "closed"})
    assert no_reason.status_code == 422 and 'href="#reason"' in no_reason.text
    closed = post(dietitian, page, f"{page}/status", {"status": "closed", "reason": "déménagée"})
    assert closed.status_code == 303
    text = dietitian.get(page).text
    assert "Rosa Lima" in text and "Fermé" in text and "déménagée" in text
    # Two programs now: the quick log asks which one.
    assert '<select id="program" name="program"' in text
