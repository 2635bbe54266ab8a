"""Volunteers: availability, shifts, substitution when someone cannot come, and hours."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from sesame_world import audits, client_in, coordinator, set_up

from core.db import session_scope
from core.errors import InvalidInput, NotFound
from services.records.events import log_event
from services.records.outputs_sesame import sesame_section
from services.records.shifts import (
    ShiftIn,
    add_shift,
    close_shift,
    list_shifts,
    substitute,
    substitutes,
)
from services.records.volunteers import (
    SlotIn,
    VolunteerIn,
    add_volunteer,
)

WEDNESDAY = date(2026, 4, 22)
MORNING = SlotIn(weekday=2, starts_at=time(8), ends_at=time(13))


def test_a_volunteer_who_cannot_come_is_replaced_by_one_free_then(db_url: str) -> None:
    with session_scope(db_url) as session:
        set_up(session)
        staff = coordinator(session)
        planned = add_volunteer(session, staff, VolunteerIn(name="Ginette", availability=[MORNING]))
        evening = add_volunteer(
            session,
            staff,
            VolunteerIn(
                name="Paul", availability=[SlotIn(weekday=2, starts_at=time(17), ends_at=time(20))]
            ),
        )
        busy = add_volunteer(session, staff, VolunteerIn(name="Lise", availability=[MORNING]))
        free = add_volunteer(session, staff, VolunteerIn(name="Marc", availability=[MORNING]))
        shift = add_shift(
            session,
            staff,
            ShiftIn(
                program="cafe",
                kind="cafe",
                shift_on=WEDNESDAY,
                starts_at=time(9),
                ends_at=time(12),
                place="Café",
                volunteer_id=planned.volunteer_id,
            ),
        )
        add_shift(
            session,
            staff,
            ShiftIn(
                program="meals_on_wheels",
                kind="route",
                shift_on=WEDNESDAY,
                starts_at=time(10),
                ends_at=time(12),
                volunteer_id=busy.volunteer_id,
            ),
        )
        candidates = substitutes(session, staff, shift.shift_id)
        with pytest.raises(InvalidInput, match="say why"):
            substitute(session, staff, shift.shift_id, " ")
        with pytest.raises(InvalidInput, match="another shift"):
            substitute(session, staff, shift.shift_id, "malade", busy.volunteer_id)
        before = len(audits(session))
        replaced = substitute(session, staff, shift.shift_id, "malade")
        assert len(audits(session)) == before + 1
        done = close_shift(session, staff, shift.shift_id, "done")
        with pytest.raises(InvalidInput, match="only a planned shift"):
            substitute(session, staff, shift.shift_id, "encore")
        client = client_in(session)
        log_event(
            session, staff, client.id, "cafe_attendance", program="cafe", occurred_on=WEDNESDAY
        )
        log_event(
            session, staff, client.id, "solidarity_meal", program="cafe", occurred_on=WEDNESDAY
        )
        section = sesame_section(session, staff.grants[0].organisation_id, WEDNESDAY, WEDNESDAY)
        shifts = list_shifts(session, staff, WEDNESDAY, WEDNESDAY)
        alima = coordinator(session, "alima")
        with pytest.raises(NotFound):
            substitute(session, alima, shift.shift_id, "malade")
        updates = [a.detail for a in audits(session, "volunteer_shift") if a.action == "update"]
    assert [c.volunteer_id for c in candidates] == [free.volunteer_id]
    assert evening.volunteer_id not in [c.volunteer_id for c in candidates]
    assert (replaced.volunteer_id, replaced.replaced_volunteer_id) == (
        free.volunteer_id,
        planned.volunteer_id,
    )
    assert replaced.substitution_reason == "malade"
    assert (done.status, done.hours) == ("done", Decimal("3.00"))
    assert section.volunteer_hours == Decimal("3.00")
    assert section.volunteer_hours_by_kind == {"cafe": Decimal("3.00")}
    assert (section.cafe_attendance, section.solidarity_meals) == (1, 1)
    assert len(shifts) == 2
    assert updates == ["substitution", "done"]
