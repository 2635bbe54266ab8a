"""Le Sésame's operations screens through HTTP: produce boxes and their value beside their
price, collective kitchens and the cost per portion, food aid under its frequency rule,
volunteers' shifts and substitutions; and who is refused them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from accounts import bearer
from fastapi.testclient import TestClient
from sesame_world import by_hand, client_in, put_prices, set_up
from sqlmodel import select
from web_helpers import account, csrf_of, sign_in

from api.app import create_app
from core.db import session_scope
from core.models import (
    BoxOrder,
    FoodAidVisit,
    KitchenSession,
    Referral,
    Volunteer,
    VolunteerShift,
)
from services.access.actor import load_actor
from services.access.users import user_by_email
from services.records.boxes import list_orders
from services.records.kitchens import read_kitchen
from web.i18n import money

COORD = "coord@sesame.example"
PAGES = ("/app/boxes", "/app/kitchens", "/app/food-aid", "/app/volunteers")
BOX = {"item_1": "carrots", "quantity_1": "1135", "item_2": "apples_mcintosh",
       "quantity_2": "1360", "item_3": "romaine_lettuce", "quantity_3": "2"}  # fmt: skip


@pytest.fixture
def client(db_url: str) -> TestClient:
    return TestClient(create_app())


@pytest.fixture
def coordinator(client: TestClient, db_url: str) -> TestClient:
    """Le Sésame's coordinator, signed in; prices of Mercier-Est in March 2026."""
    with session_scope(db_url) as session:
        set_up(session)
        put_prices(
            session,
            "mercier-est",
            "2026-03",
            {"carrots": "3.49", "apples_mcintosh": "5.99", "romaine_lettuce": "2.79"},
        )
    bearer(db_url, "coordinator", organisation="sesame", email=COORD)
    sign_in(client, COORD)
    return client


def _client(db_url: str, last_name: str, region: str | None = "mercier-est") -> tuple[int, str]:
    with session_scope(db_url) as session:
        made = client_in(session, region)
        made.first_name, made.last_name = "Awa", last_name
        session.add(made)
        session.commit()
        assert made.id is not None
        return made.id, made.file_number


def _actor(db_url: str, email: str = COORD):  # type: ignore[no-untyped-def]
    with session_scope(db_url) as session:
        user = user_by_email(session, email)
        assert user is not None
        return load_actor(session, user, "test")


def test_the_home_page_leads_to_each_screen(coordinator: TestClient) -> None:
    home = coordinator.get("/app/home").text
    for address in PAGES:
        assert f'href="{address}"' in home
        page = coordinator.get(address)
        assert page.status_code == 200, (address, page.text)
        assert '<html lang="fr-CA">' in page.text


def test_offer_a_box_order_it_and_read_its_value_beside_its_price(
    coordinator: TestClient, db_url: str
) -> None:
    client_id, _number = _client(db_url, "Diallo")
    token = csrf_of(coordinator.get("/app/boxes").text)
    empty = coordinator.post("/app/boxes/offers", data={"csrf": token, "price": "douze"})
    assert empty.status_code == 422
    for field in ("week_of", "name", "price", "item_1"):
        assert f'<a href="#{field}">' in empty.text
    offered = coordinator.post(
        "/app/boxes/offers",
        data={"csrf": token, "org": "sesame", "week_of": "2026-04-15", "name": "Boîte moyenne",
              "price": "12,00", **BOX},
        follow_redirects=False,
    )  # fmt: skip
    assert offered.status_code == 303, offered.text
    address = offered.headers["location"].split("?")[0]
    offer_id = int(address.rsplit("/", 1)[1])
    listed = coordinator.get("/app/boxes").text
    assert "2026-04-13" in listed and "Boîte moyenne" in listed and "12,00\xa0$" in listed
    wrong = coordinator.post(
        f"{address}/orders",
        data={"csrf": token, "client": "nobody", "boxes": "0", "fulfilment": "pickup",
              "ordered_on": "2026-04-16"},
    )  # fmt: skip
    assert wrong.status_code == 422
    assert '<a href="#client">' in wrong.text and '<a href="#boxes">' in wrong.text
    ordered = coordinator.post(
        f"{address}/orders",
        data={"csrf": token, "client": "diallo", "boxes": "2", "fulfilment": "delivery",
              "ordered_on": "2026-04-16"},
        follow_redirects=False,
    )  # fmt: skip
    assert ordered.status_code == 303, ordered.text
    page = coordinator.get(address).text
    (order,) = list_orders_as_use_case(db_url, offer_id)
    expected = by_hand([(1135, 2270, "3.49"), (1360, 1360, "5.99"), (2, 1, "2.79")])
    assert order.box_value == expected == Decimal("13.32")
    assert order.saving == Decimal("2.64")
    # The page shows the use case's value and saving, French first.
    assert money(order.box_value, "fr") in page and "13,32\xa0$" in page
    assert money(order.saving, "fr") in page and "2,64\xa0$" in page
    assert "Diallo, Awa" in page and "Livraison" in page
    delivered = coordinator.post(
        f"{address}/orders/{order.order_id}/status",
        data={"csrf": token, "status": "delivered"},
        follow_redirects=False,
    )
    assert delivered.status_code == 303
    with session_scope(db_url) as session:
        row = session.get(BoxOrder, order.order_id)
        assert row is not None and (row.status, row.client_id) == ("delivered", client_id)


def list_orders_as_use_case(db_url: str, offer_id: int):  # type: ignore[no-untyped-def]
    with session_scope(db_url) as session:
        return list_orders(session, _actor(db_url), offer_id)


def test_a_box_with_an_unpriced_item_is_not_valued(coordinator: TestClient, db_url: str) -> None:
    _client(db_url, "Roy")
    token = csrf_of(coordinator.get("/app/boxes").text)
    offered = coordinator.post(
        "/app/boxes/offers",
        data={"csrf": token, "week_of": "2026-04-15", "name": "Boîte de bananes",
              "price": "5", "capacity": "1", "item_1": "bananas", "quantity_1": "1000"},
        follow_redirects=False,
    )  # fmt: skip
    address = offered.headers["location"].split("?")[0]
    form = {"csrf": token, "client": "roy", "boxes": "1", "fulfilment": "pickup",
            "ordered_on": "2026-04-16"}  # fmt: skip
    assert coordinator.post(f"{address}/orders", data=form).status_code == 200
    page = coordinator.get(address).text
    assert "non évaluée" in page and "5,00\xa0$" in page
    # Capacity 1: a second box is refused on the form.
    full = coordinator.post(f"{address}/orders", data=form)
    assert full.status_code == 422 and '<a href="#boxes">' in full.text


def test_plan_a_kitchen_record_portions_and_read_the_cost_per_portion(
    coordinator: TestClient, db_url: str
) -> None:
    _client(db_url, "Tremblay")
    token = csrf_of(coordinator.get("/app/kitchens").text)
    empty = coordinator.post("/app/kitchens/sessions", data={"csrf": token, "region": "mars"})
    assert empty.status_code == 422
    for field in ("held_on", "place", "region", "item_1"):
        assert f'<a href="#{field}">' in empty.text
    planned = coordinator.post(
        "/app/kitchens/sessions",
        data={"csrf": token, "held_on": "2026-03-20", "place": "Cuisine Hochelaga",
              "recipe": "Soupe", "region": "mercier-est", **BOX},
        follow_redirects=False,
    )  # fmt: skip
    assert planned.status_code == 303, planned.text
    address = planned.headers["location"].split("?")[0]
    kitchen_id = int(address.rsplit("/", 1)[1])
    bad = coordinator.post(f"{address}/portions", data={"csrf": token, "portions": "zéro"})
    assert bad.status_code == 422 and '<a href="#portions">' in bad.text
    saved = coordinator.post(f"{address}/portions", data={"csrf": token, "portions": "8"})
    assert saved.status_code == 200 and "Les portions sont enregistrées." in saved.text
    with session_scope(db_url) as session:
        kitchen = read_kitchen(session, _actor(db_url), kitchen_id)
    # 13.32 $ of food for 8 portions: 1.665, rounded half up.
    assert (kitchen.recipe_cost, kitchen.cost_per_portion) == (Decimal("13.32"), Decimal("1.67"))
    assert f'<dd id="cost-per-portion">{money(Decimal("1.67"), "fr")}</dd>' in saved.text
    joined = coordinator.post(f"{address}/participants", data={"csrf": token, "client": "tremblay"})
    assert joined.status_code == 200 and "Tremblay, Awa" in joined.text
    nobody = coordinator.post(f"{address}/participants", data={"csrf": token, "client": "zzz"})
    assert nobody.status_code == 422 and '<a href="#client">' in nobody.text
    listed = coordinator.get("/app/kitchens").text
    assert "Soupe" in listed


def test_food_aid_rule_reached_says_so_and_records_the_referral(
    coordinator: TestClient, db_url: str
) -> None:
    client_id, number = _client(db_url, "Gagnon")
    page = coordinator.get("/app/food-aid")
    assert "Aucune règle de fréquence" in page.text
    token = csrf_of(page.text)
    bad = coordinator.post("/app/food-aid/rule", data={"csrf": token, "max_visits": "0"})
    assert bad.status_code == 422 and '<a href="#max_visits">' in bad.text
    ruled = coordinator.post(
        "/app/food-aid/rule",
        data={"csrf": token, "max_visits": "1", "window_days": "30", "action": "refuse",
              "referral_resource": "Banque alimentaire"},
    )  # fmt: skip
    assert ruled.status_code == 200
    assert "Au plus 1 visites sur toute période de 30 jours" in ruled.text
    visit = {"csrf": token, "client": number, "visited_on": "2026-03-10",
             "item_1": "carrots", "quantity_1": "2270"}  # fmt: skip
    first = coordinator.post("/app/food-aid/visits", data=visit)
    assert first.status_code == 200 and "La visite est enregistrée." in first.text
    assert money(Decimal("3.49"), "fr") in first.text
    second = coordinator.post("/app/food-aid/visits", data={**visit, "visited_on": "2026-03-20"})
    assert second.status_code == 422
    assert "La règle de fréquence est atteinte" in second.text
    assert "2026-04-09" in second.text  # 30 days after the visit that holds the window
    assert "Orienter vers Banque alimentaire" in second.text
    referred = coordinator.post(
        "/app/food-aid/referrals",
        data={"csrf": token, "client_id": str(client_id), "resource": "Banque alimentaire"},
    )
    assert referred.status_code == 200 and "orientation est enregistrée." in referred.text
    with session_scope(db_url) as session:
        assert len(session.exec(select(FoodAidVisit)).all()) == 1
        (referral,) = session.exec(select(Referral)).all()
        assert (referral.client_id, referral.resource) == (client_id, "Banque alimentaire")
    # A rule that flags: the visit is kept, flagged, and referred when asked.
    coordinator.post(
        "/app/food-aid/rule",
        data={"csrf": token, "max_visits": "1", "window_days": "30", "action": "flag",
              "referral_resource": "CLSC"},
    )  # fmt: skip
    flagged = coordinator.post("/app/food-aid/visits", data={**visit, "refer": "yes"})
    assert flagged.status_code == 200 and "Atteinte : la visite est signalée." in flagged.text
    with session_scope(db_url) as session:
        kept = session.exec(select(FoodAidVisit).where(FoodAidVisit.flagged)).one()
        assert kept.referral_id is not None


def test_mark_a_volunteer_unavailable_and_pick_a_substitute(
    coordinator: TestClient, db_url: str
) -> None:
    day = date.today() + timedelta(days=7)
    token = csrf_of(coordinator.get("/app/volunteers").text)
    weekday = str(day.weekday())
    for name in ("Alice", "Béatrice"):
        added = coordinator.post(
            "/app/volunteers/add",
            data={"csrf": token, "name": name, "weekday_1": weekday, "starts_1": "08:00",
                  "ends_1": "13:00"},
        )  # fmt: skip
        assert added.status_code == 200 and name in added.text
    backwards = {"csrf": token, "weekday_1": weekday, "starts_1": "13:00", "ends_1": "08:00"}
    bad = coordinator.post("/app/volunteers/add", data=backwards)
    assert bad.status_code == 422
    assert '<a href="#name">' in bad.text and '<a href="#ends_1">' in bad.text
    with session_scope(db_url) as session:
        ids = {v.name: v.id for v in session.exec(select(Volunteer)).all()}
    planned = coordinator.post(
        "/app/volunteers/shifts",
        data={"csrf": token, "program": "cafe", "kind": "cafe", "shift_on": day.isoformat(),
              "starts_at": "09:00", "ends_at": "12:00", "place": "Café",
              "volunteer_id": str(ids["Alice"])},
    )  # fmt: skip
    assert planned.status_code == 200 and "Le quart est planifié." in planned.text
    with session_scope(db_url) as session:
        shift_id = session.exec(select(VolunteerShift)).one().id  # before the kitchen's
    # A kitchen shift shows the kitchen's place and recipe.
    coordinator.post(
        "/app/kitchens/sessions",
        data={"csrf": token, "held_on": day.isoformat(), "place": "Cuisine Hochelaga",
              "recipe": "Soupe aux lentilles", **BOX},
    )  # fmt: skip
    with session_scope(db_url) as session:
        kitchen_id = session.exec(select(KitchenSession)).one().id
    kitchen_shift = coordinator.post(
        "/app/volunteers/shifts",
        data={"csrf": token, "program": "collective_kitchens", "kind": "kitchen",
              "shift_on": day.isoformat(), "starts_at": "13:00", "ends_at": "16:00",
              "kitchen_session_id": str(kitchen_id)},
    )  # fmt: skip
    assert "Cuisine collective — Soupe aux lentilles" in kitchen_shift.text
    assert "Cuisine Hochelaga" in kitchen_shift.text
    chosen = coordinator.get(f"/app/volunteers?shift={shift_id}")
    assert f'<option value="{ids["Béatrice"]}"' in chosen.text
    assert f'<option value="{ids["Alice"]}"' in chosen.text  # in the shift form, not below
    no_reason = coordinator.post(
        f"/app/volunteers/shifts/{shift_id}/substitute",
        data={"csrf": token, "substitute": str(ids["Béatrice"])},
    )
    assert no_reason.status_code == 422 and '<a href="#reason">' in no_reason.text
    replaced = coordinator.post(
        f"/app/volunteers/shifts/{shift_id}/substitute",
        data={"csrf": token, "reason": "malade", "substitute": str(ids["Béatrice"])},
    )
    assert replaced.status_code == 200 and "remplace Alice : malade" in replaced.text
    closed = coordinator.post(
        f"/app/volunteers/shifts/{shift_id}/close", data={"csrf": token, "status": "done"}
    )
    assert closed.status_code == 200 and "3\xa0h" in closed.text.replace("3 h", "3\xa0h")
    with session_scope(db_url) as session:
        shift = session.get(VolunteerShift, shift_id)
        assert shift is not None
        assert (shift.volunteer_id, shift.replaced_volunteer_id) == (ids["Béatrice"], ids["Alice"])
        assert shift.hours == Decimal("3.00")


def test_a_dietitian_of_alima_and_a_volunteer_are_refused(client: TestClient, db_url: str) -> None:
    account(db_url, "dietitian", "diet@alima.example")
    bearer(db_url, "volunteer", organisation="sesame", email="vol@sesame.example")
    for email in ("diet@alima.example", "vol@sesame.example"):
        sign_in(client, email)
        for address in PAGES:
            answer = client.get(address)
            assert answer.status_code == 403 and "Accès refusé" in answer.text, (email, address)


def test_another_organisations_coordinator_sees_none_of_it(
    coordinator: TestClient, db_url: str
) -> None:
    _client(db_url, "Diallo")
    token = csrf_of(coordinator.get("/app/boxes").text)
    offered = coordinator.post(
        "/app/boxes/offers",
        data={"csrf": token, "week_of": "2026-04-15", "name": "Boîte", "price": "5", **BOX},
        follow_redirects=False,
    )
    box = offered.headers["location"].split("?")[0]
    planned = coordinator.post(
        "/app/kitchens/sessions",
        data={"csrf": token, "held_on": "2026-03-20", "place": "Cuisine", **BOX},
        follow_redirects=False,
    )
    kitchen = planned.headers["location"].split("?")[0]
    account(db_url, "coordinator", "coord@alima.example")
    other = TestClient(create_app())
    sign_in(other, "coord@alima.example")
    # Alima runs none of these programs; Le Sésame's records are not found.
    for address in PAGES:
        assert other.get(address).status_code == 403
    assert other.get(box).status_code == 404
    assert other.get(kitchen).status_code == 404
    posted = other.post(
        f"{kitchen}/portions", data={"csrf": csrf_of(other.get("/app/home").text), "portions": "3"}
    )
    assert posted.status_code == 404
    assert client_page_anonymous(db_url) == "/app/signin?next=/app/boxes"


def client_page_anonymous(db_url: str) -> str:
    answer = TestClient(create_app()).get("/app/boxes", follow_redirects=False)
    return answer.headers["location"].replace("%2F", "/")
