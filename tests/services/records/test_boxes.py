"""Produce boxes: each box is worth its items at the client's territory prices, beside its price."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sesame_world import audits, by_hand, client_in, coordinator, put_prices, set_up

from core.db import session_scope
from core.errors import InvalidInput, NotFound
from services.records.boxes import (
    FoodItemIn,
    OfferIn,
    OrderIn,
    create_offer,
    list_orders,
    order_box,
    read_order,
    set_order_status,
)
from services.records.outputs_sesame import sesame_section

ITEMS = [
    FoodItemIn(item_code="carrots", quantity=Decimal(1135)),
    FoodItemIn(item_code="apples_mcintosh", quantity=Decimal(1360)),
    FoodItemIn(item_code="romaine_lettuce", quantity=Decimal(2)),
]


def offer(session, capacity=None):  # type: ignore[no-untyped-def]
    return create_offer(
        session,
        coordinator(session),
        OfferIn(
            week_of=date(2026, 4, 15),
            name="Boîte moyenne",
            price=Decimal("12.00"),
            capacity=capacity,
            items=ITEMS,
        ),
    )


def test_a_box_is_worth_its_items_at_the_territory_prices_computed_by_hand(db_url: str) -> None:
    with session_scope(db_url) as session:
        set_up(session)
        put_prices(
            session,
            "mercier-est",
            "2026-03",
            {"carrots": "3.49", "apples_mcintosh": "5.99", "romaine_lettuce": "2.79"},
        )
        put_prices(
            session,
            "mercier-est",
            "2026-05",  # later than the order: not used
            {"carrots": "9.99", "apples_mcintosh": "9.99", "romaine_lettuce": "9.99"},
        )
        put_prices(
            session,
            "lachine",
            "2026-04",
            {"carrots": "1.00", "apples_mcintosh": "1.00", "romaine_lettuce": "1.00"},
        )
        east = client_in(session, "mercier-est")
        west = client_in(session, "lachine")
        box = offer(session)
        staff = coordinator(session)
        assert box.week_of == date(2026, 4, 13)  # the Monday
        ordered = order_box(
            session,
            staff,
            box.offer_id,
            OrderIn(client_id=east.id, boxes=2, ordered_on=date(2026, 4, 16)),
        )
        other = order_box(
            session,
            staff,
            box.offer_id,
            OrderIn(client_id=west.id, fulfilment="delivery", ordered_on=date(2026, 4, 16)),
        )
        report = sesame_section(
            session, staff.grants[0].organisation_id, date(2026, 4, 1), date(2026, 4, 30)
        )
    expected = by_hand([(1135, 2270, "3.49"), (1360, 1360, "5.99"), (2, 1, "2.79")])
    assert expected == Decimal("13.32")
    assert (ordered.region, ordered.period) == ("mercier-est", "2026-03")
    assert ordered.box_value == expected
    assert ordered.price == Decimal("12.00")
    assert ordered.saving == (expected - Decimal("12.00")) * 2 == Decimal("2.64")
    assert ordered.price_status == "observed"
    # Another territory, its own prices: a box worth less than its price saves nothing.
    assert (other.region, other.box_value) == (
        "lachine",
        by_hand([(1135, 2270, "1"), (1, 1, "1"), (2, 1, "1")]),
    )
    assert other.saving == Decimal("-8.50")
    assert other.fulfilment == "delivery"
    # Reportable: 2 boxes at 13.32 and 1 at 3.50, for 3 x 12.00.
    assert (report.boxes, report.boxes_value, report.boxes_price) == (
        3,
        Decimal("30.14"),
        Decimal("36.00"),
    )
    assert (report.boxes_saving, report.boxes_price_status) == (Decimal("-5.86"), "observed")
    assert report.boxes_by_territory == {"lachine": 1, "mercier-est": 2}


def test_an_unpriced_item_leaves_the_box_without_value_and_capacity_holds(db_url: str) -> None:
    with session_scope(db_url) as session:
        set_up(session)
        put_prices(session, "mercier-est", "2026-04", {"carrots": "3.49"}, stores=2)
        client = client_in(session)
        box = offer(session, capacity=2)
        staff = coordinator(session)
        answer = order_box(
            session,
            staff,
            box.offer_id,
            OrderIn(client_id=client.id, boxes=2, ordered_on=date(2026, 4, 16)),
        )
        with pytest.raises(InvalidInput, match="only 0 boxes left"):
            order_box(session, staff, box.offer_id, OrderIn(client_id=client.id))
        cancelled = set_order_status(session, staff, answer.order_id, "cancelled")
        with pytest.raises(InvalidInput, match="unknown fulfilment"):
            order_box(session, staff, box.offer_id, OrderIn(client_id=client.id, fulfilment="x"))
    assert (answer.box_value, answer.saving, answer.price_status) == (None, None, "missing")
    assert cancelled.status == "cancelled"


def test_other_organisation_gets_404_and_each_use_is_audited_once(db_url: str) -> None:
    with session_scope(db_url) as session:
        set_up(session)
        client = client_in(session)
        box = offer(session)
        staff = coordinator(session)
        order = order_box(
            session, staff, box.offer_id, OrderIn(client_id=client.id, ordered_on=date(2026, 4, 16))
        )
        before = len(audits(session))
        read_order(session, staff, order.order_id)
        assert len(audits(session)) == before + 1
        list_orders(session, staff, box.offer_id)
        assert audits(session)[-1].record_type == "client_list"
        assert [(a.action, a.client_id) for a in audits(session, "box_order")] == [
            ("create", client.id),
            ("read", client.id),
        ]
        alima = coordinator(session, "alima")
        with pytest.raises(NotFound):
            read_order(session, alima, order.order_id)
        with pytest.raises(NotFound):
            order_box(session, alima, box.offer_id, OrderIn(client_id=client.id))
        alima_client = client_in(session, org="alima")
        with pytest.raises(NotFound):
            order_box(session, staff, box.offer_id, OrderIn(client_id=alima_client.id))
        section = sesame_section(
            session, staff.grants[0].organisation_id, date(2026, 4, 1), date(2026, 4, 30)
        )
    assert (section.boxes, section.box_orders, section.boxes_price_status) == (1, 1, "missing")
    assert section.boxes_by_territory == {"mercier-est": 1}
