"""The coordinator's screens through HTTP: programs and group sessions, staff accounts, the
outputs report and its files, satisfaction surveys, the price-survey upload; and refusals."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import factories
import pytest
import records_factories
from accounts import PASSWORD
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import select
from web_helpers import account, csrf_of, sign_in

from api.app import create_app
from core.basket_definitions import ensure_reference_basket
from core.db import session_scope
from core.models import Attendance, AuditEvent, Membership, ServiceEvent, User
from services.records.outputs import COLUMNS

COORD = "coord@alima.example"
UPLOAD_HEADER = (
    "Période,Code du magasin,Code de l'article,Prix ($),Enquêteur·rice,Date (AAAA-MM-JJ)\n"
)


@pytest.fixture
def client(db_url: str) -> TestClient:
    return TestClient(create_app())


@pytest.fixture
def coordinator(client: TestClient, db_url: str) -> TestClient:
    account(db_url, "coordinator", COORD)
    sign_in(client, COORD)
    return client


def _client_of_alima(db_url: str, **overrides: object) -> int:
    with session_scope(db_url) as session:
        made = records_factories.make_client(session, **overrides)
        records_factories.make_consent(session, made, "statistics")
        session.commit()
        assert made.id is not None
        return made.id


def test_every_section_of_the_home_page_leads_to_its_screen(coordinator: TestClient) -> None:
    home = coordinator.get("/app/home").text
    for slug, target in (
        ("programs", "/app/programs"),
        ("reports", "/app/reports"),
        ("satisfaction", "/app/satisfaction"),
        ("accounts", "/app/staff"),
        ("surveys", "/app/surveys"),
    ):
        # The home page links the screen itself; the section's old address still leads there.
        assert f'href="{target}"' in home
        answer = coordinator.get(f"/app/sections/{slug}", follow_redirects=False)
        assert answer.headers["location"] == target
        page = coordinator.get(target)
        assert page.status_code == 200, (target, page.text)
        assert '<html lang="fr-CA">' in page.text


def test_plan_a_session_register_a_client_and_mark_her_present(
    coordinator: TestClient, db_url: str
) -> None:
    client_id = _client_of_alima(db_url, first_name="Awa", last_name="Diallo")
    page = coordinator.get("/app/programs")
    assert "Séances de groupe" in page.text or "séance" in page.text.lower()
    token = csrf_of(page.text)
    empty = coordinator.post(
        "/app/programs/sessions",
        data={"csrf": token, "program": "prenatal", "title": "", "held_on": "demain",
              "duration_minutes": "90", "capacity": "0"},
    )  # fmt: skip
    assert empty.status_code == 422
    for field in ("title", "held_on", "capacity"):
        assert f'<a href="#{field}">' in empty.text
    assert 'value="90"' in empty.text  # what she typed is kept
    planned = coordinator.post(
        "/app/programs/sessions",
        data={"csrf": token, "program": "prenatal", "title": "Purées maison",
              "held_on": "2026-12-03", "duration_minutes": "90", "capacity": "1"},
        follow_redirects=False,
    )  # fmt: skip
    assert planned.status_code == 303
    address = planned.headers["location"].split("?")[0]
    session_id = int(address.rsplit("/", 1)[1])
    found = coordinator.get(f"{address}?q=diallo")
    assert "Diallo, Awa" in found.text
    registered = coordinator.post(
        f"{address}/register", data={"csrf": token, "client_id": str(client_id), "q": "diallo"}
    )
    assert registered.status_code == 200 and 'id="present-' in registered.text
    # Full at one: a second client is refused, and the capacity cannot go below one.
    other = _client_of_alima(db_url, first_name="Léa", last_name="Roy")
    full = coordinator.post(f"{address}/register", data={"csrf": token, "client_id": str(other)})
    assert full.status_code == 422 and '<a href="#q">' in full.text
    below = coordinator.post(f"{address}/capacity", data={"csrf": token, "capacity": "0"})
    assert below.status_code == 422 and '<a href="#capacity">' in below.text
    raised = coordinator.post(f"{address}/capacity", data={"csrf": token, "capacity": "8"})
    assert "8" in raised.text and raised.status_code == 200
    marked = coordinator.post(
        f"{address}/attendance", data={"csrf": token, "present": str(client_id)}
    )
    assert marked.status_code == 200
    assert f'id="present-{client_id}" name="present" value="{client_id}" checked' in marked.text
    with session_scope(db_url) as session:
        (row,) = session.exec(select(Attendance)).all()
        assert row.present and row.group_session_id == session_id
        events = session.exec(select(ServiceEvent)).all()
        assert [event.kind for event in events] == ["group_attendance"]
    unmarked = coordinator.post(f"{address}/attendance", data={"csrf": token})
    assert f'value="{client_id}" checked' not in unmarked.text
    with session_scope(db_url) as session:
        assert session.exec(select(ServiceEvent)).all() == []


def test_a_session_of_another_organisation_is_not_found(client: TestClient, db_url: str) -> None:
    account(db_url, "coordinator", COORD)
    account_other = "coord@sesame.example"
    from accounts import bearer

    bearer(db_url, "coordinator", organisation="sesame", email=account_other)
    sign_in(client, account_other)
    token = csrf_of(client.get("/app/programs").text)
    planned = client.post(
        "/app/programs/sessions",
        data={"csrf": token, "program": "cafe", "title": "Café", "held_on": "2026-12-03",
              "duration_minutes": "60", "capacity": "5"},
        follow_redirects=False,
    )  # fmt: skip
    address = planned.headers["location"].split("?")[0]
    other = TestClient(create_app())
    sign_in(other, COORD)
    assert other.get(address).status_code == 404


def test_staff_accounts_of_her_organisation_only(coordinator: TestClient, db_url: str) -> None:
    account(db_url, "dietitian", "diet@alima.example")
    from accounts import bearer

    bearer(db_url, "dietitian", organisation="sesame", email="diet@sesame.example")
    page = coordinator.get("/app/staff")
    assert "diet@alima.example" in page.text and "diet@sesame.example" not in page.text
    assert "Nutritionniste" in page.text
    # She cannot give the admin or privacy officer role: not offered, and refused if posted.
    assert 'value="privacy_officer"' not in page.text and 'value="admin"' not in page.text
    token = csrf_of(page.text)
    form = {"csrf": token, "email": "new@alima.example", "role": "privacy_officer",
            "password": "a long passphrase", "password_again": "a long passphrase"}  # fmt: skip
    refused = coordinator.post("/app/staff", data=form)
    assert refused.status_code == 422 and '<a href="#role">' in refused.text
    differ = coordinator.post(
        "/app/staff", data={**form, "role": "dietitian", "password_again": "another passphrase"}
    )
    assert differ.status_code == 422 and '<a href="#password_again">' in differ.text
    assert 'value="new@alima.example"' in differ.text and "a long passphrase" not in differ.text
    created = coordinator.post(
        "/app/staff", data={**form, "role": "dietitian", "program": "prenatal"}
    )
    assert created.status_code == 200 and "new@alima.example" in created.text
    with session_scope(db_url) as session:
        user = session.exec(select(User).where(User.email == "new@alima.example")).one()
        assert user.password_hash.startswith("$argon2id$")
        (membership,) = session.exec(select(Membership).where(Membership.user_id == user.id))
        assert membership.role == "dietitian" and membership.program_id is not None
    taken = coordinator.post("/app/staff", data={**form, "role": "volunteer"})
    assert taken.status_code == 422 and '<a href="#email">' in taken.text
    # Another organisation's account cannot be disabled from here (404), hers can.
    other = coordinator.post(
        "/app/staff/disable", data={"csrf": token, "email": "diet@sesame.example"}
    )
    assert other.status_code == 404
    disabled = coordinator.post(
        "/app/staff/disable", data={"csrf": token, "email": "diet@alima.example"}
    )
    assert disabled.status_code == 200 and "Désactivé" in disabled.text
    herself = coordinator.post("/app/staff/disable", data={"csrf": token, "email": COORD})
    assert herself.status_code == 403


def test_a_dietitian_is_refused_the_staff_page(client: TestClient, db_url: str) -> None:
    account(db_url, "dietitian", "diet@alima.example")
    sign_in(client, "diet@alima.example")
    for address in ("/app/staff", "/app/reports", "/app/surveys", "/app/programs"):
        answer = client.get(address)
        assert answer.status_code == 403 and "Accès refusé" in answer.text


def test_an_analyst_reads_reports_but_cannot_upload(client: TestClient, db_url: str) -> None:
    account(db_url, "analyst", "analyst@alima.example")
    sign_in(client, "analyst@alima.example")
    assert client.get("/app/reports").status_code == 200
    assert client.get("/app/surveys").status_code == 403
    assert client.get("/app/staff").status_code == 403
    # She reads the satisfaction results, and types in no form.
    listing = client.get("/app/satisfaction")
    assert listing.status_code == 200 and "/response" not in listing.text
    token = csrf_of(client.get("/app/reports").text)
    posted = client.post(
        "/app/surveys",
        data={"csrf": token},
        files={"sheet": ("releve.csv", UPLOAD_HEADER.encode(), "text/csv")},
    )
    assert posted.status_code == 403


def test_signed_out_pages_go_to_sign_in_and_posts_need_the_csrf_token(
    coordinator: TestClient, client: TestClient
) -> None:
    posted = coordinator.post("/app/staff", data={"email": "x@alima.example"})
    assert posted.status_code == 403 and "Formulaire refusé" in posted.text
    anonymous = TestClient(create_app())
    answer = anonymous.get("/app/reports", follow_redirects=False)
    assert answer.status_code == 303 and "/app/signin" in answer.headers["location"]


def test_outputs_report_table_suppresses_small_cells_and_downloads(
    coordinator: TestClient, db_url: str
) -> None:
    client_id = _client_of_alima(db_url)
    with session_scope(db_url) as session:
        program = records_factories.program(session)
        session.add(
            ServiceEvent(
                client_id=client_id,
                program_id=program.id,
                kind="individual_consultation",
                occurred_on=date(2026, 2, 3),
            )
        )
        session.commit()
    bad = coordinator.get("/app/reports?period_from=février&period_to=2026-Q1")
    assert bad.status_code == 422 and '<a href="#period_from">' in bad.text
    assert 'value="février"' in bad.text
    page = coordinator.get("/app/reports?period_from=2026-01&period_to=2026-Q1&by=program")
    assert page.status_code == 200
    assert "<abbr" in page.text and ">x</abbr>" in page.text  # one client: suppressed
    assert 'id="suppression-note"' in page.text
    links = re.findall(r'href="(/app/reports/outputs\.(?:csv|xlsx)\?[^"]+)"', page.text)
    assert len(links) == 2
    as_csv = coordinator.get(links[0].replace("&amp;", "&"))
    assert as_csv.headers["content-type"].startswith("text/csv")
    header = next(csv.reader(io.StringIO(as_csv.text)))
    assert header == list(COLUMNS)
    assert "x" in as_csv.text.splitlines()[1].split(",")
    as_xlsx = coordinator.get(links[1].replace("&amp;", "&"))
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet is not None and [c.value for c in sheet[1]] == list(COLUMNS)
    with session_scope(db_url) as session:
        reports = session.exec(
            select(AuditEvent).where(AuditEvent.record_type == "outputs_report")
        ).all()
        assert len(reports) == 3


def test_satisfaction_survey_typed_in_and_summarised_suppressed(
    coordinator: TestClient, db_url: str
) -> None:
    page = coordinator.get("/app/satisfaction")
    token = csrf_of(page.text)
    wrong = coordinator.post(
        "/app/satisfaction",
        data={"csrf": token, "program": "prenatal", "title": "Automne",
              "opens_on": "2026-12-01", "closes_on": "2026-11-01"},
    )  # fmt: skip
    assert wrong.status_code == 422 and '<a href="#closes_on">' in wrong.text
    created = coordinator.post(
        "/app/satisfaction",
        data={"csrf": token, "program": "prenatal", "title": "Automne",
              "opens_on": "2026-09-01", "closes_on": "2026-11-30"},
        follow_redirects=False,
    )  # fmt: skip
    survey = created.headers["location"].split("?")[0]
    form = coordinator.get(f"{survey}/response").text
    names = sorted(set(re.findall(r'name="(q\d+)"', form)))
    assert len(names) == 6
    empty = coordinator.post(f"{survey}/response", data={"csrf": token})
    assert empty.status_code == 422 and f'<a href="#{names[0]}">' in empty.text
    for _ in range(2):
        done = coordinator.post(f"{survey}/response", data={"csrf": token, names[0]: "4"})
        assert done.status_code == 200
    summary = coordinator.get(survey).text
    assert "Formulaires reçus : 2." in summary or "2" in summary
    assert ">x</abbr>" in summary  # two answers, under the threshold of five
    analyst = TestClient(create_app())
    account(db_url, "analyst", "analyst@alima.example")
    sign_in(analyst, "analyst@alima.example")
    assert survey in analyst.get("/app/satisfaction").text
    assert analyst.get(survey).status_code == 200
    assert analyst.get(f"{survey}/response").status_code == 403


def _store_and_basket(db_url: str) -> None:
    with session_scope(db_url) as session:
        factories.make_store(session, code="iga-lachine")
        ensure_reference_basket(session)
        session.commit()


def test_survey_upload_report_line_by_line(coordinator: TestClient, db_url: str) -> None:
    _store_and_basket(db_url)
    page = coordinator.get("/app/surveys")
    assert 'enctype="multipart/form-data"' in page.text and 'for="sheet"' in page.text
    token = csrf_of(page.text)
    none = coordinator.post("/app/surveys", data={"csrf": token})
    assert none.status_code == 422 and '<a href="#sheet">' in none.text
    wrong = coordinator.post(
        "/app/surveys", data={"csrf": token},
        files={"sheet": ("notes.txt", b"hello", "text/plain")},
    )  # fmt: skip
    assert wrong.status_code == 422 and '<a href="#sheet">' in wrong.text
    sheet = UPLOAD_HEADER + "2025-01,nowhere,x,3.49,Awa,2025-01-10\n"
    answer = coordinator.post(
        "/app/surveys",
        data={"csrf": token, "accept_valid": "yes"},
        files={"sheet": ("releve.csv", sheet.encode(), "text/csv")},
    )
    assert "releve.csv" in answer.text
    rows = re.findall(r"<tr>\s*<td>[^<]*</td>\s*<th scope=\"row\"[^>]*>(\d+)</th>", answer.text)
    assert rows, answer.text
    assert "unknown_store" in answer.text or "unknown_item" in answer.text
    assert 'name="accept_valid" type="checkbox" value="yes" checked' in answer.text
    assert "Importé en partie" in answer.text  # valid rows accepted: none here, one refused
    refused = coordinator.post(
        "/app/surveys",
        data={"csrf": token},
        files={"sheet": ("releve.csv", sheet.encode(), "text/csv")},
    )
    assert refused.status_code == 422 and "Refusé : rien n" in refused.text


def test_pages_in_english(coordinator: TestClient) -> None:
    token = csrf_of(coordinator.get("/app/home").text)
    coordinator.post("/app/language", data={"csrf": token, "lang": "en", "next": "/app/home"})
    assert "Staff accounts" in coordinator.get("/app/staff").text
    assert "Outputs report" in coordinator.get("/app/reports").text


def test_the_password_is_never_in_a_page(coordinator: TestClient) -> None:
    assert PASSWORD not in coordinator.get("/app/staff").text
