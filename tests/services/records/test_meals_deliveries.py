"""Route sheets hold only what the delivery needs; outcomes; a no-answer opens a follow-up."""

from __future__ import annotations

from datetime import date

import meals_world
import pytest
import records_factories
from meals_world import MONDAY
from sqlmodel import select

from core.db import session_scope
from core.errors import Forbidden, InvalidInput, NotFound
from core.models import AuditEvent, ClientContact, ServiceEvent
from services.records.meals.outcomes import (
    OutcomeInput,
    close_followup,
    escalate,
    list_followups,
    record_outcome,
)
from services.records.meals.plans import PlanInput, create_plan
from services.records.meals.runs import plan_day
from services.records.meals.sheets import SheetStop, route_sheet, sheet_html, sheet_pdf

SHEET_FIELDS = {"order", "address", "door_notes", "diet", "allergies", "meals", "phone"}


def test_a_route_sheet_holds_no_field_a_volunteer_may_not_see(db_url: str) -> None:
    with session_scope(db_url) as session:
        w = meals_world.world(session, clients=2, routes=1)
        client = meals_world.sensitive_client(session)
        program = records_factories.program(session, "sesame", "meals_on_wheels")
        session.add(
            ServiceEvent(
                client_id=int(client.id or 0),
                program_id=int(program.id or 0),
                kind="intake",
                occurred_on=date(2026, 11, 2),
                notes="NOTE-CLINIQUE-SECRETE",
                notes_restricted=True,
            )
        )
        records_factories.make_consent(session, client, "statistics", text_version="CONSENT-V-XYZ")
        session.add(
            ClientContact(
                client_id=int(client.id or 0),
                kind="emergency",
                name="Fille Secrète",
                phone="514-555-0999",
            )
        )
        session.commit()
        create_plan(
            session,
            w.coordinator,
            client.id,  # type: ignore[arg-type]
            PlanInput(
                weekdays=[1],
                starts_on=MONDAY,
                diet_codes=["sans sel"],
                allergens=["noix", "poisson"],
                texture="minced",
                door_notes="Sonner deux fois, porte arrière",
            ),
        )
        day = plan_day(session, w.coordinator, MONDAY)
        sheet = route_sheet(session, w.drivers[0], day.runs[0].id)
        audits = session.exec(
            select(AuditEvent).where(AuditEvent.record_type == "route_sheet")
        ).all()

    assert set(SheetStop.model_fields) == SHEET_FIELDS
    line = next(s for s in sheet.stops if "Sonner" in s.door_notes)
    assert line.allergies == "noix, poisson" and "sans sel" in line.diet and "hachée" in line.diet
    assert line.phone == client.phone and client.address in line.address  # type: ignore[operator]
    html = sheet_html(sheet)
    payload = sheet.model_dump_json() + html
    for secret in (
        "1941",
        "1234.56",
        "789.01",
        "F:85",
        "CLSC-SECRET-SOURCE",
        "secret.person",
        "NOTE-CLINIQUE-SECRETE",
        "CONSENT-V-XYZ",
        "Fille Secrète",
        "514-555-0999",
        client.first_name,
        client.last_name,
        client.file_number,
    ):
        assert secret not in payload, secret
    assert "Feuille de route" in html and "Notes de porte" in html
    assert sheet_pdf(sheet)[:4] == b"%PDF"
    assert {a.client_id for a in audits} == {s.client_id for r in day.runs for s in r.stops}


def test_no_answer_opens_a_follow_up_that_escalates_until_closed(db_url: str) -> None:
    with session_scope(db_url) as session:
        w = meals_world.world(session, clients=3, routes=1)
        day = plan_day(session, w.coordinator, MONDAY)
        stops = day.runs[0].stops
        driver = w.drivers[0]
        with pytest.raises(InvalidInput, match="door"):
            record_outcome(session, driver, stops[0].id, OutcomeInput(outcome="left_at_door"))
        done = record_outcome(session, driver, stops[0].id, OutcomeInput(outcome="delivered"))
        missed = record_outcome(session, driver, stops[1].id, OutcomeInput(outcome="no_answer"))
        opened = list_followups(session, w.coordinator)
        with pytest.raises(InvalidInput, match="client_called"):
            escalate(session, w.coordinator, missed.followup_id, "office_told")  # type: ignore[arg-type]
        steps = [
            escalate(session, w.coordinator, missed.followup_id, step)  # type: ignore[arg-type]
            for step in ("client_called", "office_told", "emergency_contact_called")
        ]
        with pytest.raises(InvalidInput):
            close_followup(session, w.coordinator, missed.followup_id, "  ")  # type: ignore[arg-type]
        still_open = list_followups(session, w.coordinator)
        closed = close_followup(
            session,
            w.coordinator,
            missed.followup_id,  # type: ignore[arg-type]
            "Hospitalisée hier; la fille a confirmé",
        )
        after = list_followups(session, w.coordinator)
        with pytest.raises(Forbidden):  # a volunteer does not handle follow-ups
            escalate(session, w.drivers[0], missed.followup_id, "client_called")  # type: ignore[arg-type]

    assert done.followup_id is None and missed.followup_id is not None
    assert [f.id for f in opened] == [missed.followup_id] and opened[0].next_step == "client_called"
    assert steps[0].client_called_at and steps[1].office_told_at
    assert steps[2].emergency_contact_called_at and steps[2].next_step is None
    times = [
        steps[0].client_called_at,
        steps[1].office_told_at,
        steps[2].emergency_contact_called_at,
    ]
    assert times == sorted(times)
    assert [f.id for f in still_open] == [missed.followup_id]
    assert closed.closed_at is not None and "Hospitalisée" in (closed.resolution or "")
    assert after == []


def test_left_at_door_is_accepted_where_agreed_and_other_drivers_cannot_record(db_url: str) -> None:
    with session_scope(db_url) as session:
        w = meals_world.world(session, clients=2, routes=1)
        client = meals_world.add_client(session, 9)
        session.commit()
        create_plan(
            session,
            w.coordinator,
            client.id,  # type: ignore[arg-type]
            PlanInput(weekdays=[1], starts_on=MONDAY, left_at_door_agreed=True),
        )
        day = plan_day(session, w.coordinator, MONDAY)
        stop = next(s for s in day.runs[0].stops if s.client_id == client.id)
        outsider = meals_world.actor_for(session, "volunteer")
        with pytest.raises(NotFound):
            record_outcome(session, outsider, stop.id, OutcomeInput(outcome="delivered"))
        left = record_outcome(session, w.drivers[0], stop.id, OutcomeInput(outcome="left_at_door"))
    assert left.outcome == "left_at_door"
