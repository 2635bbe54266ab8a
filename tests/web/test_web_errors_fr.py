"""A use case's refusal shown on a French page is French: its message comes from the catalogue,
its values put in after translation (core/errors.py, web/i18n.py `explain`)."""

from __future__ import annotations

import html
from datetime import date

import pytest
import records_factories
from factories import shipped_region
from fastapi.testclient import TestClient
from web_helpers import account, csrf_of, sign_in

from api.app import create_app
from core.db import session_scope
from core.models import Enrolment
from services.records.coupon_kinds import ensure_coupon_kinds

DIETITIAN = "diet@alima.example"


@pytest.fixture
def dietitian(db_url: str) -> TestClient:
    client = TestClient(create_app())
    sign_in(client, account(db_url, "dietitian", DIETITIAN))
    return client


def make_file(db_url: str, *, enrolled: bool = True, **fields: object) -> int:
    """An alima client with a services consent, enrolled in the prenatal program or not."""
    with session_scope(db_url) as session:
        ensure_coupon_kinds(session)
        shipped_region(session, "montreal")
        person = records_factories.make_client(session, "alima", **fields)
        program = records_factories.program(session, "alima", "prenatal")
        assert person.id is not None and program.id is not None
        if enrolled:
            session.add(
                Enrolment(client_id=person.id, program_id=program.id, starts_on=date(2026, 1, 1))
            )
        records_factories.make_consent(session, person, "services")
        session.commit()
        return person.id


def post(client: TestClient, page: str, action: str, data: dict[str, str]) -> str:
    """Post a form of `page` with its CSRF token; the answer's text, entities decoded."""
    token = csrf_of(client.get(page).text)
    answer = client.post(action, data={**data, "csrf": token}, follow_redirects=False)
    assert answer.status_code == 422, answer.status_code
    return html.unescape(answer.text)


def test_a_postal_code_refused_at_intake_is_explained_in_french(dietitian: TestClient) -> None:
    page = post(
        dietitian,
        "/app/clients/new?check=1&first_name=Ana&last_name=Lima",
        "/app/clients/new",
        {
            "first_name": "Ana",
            "last_name": "Lima",
            "birth_date": "1994-03-21",
            "postal_code": "ZZ9",
            "consent_services": "1",
            "given_by": "client",
            "method": "written",
            "text_version": "2026-01",
        },
    )
    assert "le code postal 'ZZ9' n'est pas un code postal canadien comme « H1L 2A3 »" in page
    assert "is not a Canadian postal code" not in page


def test_a_consent_a_child_cannot_give_is_refused_in_french(
    dietitian: TestClient, db_url: str
) -> None:
    person = make_file(db_url, birth_date=date(2020, 6, 1))
    page = post(
        dietitian,
        f"/app/clients/{person}",
        f"/app/clients/{person}/consents",
        {
            "consent_purpose": "statistics",
            "consent_given_by": "client",
            "consent_method": "verbal",
            "consent_text_version": "2026-01",
        },
    )
    assert "la cliente a moins de 14 ans : un parent ou un tuteur donne le consentement" in page
    assert "the client is under 14" not in page


def test_a_service_without_her_program_is_refused_in_french(
    dietitian: TestClient, db_url: str
) -> None:
    person = make_file(db_url, enrolled=False)
    page = post(
        dietitian,
        f"/app/clients/{person}",
        f"/app/clients/{person}/events",
        {"kind": "individual_consultation"},
    )
    assert "indiquez le programme de ce service (elle n'est pas inscrite à un seul" in page
    assert "name the program of this service" not in page


def test_a_duplicate_and_a_missing_consent_are_french_too(
    dietitian: TestClient, db_url: str
) -> None:
    make_file(db_url, first_name="Marie-Ève", last_name="Tremblay", birth_date=date(1990, 5, 2))
    form = {
        "first_name": "Marie-Eve",
        "last_name": "Tremblay",
        "birth_date": "1990-05-02",
        "consent_services": "1",
        "given_by": "client",
        "method": "written",
        "text_version": "2026-01",
    }
    token = csrf_of(dietitian.get("/app/clients/new?check=1&first_name=M&last_name=T").text)
    stopped = dietitian.post("/app/clients/new", data={**form, "csrf": token})
    assert stopped.status_code == 409
    assert "may be the same person" not in stopped.text
    person = make_file(db_url)
    refused = post(
        dietitian,
        f"/app/clients/{person}",
        f"/app/clients/{person}/referrals",
        {"resource": "CLSC de Lachine", "shared_information": "1"},
    )
    assert "Consentement manquant" in refused and "consent missing" not in refused.lower()
