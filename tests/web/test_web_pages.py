"""The web app's pages through HTTP: sign-in, CSRF, sessions, roles, languages, public pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from accounts import PASSWORD
from factories import make_basket_cost, make_basket_version, shipped_region
from fastapi.testclient import TestClient
from sqlmodel import select
from web_helpers import account, csrf_of, sign_in

from api.app import create_app
from core.db import session_scope
from core.models import ApiToken, PublicationDownload
from core.settings import get_settings
from web.session import SESSION_COOKIE


@pytest.fixture
def client(db_url: str) -> TestClient:
    return TestClient(create_app())


def test_pages_are_french_by_default_and_english_on_request(client: TestClient) -> None:
    french = client.get("/app/signin")
    assert '<html lang="fr-CA">' in french.text
    assert "Adresse courriel" in french.text and "Aller au contenu principal" in french.text
    english = client.get("/app/signin?lang=en")
    assert '<html lang="en-CA">' in english.text and "Email address" in english.text
    # The choice is kept in a cookie for the next pages.
    assert '<html lang="en-CA">' in client.get("/app/costs").text


def test_wrong_password_shows_an_error_summary_linking_to_the_field(
    client: TestClient, db_url: str
) -> None:
    email = account(db_url, "dietitian", "diet@alima.example")
    token = csrf_of(client.get("/app/signin").text)
    answer = client.post("/app/signin", data={"email": email, "password": "wrong", "csrf": token})
    assert answer.status_code == 401
    assert 'class="error-summary"' in answer.text
    assert '<a href="#email">' in answer.text and 'aria-invalid="true"' in answer.text
    assert SESSION_COOKIE not in answer.cookies


def test_empty_fields_are_each_named(client: TestClient) -> None:
    token = csrf_of(client.get("/app/signin").text)
    answer = client.post("/app/signin", data={"email": "", "password": "", "csrf": token})
    assert answer.status_code == 422
    assert '<a href="#email">' in answer.text and '<a href="#password">' in answer.text


def test_a_post_without_its_csrf_token_is_refused_with_a_page(
    client: TestClient, db_url: str
) -> None:
    email = account(db_url, "dietitian", "diet@alima.example")
    client.get("/app/signin")
    answer = client.post("/app/signin", data={"email": email, "password": PASSWORD})
    assert answer.status_code == 403
    assert "Formulaire refusé" in answer.text
    forged = client.post(
        "/app/signin", data={"email": email, "password": PASSWORD, "csrf": "forged"}
    )
    assert forged.status_code == 403
    # Signed in, the token is the session's: an old anonymous one no longer passes.
    anonymous = csrf_of(client.get("/app/signin").text)
    sign_in(client, email)
    assert client.post("/app/signout", data={"csrf": anonymous}).status_code == 403
    assert client.get("/app/home").status_code == 200


def test_sign_in_home_and_sign_out_revokes_the_token(client: TestClient, db_url: str) -> None:
    email = account(db_url, "coordinator", "coord@alima.example")
    client.get("/app/signin")
    token = csrf_of(client.get("/app/signin").text)
    answer = client.post(
        "/app/signin",
        data={"email": email, "password": PASSWORD, "csrf": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/app/home"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=" in cookie
    assert "Secure" not in cookie  # plain HTTP here; HTTPS requests get Secure
    home = client.get("/app/home")
    assert "Alima" in home.text or "alima" in home.text
    assert "Coordination" in home.text and "à venir" not in home.text  # every section is built
    assert 'href="/app/deliveries"' in home.text
    assert 'href="/app/reports"' in home.text
    assert 'href="/app/sections/privacy"' not in home.text
    out = client.post("/app/signout", data={"csrf": csrf_of(home.text)}, follow_redirects=False)
    assert out.status_code == 303
    with session_scope(db_url) as session:
        (row,) = session.exec(select(ApiToken).where(ApiToken.name == "sign-in")).all()
        assert row.revoked_at is not None
    assert client.get("/app/home", follow_redirects=False).status_code == 303


def test_a_section_her_role_does_not_open_is_refused_with_a_page(
    client: TestClient, db_url: str
) -> None:
    sign_in(client, account(db_url, "volunteer", "vol@alima.example"))
    refused = client.get("/app/sections/clients")
    assert refused.status_code == 403 and "Accès refusé" in refused.text
    assert client.get("/app/sections/deliveries").status_code == 200
    assert client.get("/app/sections/nothing-here").status_code == 404


def test_her_language_is_kept_on_her_account(client: TestClient, db_url: str) -> None:
    sign_in(client, account(db_url, "dietitian", "diet@alima.example"))
    home = client.get("/app/home")
    assert "Vos organismes et vos rôles" in home.text
    client.post(
        "/app/language", data={"lang": "en", "next": "/app/home", "csrf": csrf_of(home.text)}
    )
    assert "Your organisations and roles" in client.get("/app/home").text
    # Another browser signing in to her account reads English too.
    other = TestClient(create_app())
    sign_in(other, "diet@alima.example")
    assert '<html lang="en-CA">' in other.get("/app/home").text


def test_only_local_addresses_are_followed_after_sign_in(client: TestClient, db_url: str) -> None:
    email = account(db_url, "dietitian", "diet@alima.example")
    token = csrf_of(client.get("/app/signin").text)
    answer = client.post(
        "/app/signin",
        data={"email": email, "password": PASSWORD, "csrf": token, "next": "https://evil.example"},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/app/home"


def test_costs_page_shows_money_per_locale(client: TestClient, db_url: str) -> None:
    with session_scope(db_url) as session:
        version = make_basket_version(session, code="test-v1")
        make_basket_cost(
            session,
            version,
            shipped_region(session, "lachine"),
            period="2026-10",
            weekly_cost=Decimal("250.10"),
        )
        session.commit()
    french = client.get("/app/costs").text
    assert "250,10\xa0$" in french and "octobre 2026" in french and "<svg" in french
    english = client.get("/app/costs?lang=en").text
    assert "$250.10" in english and "October 2026" in english
    # The month's weeks come from the preset in force (nfb by default), not typed in.
    assert "Coût mensuel (4,33 semaines)" in french and "Monthly cost (4.33 weeks)" in english


def test_costs_page_says_the_ppne_presets_weeks(
    client: TestClient, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_scope(db_url) as session:
        version = make_basket_version(session, code="test-v1")
        make_basket_cost(session, version, shipped_region(session, "lachine"), period="2026-10")
        session.commit()
    monkeypatch.setenv("PPNE_COSTING_PRESET", "ppne")
    get_settings.cache_clear()
    assert "Coût mensuel (4,345 semaines)" in client.get("/app/costs").text


def test_costs_page_without_costs_says_so(client: TestClient) -> None:
    assert "Aucun coût du panier" in client.get("/app/costs").text


def test_publications_are_listed_and_served_nothing_else(
    client: TestClient, db_url: str, tmp_path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "bulletin.pdf").write_bytes(b"%PDF-1.4 test")
    (out / "secret.db").write_bytes(b"no")
    page = client.get("/app/publications").text
    assert "bulletin.pdf" in page and "secret.db" not in page
    assert client.get("/app/publications/bulletin.pdf").content == b"%PDF-1.4 test"
    assert client.get("/app/publications/secret.db").status_code == 404
    assert client.get("/app/publications/..%2Fsecret.db").status_code == 404
    # Each download served is counted for the funders' outputs report; refusals are not.
    with session_scope(db_url) as session:
        counted = session.exec(select(PublicationDownload.publication)).all()
    assert counted == ["bulletin.pdf"]


def test_unknown_pages_and_the_api_keep_their_own_errors(client: TestClient) -> None:
    page = client.get("/app/no-such-page")
    assert page.status_code == 404 and "Page introuvable" in page.text
    assert client.get("/v1/no-such-route").headers["content-type"].startswith("application/json")
    policy = client.get("/app/costs").headers["content-security-policy"]
    assert "form-action 'self'" in policy and "script-src 'self'" in policy
