"""Collective kitchens: the recipe's cost at current prices, divided by the portions made."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sesame_world import actor, audits, by_hand, client_in, coordinator, put_prices, set_up

from core.db import session_scope
from core.errors import Forbidden, InvalidInput, NotFound
from services.records.boxes import FoodItemIn
from services.records.kitchens import (
    KitchenIn,
    add_participant,
    create_kitchen,
    list_participants,
    read_kitchen,
    record_portions,
)
from services.records.outputs_sesame import sesame_section
from services.records.shifts import (
    ShiftIn,
    add_shift,
    my_shifts,
)
from services.records.volunteers import (
    VolunteerIn,
    add_volunteer,
)

RECIPE = [
    FoodItemIn(item_code="lentils_dry", quantity=Decimal(900)),
    FoodItemIn(item_code="carrots", quantity=Decimal(1000)),
    FoodItemIn(item_code="tomatoes_canned", quantity=Decimal(1592)),
]


def test_cost_per_portion_is_the_recipe_at_current_prices_by_hand(db_url: str) -> None:
    with session_scope(db_url) as session:
        set_up(session)
        put_prices(
            session,
            "mercier-est",
            "2026-04",
            {"lentils_dry": "4.49", "carrots": "3.49", "tomatoes_canned": "1.99"},
        )
        staff = coordinator(session)
        kitchen = create_kitchen(
            session,
            staff,
            KitchenIn(
                held_on=date(2026, 4, 22),
                place="Sous-sol de l'église",
                recipe="Soupe-repas aux lentilles",
                region="mercier-est",
                items=RECIPE,
            ),
        )
        assert kitchen.cost_per_portion is None  # no portions recorded yet
        clients = [client_in(session) for _ in range(3)]
        for client in clients:
            add_participant(session, staff, kitchen.kitchen_session_id, client.id)
        add_participant(session, staff, kitchen.kitchen_session_id, clients[0].id)  # twice
        done = record_portions(session, staff, kitchen.kitchen_session_id, 24)
        again = read_kitchen(session, staff, kitchen.kitchen_session_id)
        section = sesame_section(
            session, kitchen_organisation(staff), date(2026, 4, 1), date(2026, 4, 30), 1
        )
    cost = by_hand([(900, 900, "4.49"), (1000, 2270, "3.49"), (1592, 796, "1.99")])
    assert cost == Decimal("10.01")
    assert done.recipe_cost == cost
    assert done.cost_per_portion == Decimal("0.42")  # 10.01 / 24 = 0.417
    assert (done.participants, done.portions, done.period) == (3, 24, "2026-04")
    assert again.cost_per_portion == done.cost_per_portion
    assert (section.kitchen_sessions, section.kitchen_portions) == (1, 24)
    assert section.kitchen_participants == 3


def kitchen_organisation(staff):  # type: ignore[no-untyped-def]
    return staff.grants[0].organisation_id


def test_kitchens_are_the_organisation_s_and_volunteers_see_their_shift_only(db_url: str) -> None:
    with session_scope(db_url) as session:
        set_up(session)
        staff = coordinator(session)
        kitchen = create_kitchen(
            session, staff, KitchenIn(held_on=date(2026, 4, 22), place="Local", items=RECIPE)
        )
        with pytest.raises(InvalidInput, match="unknown basket item"):
            create_kitchen(
                session,
                staff,
                KitchenIn(
                    held_on=date(2026, 4, 22),
                    place="Local",
                    items=[FoodItemIn(item_code="caviar", quantity=Decimal(1))],
                ),
            )
        client = client_in(session)
        add_participant(session, staff, kitchen.kitchen_session_id, client.id)
        alima = coordinator(session, "alima")
        with pytest.raises(NotFound):
            read_kitchen(session, alima, kitchen.kitchen_session_id)
        helper = actor(session, "volunteer")
        with pytest.raises(Forbidden):
            list_participants(session, helper, kitchen.kitchen_session_id)
        volunteer = add_volunteer(
            session, staff, VolunteerIn(name="Réjean", user_id=helper.user_id)
        )
        add_shift(
            session,
            staff,
            ShiftIn(
                program="collective_kitchens",
                kind="kitchen",
                shift_on=date(2026, 4, 22),
                starts_at="09:00",
                ends_at="13:00",
                kitchen_session_id=kitchen.kitchen_session_id,
                volunteer_id=volunteer.volunteer_id,
            ),
        )
        before = len(audits(session))
        shifts = my_shifts(session, helper, date(2026, 4, 1), date(2026, 4, 30))
        assert len(audits(session)) == before + 1
        assert list_participants(session, staff, kitchen.kitchen_session_id) == [client.id]
    (shift,) = shifts
    assert (shift.kind, shift.place, shift.recipe) == ("kitchen", "Local", "")
    assert "client" not in " ".join(shift.model_dump())
