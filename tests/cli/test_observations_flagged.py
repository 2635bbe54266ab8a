"""Weighted prices costed and explained; duplicates and outliers written and listed (issue 11)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

from factories import make_match, make_observation, make_product, make_store
from sqlmodel import select
from typer.testing import CliRunner

from basket.protocol import NFB
from cli.main import app
from core.basket_definitions import ensure_reference_basket
from core.db import get_engine, session_scope
from core.models import BasketItem, PriceObservation
from core.observations import ObservationRows, ObservationWriter, ProductFacts, StoreFacts
from core.regions import ensure_regions
from services.explain import explain

runner = CliRunner()
JANUARY = datetime(2026, 1, 5, tzinfo=UTC)
STORE = StoreFacts("maxi-lachine", "loblaw", "Maxi Lachine", "lachine", "Maxi")


def seed_bananas(db_url: str, prices: list[tuple[str, str]], prefix: str = "b") -> list[int]:
    """Price bananas (bought by 1 000 g) in one store each: (price, price_per); return ids."""
    with session_scope(db_url) as session:
        version = ensure_reference_basket(session)
        bananas = session.exec(
            select(BasketItem).where(
                BasketItem.version_id == version.id, BasketItem.code == "bananas"
            )
        ).one()
        assert (bananas.purchase_size, bananas.purchase_unit) == (Decimal(1000), "g")
        product = make_product(session, name="Bananes", size=None, size_unit=None)
        packaged = make_product(session, name="Bananes sac", size=Decimal(1360), size_unit="g")
        for matched in (product, packaged):
            make_match(session, matched, bananas.id)  # type: ignore[arg-type]
        ids = []
        for n, (price, per) in enumerate(prices):
            store = make_store(session, code=f"store-{prefix}{n}")
            row = make_observation(
                session,
                store,
                product if per != "unit" else packaged,
                price=Decimal(price),
                price_per=per,
                observed_at=JANUARY,
            )
            ids.append(row.id)
        session.commit()
    return ids


def statuses(db_url: str) -> dict[int, tuple[str, Decimal | None]]:
    with session_scope(db_url) as session:
        rows = session.exec(select(PriceObservation)).all()
        return {row.id: (row.status, row.judged_median) for row in rows}  # type: ignore[misc]


def test_a_price_per_kg_is_costed_and_explained_with_its_conversion(db_url: str) -> None:
    seed_bananas(db_url, [("1.52", "kg")])
    assert runner.invoke(app, ["compute"]).exit_code == 0
    with session_scope(db_url) as session:
        lineage = explain(session, NFB, "lachine", "2026-01", "bananas")
    [row] = lineage.rows
    assert (row.store_price, row.region_price) == (1.52, 1.52)
    assert row.conversion == "1.520 $/kg x 1000 g = 1.5200 $"
    result = runner.invoke(
        app, ["explain", "--region", "lachine", "--period", "2026-01", "--item", "bananas"]
    )
    assert result.exit_code == 0, result.output
    assert f"bananas, obs {row.observation_id}: 1.520 $/kg x 1000 g = 1.5200 $" in result.output


def test_a_price_per_kg_for_an_item_bought_by_count_is_refused_with_its_reason(
    db_url: str,
) -> None:
    with session_scope(db_url) as session:
        version = ensure_reference_basket(session)
        cantaloupe = session.exec(
            select(BasketItem).where(
                BasketItem.version_id == version.id, BasketItem.code == "cantaloupe"
            )
        ).one()
        assert cantaloupe.purchase_unit == "unit"
        product = make_product(session, name="Cantaloup")
        make_match(session, product, cantaloupe.id)  # type: ignore[arg-type]
        make_observation(
            session, make_store(session), product, price=Decimal("2.19"), price_per="kg"
        )
        session.commit()
    seed_bananas(db_url, [("1.52", "kg")])
    result = runner.invoke(app, ["compute"])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "1 prices not convertible to the purchase size" in output
    assert "priced per kg (mass) but the item is bought by count (unit)" in output
    # Never costed: cantaloupe has no price in the region's figure, bananas have theirs.
    with session_scope(db_url) as session:
        lineage = explain(session, NFB, "lachine", "2026-01")
    assert {row.item for row in lineage.rows if row.store_price} == {"bananas"}


def test_outliers_are_marked_with_their_median_and_cleared_when_judged_ok(db_url: str) -> None:
    # 1.50, 1.60 $/kg, a 1 360 g bag at 2.45 $ (1.8015 $ per 1 000 g) and 9.00 $/kg:
    # the median is (1.60 + 1.8015) / 2 = 1.70074 and 9.00 > 3 x 1.70074.
    ids = seed_bananas(db_url, [("1.50", "kg"), ("1.60", "kg"), ("2.45", "unit"), ("9.00", "kg")])
    assert runner.invoke(app, ["compute"]).exit_code == 0
    median = Decimal("1.701")  # (1.60 + 2.45 x 1000 / 1360) / 2, to the mill
    expected = {i: ("ok", None) for i in ids[:3]} | {ids[3]: ("outlier", median)}
    assert statuses(db_url) == expected
    # Computing again changes nothing: the stored outlier is judged anew, same answer.
    assert runner.invoke(app, ["compute"]).exit_code == 0
    assert statuses(db_url) == expected

    listed = runner.invoke(app, ["observations", "flagged", "--json"])
    assert listed.exit_code == 0, listed.output
    [row] = json.loads(listed.output)
    assert (row["observation_id"], row["status"], row["judged_median"]) == (
        ids[3],
        "outlier",
        "1.701",
    )
    assert row["price"] == "9.00" and row["price_per"] == "kg"
    assert "median 1.701" in row["reason"]

    # Three more prices near 9 $/kg: the median is now 8.80 (of 1.50, 1.60, 1.8015, 8.80,
    # 8.90, 9.00, 9.10): the 9.00 $ is ok again, and the three low prices are under 8.80 / 3.
    more = seed_bananas(db_url, [("8.80", "kg"), ("9.10", "kg"), ("8.90", "kg")], prefix="c")
    assert runner.invoke(app, ["compute"]).exit_code == 0
    now = statuses(db_url)
    assert now[ids[3]] == ("ok", None)
    assert [now[i] for i in ids[:3]] == [("outlier", Decimal("8.800"))] * 3
    assert [now[i] for i in more] == [("ok", None)] * 3
    flagged = json.loads(runner.invoke(app, ["observations", "flagged", "--json"]).output)
    assert [row["observation_id"] for row in flagged] == ids[:3]


def batch(dialect: str, collector: str, url: str) -> ObservationRows:
    rows = ObservationRows(dialect)
    for price in ("3.49", "2.99"):
        rows.add(
            STORE,
            ProductFacts("loblaw", f"sku-{price}", "Lait"),
            price=Decimal(price),
            observed_at=JANUARY,
            raw_price_text=price,
            source_url=url,
            collector=collector,
            method="api",
        )
    return rows


def write(db_url: str, collector: str, url: str) -> tuple[int, int, int]:
    with get_engine(db_url).begin() as connection:
        counts = ObservationWriter().write(
            connection, batch(connection.dialect.name, collector, url)
        )
    return counts.stored, counts.duplicates, counts.marked


def test_a_repeat_from_another_source_is_kept_linked_and_only_once(db_url: str) -> None:
    with session_scope(db_url) as session:
        ensure_regions(session)
        session.commit()
    assert write(db_url, "maxi", "https://www.maxi.ca/p/1") == (2, 0, 0)
    # The same crawl again, the site on another host: a re-run, nothing new.
    assert write(db_url, "maxi", "http://127.0.0.1:8123/p/1") == (0, 2, 0)
    # The same prices from a file: kept, marked duplicate, linked to the crawl's rows.
    assert write(db_url, "generic-csv", "file:prix.csv#2") == (0, 2, 2)
    # The same file again (another line number even): nothing new, the marking is idempotent.
    assert write(db_url, "generic-csv", "file:prix.csv#7") == (0, 2, 0)
    with session_scope(db_url) as session:
        rows = session.exec(select(PriceObservation).order_by(PriceObservation.id)).all()
        assert [(r.status, r.duplicate_of) for r in rows] == [
            ("ok", None),
            ("ok", None),
            ("duplicate", rows[0].id),
            ("duplicate", rows[1].id),
        ]
        assert [r.price for r in rows[2:]] == [r.price for r in rows[:2]]
    listed = runner.invoke(app, ["observations", "flagged"])
    assert listed.exit_code == 0, listed.output
    assert "Flagged observations (2)" in listed.output
    as_json = json.loads(runner.invoke(app, ["observations", "flagged", "--json"]).output)
    assert [(r["status"], r["duplicate_of"]) for r in as_json] == [
        ("duplicate", rows[0].id),
        ("duplicate", rows[1].id),
    ]
