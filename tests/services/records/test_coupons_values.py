"""Coupon kinds as data, and distributions valued at the basket prices of the client's region."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

import factories
import pytest
import records_factories
from sqlmodel import Session, select

from basket.protocol import NFB
from core.basket_definitions import ensure_reference_basket
from core.db import session_scope
from core.errors import InvalidInput, NotFound
from core.models import AuditEvent, BasketItem, Distribution, DistributionLine, ItemRegionPrice
from core.regions import ensure_regions
from services.access.actor import Actor, Grant
from services.access.roles import Role
from services.costing import compute_costs
from services.records.coupon_distributions import (
    DistributionIn,
    DistributionLineIn,
    read_distribution,
    record_distribution,
)
from services.records.coupon_kinds import (
    KINDS_FILE,
    coupon_kinds,
    ensure_coupon_kinds,
    shipped_coupon_kinds,
)

CENT = Decimal("0.01")


def set_up(session: Session) -> None:
    ensure_regions(session)
    ensure_reference_basket(session)
    records_factories.organisation(session)
    ensure_coupon_kinds(session)


def actor_of(session: Session, role: Role = Role.DIETITIAN, org: str = "alima") -> Actor:
    organisation = records_factories.organisation(session, org)
    assert organisation.id is not None
    return Actor(None, f"{role.value}@test", (Grant(organisation.id, role),), "test")


def put_prices(
    session: Session,
    region: str,
    period: str,
    prices: dict[str, str | None],
    stores: int = 8,
    imputation: str = "observed",
) -> None:
    """Store regional prices of reference items, by item code (None: missing)."""
    version = ensure_reference_basket(session)
    region_id = factories.shipped_region(session, region).id
    for code, price in prices.items():
        item = session.exec(
            select(BasketItem).where(BasketItem.version_id == version.id, BasketItem.code == code)
        ).one()
        session.add(
            ItemRegionPrice(
                version_id=version.id,
                region_id=region_id,
                item_id=item.id,
                period=period,
                price=Decimal(price) if price is not None else None,
                stores=stores,
                imputation=imputation if price is not None else "missing",
            )
        )
    session.flush()


def by_hand(lines: list[tuple[str, int, str, str, int]]) -> Decimal:
    """Sum of quantity / purchase_size x price x count, to the cent, line by line."""
    total = Decimal(0)
    for _code, quantity, purchase_size, price, count in lines:
        exact = Decimal(quantity) / Decimal(purchase_size) * Decimal(price) * count
        total += exact.quantize(CENT, rounding=ROUND_HALF_UP)
    return total


def give(session: Session, client_id: int, on: date, **counts: int) -> Distribution:
    answer = record_distribution(
        session,
        actor_of(session),
        client_id,
        DistributionIn(
            program="prenatal",
            distributed_on=on,
            lines=[DistributionLineIn(kind=k, count=n) for k, n in counts.items()],
        ),
    )
    distribution = session.get(Distribution, answer.distribution_id)
    assert distribution is not None
    return distribution


def test_every_shipped_kind_maps_to_a_reference_item_or_says_why_not(db_url: str) -> None:
    rows = shipped_coupon_kinds()
    codes = {row["code"] for row in rows}
    assert codes == {
        "eggs_dozen",
        "milk_4l",
        "frozen_vegetables",
        "tofu",
        "bread",
        "meat_puree",
        "infant_cereal",
    }
    with session_scope(db_url) as session:
        set_up(session)
        items = {i.code: i for i in session.exec(select(BasketItem)).all()}
        for row in rows:
            assert row["source"].startswith("https://fondationolo.ca/"), row["code"]
            assert row["note"], row["code"]
            if not row["item_code"]:
                assert "unvalued" in row["note"].lower()
                continue
            assert row["item_code"] in items, row["code"]
        assert items["eggs_large"].purchase_unit == "unit"
        kinds = {kind.code: kind for kind in coupon_kinds(session)}
        assert [(i.item_code, i.quantity) for i in kinds["eggs_dozen"].items] == [
            ("eggs_large", Decimal(12))
        ]
        assert [(i.item_code, i.quantity) for i in kinds["milk_4l"].items] == [
            ("milk_2pct", Decimal(4000))
        ]
        assert kinds["meat_puree"].items == []
        assert "no baby purée" in kinds["meat_puree"].source
        # Idempotent: a second load adds nothing.
        assert ensure_coupon_kinds(session) == 0
        assert len(coupon_kinds(session)) == len(rows)
    with KINDS_FILE.open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header[:6] == ["code", "name_fr", "name_en", "phase", "item_code", "quantity"]


def test_a_distribution_is_worth_the_territory_prices_computed_by_hand(db_url: str) -> None:
    with session_scope(db_url) as session:
        set_up(session)
        lachine = factories.shipped_region(session, "lachine")
        client = records_factories.make_client(session, territory_id=lachine.id)
        put_prices(session, "lachine", "2026-03", {"eggs_large": "4.29", "milk_2pct": "6.49"})
        put_prices(session, "lachine", "2026-03", {"mixed_vegetables_frozen": "3.99"})
        # A later month is not used for an April distribution; another region is not either.
        put_prices(session, "lachine", "2026-05", {"eggs_large": "9.99", "milk_2pct": "9.99"})
        put_prices(session, "montreal", "2026-04", {"eggs_large": "1.00", "milk_2pct": "1.00"})
        session.commit()
        assert client.id is not None
        distribution = give(
            session, client.id, date(2026, 4, 15), eggs_dozen=2, milk_4l=3, frozen_vegetables=1
        )
        lines = session.exec(
            select(DistributionLine).where(DistributionLine.distribution_id == distribution.id)
        ).all()
        audits = session.exec(select(AuditEvent).where(AuditEvent.client_id == client.id)).all()
    expected = by_hand(
        [
            ("eggs_large", 12, "12", "4.29", 2),
            ("milk_2pct", 4000, "4000", "6.49", 3),
            ("mixed_vegetables_frozen", 750, "750", "3.99", 1),
        ]
    )
    assert distribution.region_id == lachine.id
    assert distribution.period == "2026-03"
    assert distribution.total_value == expected == Decimal("32.04")
    assert distribution.price_status == "observed"
    assert [line.value for line in lines] == [Decimal("8.58"), Decimal("19.47"), Decimal("3.99")]
    assert [line.unit_value for line in lines] == [
        Decimal("4.290"),
        Decimal("6.490"),
        Decimal("3.990"),
    ]
    assert [(a.action, a.record_type) for a in audits] == [("create", "distribution")]


def test_another_territory_gets_its_own_prices_and_none_gets_the_default(db_url: str) -> None:
    with session_scope(db_url) as session:
        set_up(session)
        mercier = factories.shipped_region(session, "mercier-est")
        east = records_factories.make_client(session, territory_id=mercier.id)
        nowhere = records_factories.make_client(session)
        put_prices(session, "lachine", "2026-04", {"eggs_large": "4.29"})
        put_prices(session, "mercier-est", "2026-04", {"eggs_large": "3.60"})
        put_prices(session, "montreal", "2026-02", {"eggs_large": "5.10"})
        session.commit()
        assert east.id is not None and nowhere.id is not None
        in_east = give(session, east.id, date(2026, 4, 2), eggs_dozen=3)
        by_default = give(session, nowhere.id, date(2026, 4, 2), eggs_dozen=3)
        montreal = factories.shipped_region(session, "montreal")
        dietitian = actor_of(session)
        assert in_east.id is not None and by_default.id is not None
        sources = [
            read_distribution(session, dietitian, d.id).region_source for d in (in_east, by_default)
        ]
    assert sources == ["territory", "default"]
    assert (in_east.region_id, in_east.period) == (mercier.id, "2026-04")
    assert in_east.total_value == by_hand([("eggs_large", 12, "12", "3.60", 3)])
    # No territory: her organisation's region (montreal for Alima), its latest month priced.
    assert (by_default.region_id, by_default.period) == (montreal.id, "2026-02")
    assert by_default.total_value == by_hand([("eggs_large", 12, "12", "5.10", 3)])


def test_a_missing_price_is_no_value_never_zero(db_url: str) -> None:
    with session_scope(db_url) as session:
        set_up(session)
        lachine = factories.shipped_region(session, "lachine")
        client = records_factories.make_client(session, territory_id=lachine.id)
        put_prices(session, "lachine", "2026-04", {"eggs_large": "4.29", "tofu_firm": None})
        session.commit()
        assert client.id is not None
        answer = record_distribution(
            session,
            actor_of(session),
            client.id,
            DistributionIn(
                program="postnatal",
                distributed_on=date(2026, 4, 20),
                lines=[
                    DistributionLineIn(kind="eggs_dozen", count=1),
                    DistributionLineIn(kind="tofu", count=2, serials="A-1,A-2"),
                    DistributionLineIn(kind="meat_puree", count=4),
                ],
            ),
        )
    eggs, tofu, puree = answer.lines
    assert (eggs.value, eggs.price_status) == (Decimal("4.29"), "observed")
    assert (tofu.value, tofu.unit_value, tofu.price_status) == (None, None, "missing")
    assert tofu.serials == "A-1,A-2"
    assert tofu.reason == "no price in 2026-04 for tofu_firm"
    assert (puree.value, puree.price_status) == (None, "missing")
    assert puree.reason == "no basket item for this coupon kind"
    assert answer.total_value == Decimal("4.29")
    assert answer.price_status == "missing"
    assert answer.total_display == "4,29\u00a0$"


def test_nothing_priced_at_all_leaves_every_value_missing(db_url: str) -> None:
    with session_scope(db_url) as session:
        set_up(session)
        client = records_factories.make_client(session)
        session.commit()
        assert client.id is not None
        distribution = give(session, client.id, date(2026, 4, 2), milk_4l=2)
    assert (distribution.period, distribution.total_value) == (None, None)
    assert distribution.price_status == "missing"


@pytest.mark.parametrize(
    ("stores", "imputation", "minimum", "status"),
    [
        (8, "observed", 6, "observed"),
        (3, "observed", 6, "few_stores"),
        (3, "observed", 3, "observed"),
        (8, "carried_forward", 6, "imputed"),
        (0, "parent", 6, "imputed"),
    ],
)
def test_status_follows_stores_and_imputation(
    db_url: str, stores: int, imputation: str, minimum: int, status: str
) -> None:
    with session_scope(db_url) as session:
        set_up(session)
        lachine = factories.shipped_region(session, "lachine")
        client = records_factories.make_client(session, territory_id=lachine.id)
        put_prices(session, "lachine", "2026-04", {"milk_2pct": "6.49"}, stores, imputation)
        put_prices(session, "lachine", "2026-04", {"eggs_large": "4.29"})
        session.commit()
        assert client.id is not None
        answer = record_distribution(
            session,
            actor_of(session),
            client.id,
            DistributionIn(
                program="prenatal",
                distributed_on=date(2026, 4, 2),
                lines=[
                    DistributionLineIn(kind="milk_4l", count=1),
                    DistributionLineIn(kind="eggs_dozen", count=1),
                ],
            ),
            minimum_stores=minimum,
        )
    assert [line.price_status for line in answer.lines] == [status, "observed"]
    assert answer.price_status == status  # the weakest
    assert answer.lines[0].value == Decimal("6.49")  # valued all the same


def test_unknown_kind_and_program_are_refused_other_orgs_client_not_found(db_url: str) -> None:
    with session_scope(db_url) as session:
        set_up(session)
        client = records_factories.make_client(session)
        session.commit()
        assert client.id is not None
        with pytest.raises(InvalidInput, match="no coupon kind 'caviar'"):
            give(session, client.id, date(2026, 4, 2), caviar=1)
        with pytest.raises(NotFound, match="has no program 'meals_on_wheels'"):
            record_distribution(
                session,
                actor_of(session),
                client.id,
                DistributionIn(
                    program="meals_on_wheels", lines=[DistributionLineIn(kind="tofu", count=1)]
                ),
            )
        with pytest.raises(NotFound):
            record_distribution(
                session,
                actor_of(session, Role.COORDINATOR, "sesame"),
                client.id,
                DistributionIn(
                    program="prenatal", lines=[DistributionLineIn(kind="tofu", count=1)]
                ),
            )
        assert session.exec(select(Distribution)).all() == []


def test_real_costing_prices_a_coupon_at_the_mean_of_lowest_store_prices(db_url: str) -> None:
    """Two stores in Lachine sell a dozen eggs at 4.00 and 5.00: one coupon is worth 4.50."""
    with session_scope(db_url) as session:
        set_up(session)
        lachine = factories.shipped_region(session, "lachine")
        version = ensure_reference_basket(session)
        eggs = session.exec(
            select(BasketItem).where(
                BasketItem.version_id == version.id, BasketItem.code == "eggs_large"
            )
        ).one()
        product = factories.make_product(
            session, name=eggs.name_fr, size=Decimal(12), size_unit="unit"
        )
        assert eggs.id is not None
        factories.make_match(session, product, eggs.id)
        for code, price in (("s1", "4.00"), ("s2", "5.00")):
            store = factories.make_store(session, code=code, region_id=lachine.id)
            factories.make_observation(
                session,
                store,
                product,
                price=Decimal(price),
                observed_at=datetime(2026, 3, 5, tzinfo=UTC),
            )
        client = records_factories.make_client(session, territory_id=lachine.id)
        session.commit()
        compute_costs(session, NFB)
        stored = session.exec(
            select(ItemRegionPrice).where(
                ItemRegionPrice.item_id == eggs.id, ItemRegionPrice.region_id == lachine.id
            )
        ).one()
        assert client.id is not None
        distribution = give(session, client.id, date(2026, 3, 20), eggs_dozen=2)
    regional = (Decimal("4.00") + Decimal("5.00")) / 2
    assert (stored.price, stored.stores, stored.period) == (regional, 2, "2026-03")
    assert distribution.total_value == by_hand([("eggs_large", 12, "12", str(regional), 2)])
    assert distribution.total_value == Decimal("9.00")
    # Two stores are fewer than the protocol's six.
    assert distribution.price_status == "few_stores"
