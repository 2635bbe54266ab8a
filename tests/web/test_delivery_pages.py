"""The delivery screens through HTTP: the coordinator plans Monday, reorders a run and prints
its sheet; a driver sees only her run and records outcomes; a no-answer's follow-up is worked
through and closed; and the refusals (a dietitian, an analyst, another organisation)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import meals_world
import pytest
from accounts import bearer
from fastapi.testclient import TestClient
from meals_world import MONDAY
from sqlmodel import Session, col, select
from web_helpers import account, csrf_of, sign_in

from api.app import create_app
from core.db import session_scope
from core.models import (
    AuditEvent,
    Client,
    DeliveryFollowup,
    DeliveryRun,
    DeliveryStop,
    MealPlan,
    User,
)
from services.records.meals.plans import PlanChange, update_plan

DAY = MONDAY.isoformat()


@dataclass
class Sesame:
    """Le Sésame's Monday: six clients on two routes, a coordinator and two drivers."""

    coordinator: str
    drivers: list[str]
    meals: int
    door_plan: int


@pytest.fixture
def sesame(db_url: str) -> Sesame:
    with session_scope(db_url) as session:
        w = meals_world.world(session, clients=6, routes=2, capacity=6)
        session.commit()
        # One client agreed that her meal may be left at the door.
        update_plan(
            session,
            w.coordinator,
            w.plan_ids[1],
            PlanChange(left_at_door_agreed=True, door_notes="Boîte bleue sur le balcon"),
        )
        meals = sum(
            plan.meals_per_day
            for plan in session.exec(select(MealPlan)).all()  # all due on Monday
        )
        return Sesame(
            w.coordinator.email, [d.email for d in w.drivers], meals, door_plan=w.plan_ids[1]
        )


def _signed_in(email: str) -> TestClient:
    client = TestClient(create_app())
    sign_in(client, email)
    return client


def _plan_monday(coordinator: TestClient) -> str:
    page = coordinator.get(f"/app/deliveries?day={DAY}")
    planned = coordinator.post(
        "/app/deliveries/plan",
        data={"csrf": csrf_of(page.text), "day": DAY, "org": "sesame"},
        follow_redirects=False,
    )
    assert planned.status_code == 303, planned.text
    return planned.headers["location"]


def _runs(db_url: str) -> list[tuple[DeliveryRun, list[DeliveryStop]]]:
    with session_scope(db_url) as session:
        runs = session.exec(select(DeliveryRun).order_by(col(DeliveryRun.id))).all()
        return [
            (
                run,
                list(
                    session.exec(
                        select(DeliveryStop)
                        .where(DeliveryStop.run_id == run.id)
                        .order_by(col(DeliveryStop.position))
                    ).all()
                ),
            )
            for run in runs
        ]


def test_the_home_page_leads_to_deliveries(sesame: Sesame) -> None:
    coordinator = _signed_in(sesame.coordinator)
    assert 'href="/app/deliveries"' in coordinator.get("/app/home").text
    moved = coordinator.get("/app/sections/deliveries", follow_redirects=False)
    assert moved.headers["location"] == "/app/deliveries"
    # A driver opening the section lands on her own run.
    driver = _signed_in(sesame.drivers[0])
    landed = driver.get(f"/app/deliveries?day={DAY}", follow_redirects=False)
    assert landed.status_code == 303
    assert landed.headers["location"] == f"/app/deliveries/my-run?day={DAY}"


def test_plan_the_day_then_reorder_a_run_by_hand_and_keep_it(db_url: str, sesame: Sesame) -> None:
    coordinator = _signed_in(sesame.coordinator)
    before = coordinator.get(f"/app/deliveries?day={DAY}")
    assert before.status_code == 200 and "Planifier la journée" in before.text
    # Before planning, the kitchen counts the plans due: 1 or 2 meals each (6 clients: 9).
    assert sesame.meals == 9
    assert f"{sesame.meals} en tout" in before.text
    location = _plan_monday(coordinator)
    assert "done=planned" in location
    page = coordinator.get(location)
    assert "La journée est planifiée." in page.text and "Route 1" in page.text
    runs = _runs(db_url)
    assert sum(len(stops) for _run, stops in runs) == 6
    run, stops = next((run, stops) for run, stops in runs if len(stops) >= 2)
    assert f"{sesame.meals} en tout" in page.text  # now counted from the runs
    token = csrf_of(page.text)
    order = ",".join(str(stop.id) for stop in stops)
    form = {"csrf": token, "org": "sesame", "day": DAY, "order": order}
    positions = {f"position-{stop.id}": str(stop.position) for stop in stops}
    # Move the first stop down: the second comes first.
    moved = coordinator.post(
        f"/app/deliveries/runs/{run.id}/order",
        data={**form, **positions, "move": f"down:{stops[0].id}"},
        follow_redirects=False,
    )
    assert moved.status_code == 303 and "done=reordered" in moved.headers["location"]
    (after,) = [s for r, s in _runs(db_url) if r.id == run.id]
    assert [s.id for s in after[:2]] == [stops[1].id, stops[0].id]
    # A position that is not a number is refused, what she typed kept.
    wrong = coordinator.post(
        f"/app/deliveries/runs/{run.id}/order",
        data={**form, "order": ",".join(str(s.id) for s in after), **positions,
              f"position-{after[0].id}": "premier"},
    )  # fmt: skip
    assert wrong.status_code == 422
    assert f'<a href="#position-{after[0].id}">' in wrong.text and 'value="premier"' in wrong.text
    # Typing 1 for the last stop puts it first; planning again keeps the hand order.
    last = after[-1]
    typed = {f"position-{s.id}": str(s.position) for s in after} | {f"position-{last.id}": "1"}
    coordinator.post(
        f"/app/deliveries/runs/{run.id}/order",
        data={**form, "order": ",".join(str(s.id) for s in after), **typed},
    )
    wanted = [last.id] + [s.id for s in after[:-1]]
    replanned = coordinator.post(
        "/app/deliveries/plan", data={"csrf": token, "day": DAY, "org": "sesame", "replan": "1"}
    )
    assert replanned.status_code == 200 and "ordonnée à la main" in replanned.text
    (kept_run, kept) = next((r, s) for r, s in _runs(db_url) if r.id == run.id)
    assert kept_run.hand_ordered and [s.id for s in kept] == wanted
    # A stale order (a stop missing) is refused without change.
    stale = coordinator.post(
        f"/app/deliveries/runs/{run.id}/order",
        data={**form, "order": str(kept[0].id), f"position-{kept[0].id}": "1"},
    )
    assert stale.status_code == 422 and f'<a href="#run-{run.id}">' in stale.text


def test_a_route_sheet_as_pdf_and_as_a_page_to_print(db_url: str, sesame: Sesame) -> None:
    coordinator = _signed_in(sesame.coordinator)
    _plan_monday(coordinator)
    run, stops = _runs(db_url)[0]
    pdf = coordinator.get(f"/app/deliveries/runs/{run.id}/sheet.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content[:4] == b"%PDF"
    page = coordinator.get(f"/app/deliveries/runs/{run.id}/sheet")
    assert page.status_code == 200 and "Feuille de route" in page.text
    with session_scope(db_url) as session:
        first = session.get(Client, stops[0].client_id)
        assert first is not None and first.address
        assert first.address in page.text and first.last_name not in page.text
        read = session.exec(select(AuditEvent).where(AuditEvent.record_type == "route_sheet")).all()
    assert {event.client_id for event in read} >= {stop.client_id for stop in stops}
    # The other route's driver cannot print this run's sheet.
    with session_scope(db_url) as session:
        other = next(e for e in sesame.drivers if _user_id(session, e) != run.driver_id)
    assert _signed_in(other).get(f"/app/deliveries/runs/{run.id}/sheet").status_code == 404


def test_a_driver_sees_her_run_only_and_records_outcomes(db_url: str, sesame: Sesame) -> None:
    coordinator = _signed_in(sesame.coordinator)
    _plan_monday(coordinator)
    with session_scope(db_url) as session:
        by_plan = {
            stop.plan_id: stop
            for stop in session.exec(select(DeliveryStop)).all()
        }  # fmt: skip
        door = by_plan[sesame.door_plan]
        run = session.get(DeliveryRun, door.run_id)
        assert run is not None and run.driver_id is not None
        driver_email = next(
            email for email in sesame.drivers if _user_id(session, email) == run.driver_id
        )
        mine = {s.id for s in by_plan.values() if s.run_id == run.id}
        others = [s for s in by_plan.values() if s.run_id != run.id]
        birth = session.get(Client, door.client_id).birth_date  # type: ignore[union-attr]
        assert birth is not None
    driver = _signed_in(driver_email)
    page = driver.get(f"/app/deliveries/my-run?day={DAY}")
    assert page.status_code == 200 and "Ma tournée" in page.text
    shown = {int(n) for n in re.findall(r'id="stop-(\d+)"', page.text)}
    assert shown == mine
    assert "Boîte bleue sur le balcon" in page.text and birth.isoformat() not in page.text
    token = csrf_of(page.text)
    form = {"csrf": token, "org": "sesame", "day": DAY}
    plain = next(stop_id for stop_id in mine if stop_id != door.id)
    # Left at the door where agreed; refused where not agreed.
    agreed = driver.post(
        f"/app/deliveries/stops/{door.id}/outcome",
        data={**form, "outcome": "left_at_door"},
        follow_redirects=False,
    )
    assert agreed.status_code == 303 and agreed.headers["location"].endswith(f"#stop-{door.id}")
    refused = driver.post(
        f"/app/deliveries/stops/{plain}/outcome", data={**form, "outcome": "left_at_door"}
    )
    assert refused.status_code == 422 and f'<a href="#note-{plain}">' in refused.text
    missed = driver.post(
        f"/app/deliveries/stops/{plain}/outcome",
        data={**form, "outcome": "no_answer", "note": "Personne, rideaux fermés"},
    )
    assert "un suivi de sécurité est maintenant ouvert" in missed.text
    # Another driver's stop is not hers: 404, nothing recorded.
    stranger = driver.post(
        f"/app/deliveries/stops/{others[0].id}/outcome", data={**form, "outcome": "delivered"}
    )
    assert stranger.status_code == 404
    with session_scope(db_url) as session:
        assert session.get(DeliveryStop, door.id).outcome == "left_at_door"  # type: ignore[union-attr]
        noted = session.get(DeliveryStop, plain)
        assert noted is not None and noted.outcome == "no_answer"
        assert noted.outcome_note == "Personne, rideaux fermés"
        assert session.get(DeliveryStop, others[0].id).outcome is None  # type: ignore[union-attr]
        (followup,) = session.exec(select(DeliveryFollowup)).all()
        assert followup.stop_id == plain
    # What a driver may not do: plan, or open the follow-ups.
    assert driver.post("/app/deliveries/plan", data={**form}).status_code == 403
    assert driver.get("/app/deliveries/followups").status_code == 403
    assert driver.get(f"/app/deliveries/runs/{run.id}/outcomes").status_code == 403


def _user_id(session: Session, email: str) -> int | None:
    user = session.exec(select(User).where(User.email == email)).first()
    return user.id if user else None


def test_a_no_answer_follow_up_escalates_and_closes_with_what_was_done(
    db_url: str, sesame: Sesame
) -> None:
    coordinator = _signed_in(sesame.coordinator)
    _plan_monday(coordinator)
    run, stops = _runs(db_url)[0]
    # The office types in a driver's paper sheet: any run of the organisation, not hers.
    page = coordinator.get(f"/app/deliveries/runs/{run.id}/outcomes")
    assert page.status_code == 200 and "Résultats de la tournée" in page.text
    assert {int(n) for n in re.findall(r'id="stop-(\d+)"', page.text)} == {s.id for s in stops}
    token = csrf_of(page.text)
    recorded = coordinator.post(
        f"/app/deliveries/stops/{stops[0].id}/outcome",
        data={"csrf": token, "org": "sesame", "day": DAY, "run": str(run.id),
              "outcome": "no_answer"},
        follow_redirects=False,
    )  # fmt: skip
    assert recorded.headers["location"].startswith(f"/app/deliveries/runs/{run.id}/outcomes?")
    listing = coordinator.get("/app/deliveries/followups")
    assert listing.status_code == 200 and "Personne appelée" in listing.text
    with session_scope(db_url) as session:
        (row,) = session.exec(select(DeliveryFollowup)).all()
        client = session.get(Client, row.client_id)
        assert client is not None and client.last_name in listing.text
    base = f"/app/deliveries/followups/{row.id}"
    stepped = coordinator.post(
        f"{base}/escalate", data={"csrf": token, "org": "sesame", "step": "client_called"}
    )
    assert "L'étape est enregistrée." in html.unescape(stepped.text)
    skipped = coordinator.post(
        f"{base}/escalate",
        data={"csrf": token, "org": "sesame", "step": "emergency_contact_called"},
    )
    assert skipped.status_code == 422
    empty = coordinator.post(
        f"{base}/close", data={"csrf": token, "org": "sesame", "resolution": " "}
    )
    assert empty.status_code == 422 and f'<a href="#resolution-{row.id}">' in empty.text
    closed = coordinator.post(
        f"{base}/close",
        data={
            "csrf": token,
            "org": "sesame",
            "resolution": "Chez sa fille; confirmé par téléphone",
        },
    )
    assert "Le suivi est fermé." in closed.text and "Aucun suivi ouvert" in closed.text
    with session_scope(db_url) as session:
        done = session.get(DeliveryFollowup, row.id)
        assert done is not None and done.closed_at is not None
        assert done.client_called_at is not None and done.office_told_at is None
        assert done.resolution == "Chez sa fille; confirmé par téléphone"
        audited = session.exec(
            select(AuditEvent.detail).where(AuditEvent.record_type == "delivery_followup")
        ).all()
    assert sorted(d or "" for d in audited) == ["client_called", "close"]
    history = coordinator.get("/app/deliveries/followups?closed=1")
    assert "Chez sa fille; confirmé par téléphone" in history.text


@pytest.mark.parametrize("role", ["dietitian", "analyst"])
def test_roles_without_deliveries_are_refused(db_url: str, sesame: Sesame, role: str) -> None:
    coordinator = _signed_in(sesame.coordinator)
    _plan_monday(coordinator)
    run, stops = _runs(db_url)[0]
    email = f"{role}@sesame.example"
    bearer(db_url, role, organisation="sesame", email=email)
    visitor = _signed_in(email)
    token = csrf_of(visitor.get("/app/home").text)
    for path in (
        f"/app/deliveries?day={DAY}",
        f"/app/deliveries/my-run?day={DAY}",
        "/app/deliveries/followups",
        f"/app/deliveries/runs/{run.id}/sheet",
        f"/app/deliveries/runs/{run.id}/sheet.pdf",
    ):
        answer = visitor.get(path)
        assert answer.status_code == 403, path
        assert "Accès refusé" in answer.text
    planned = visitor.post("/app/deliveries/plan", data={"csrf": token, "day": DAY})
    assert planned.status_code == 403
    outcome = visitor.post(
        f"/app/deliveries/stops/{stops[0].id}/outcome", data={"csrf": token, "outcome": "delivered"}
    )
    assert outcome.status_code == 403


def test_another_organisations_coordinator_gets_404s(db_url: str, sesame: Sesame) -> None:
    coordinator = _signed_in(sesame.coordinator)
    _plan_monday(coordinator)
    run, stops = _runs(db_url)[0]
    coordinator.post(
        f"/app/deliveries/stops/{stops[0].id}/outcome",
        data={"csrf": csrf_of(coordinator.get("/app/home").text), "org": "sesame",
              "day": DAY, "outcome": "no_answer"},
    )  # fmt: skip
    with session_scope(db_url) as session:
        (followup,) = session.exec(select(DeliveryFollowup)).all()
    alima = _signed_in(account(db_url, "coordinator", "coord@alima.example"))
    token = csrf_of(alima.get("/app/home").text)
    # Her own organisation's day is empty; Le Sésame's runs answer 404.
    own = alima.get(f"/app/deliveries?day={DAY}")
    assert own.status_code == 200 and "Route 1" not in own.text
    assert alima.get(f"/app/deliveries?day={DAY}&org=sesame").status_code == 404
    assert alima.get(f"/app/deliveries/runs/{run.id}/sheet").status_code == 404
    assert alima.get(f"/app/deliveries/runs/{run.id}/sheet.pdf").status_code == 404
    assert alima.get(f"/app/deliveries/runs/{run.id}/outcomes").status_code == 404
    order = ",".join(str(s.id) for s in stops)
    moved = alima.post(
        f"/app/deliveries/runs/{run.id}/order",
        data={"csrf": token, "order": order, "move": f"down:{stops[0].id}", "day": DAY},
    )
    assert moved.status_code == 404
    recorded = alima.post(
        f"/app/deliveries/stops/{stops[1].id}/outcome",
        data={"csrf": token, "outcome": "delivered", "day": DAY},
    )
    assert recorded.status_code == 404
    closed = alima.post(
        f"/app/deliveries/followups/{followup.id}/close",
        data={"csrf": token, "resolution": "Rien"},
    )
    assert closed.status_code == 404
    with session_scope(db_url) as session:
        assert session.get(DeliveryStop, stops[1].id).outcome is None  # type: ignore[union-attr]
        assert session.get(DeliveryFollowup, followup.id).closed_at is None  # type: ignore[union-attr]
        assert not session.get(DeliveryRun, run.id).hand_ordered  # type: ignore[union-attr]
