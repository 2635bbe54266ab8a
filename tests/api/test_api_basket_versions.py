"""Readers answer from the basket version in effect for each period, and show what was stored."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select
from typer.testing import CliRunner

from api.app import create_app
from cli.main import app
from core.basket_definitions import REFERENCE_VERSION_CODE, ensure_reference_basket
from core.basket_versions import save_new_version
from core.db import session_scope
from core.models import (
    BasketCost,
    BasketItem,
    BasketVersion,
    PriceObservation,
    ProductMatch,
    Region,
    Store,
    StoreProduct,
)
from core.reference_data import load_reference_basket
from core.regions import ensure_regions, region_by_code
from core.settings import get_settings

runner = CliRunner()
DEFAULT_FAMILY = ["male_19_50", "female_19_50", "male_14_18", "female_4_8"]
SECOND = "doubled-v2"


def seed_prices(db_url: str) -> list[str]:
    """Two Lachine stores price two reference items monthly, January to October 2026."""
    with session_scope(db_url) as session:
        ensure_regions(session)
        version = ensure_reference_basket(session)
        lachine = region_by_code(session, "lachine")
        items = list(
            session.exec(
                select(BasketItem)
                .where(BasketItem.version_id == version.id)
                .order_by(BasketItem.id)  # type: ignore[arg-type]
            )
        )[:2]
        stores = [
            Store(code=code, chain="c", banner="b", name=code, region_id=lachine.id)
            for code in ("s1", "s2")
        ]
        session.add_all(stores)
        session.flush()
        for n, item in enumerate(items):
            product = StoreProduct(
                chain="c",
                sku=f"sku{n}",
                name=item.name_fr,
                size=item.purchase_size,
                size_unit=item.purchase_unit,
            )
            session.add(product)
            session.flush()
            session.add(ProductMatch(store_product_id=product.id, item_id=item.id, method="manual"))
            for s, store in enumerate(stores):
                for month in range(1, 11):
                    price = Decimal(4 + s) + Decimal(month) / 10
                    session.add(
                        PriceObservation(
                            store_id=store.id,
                            store_product_id=product.id,
                            price=price,
                            observed_at=datetime(2026, month, 5, tzinfo=UTC),
                            source_url="https://example.test",
                            collector="test",
                            method="survey",
                            raw_price_text=str(price),
                            content_hash=f"{store.code}{n}{month}",
                        )
                    )
        session.commit()
        return [item.code for item in items]


def add_doubled_version(db_url: str, item_codes: list[str]) -> None:
    """Put in effect from July 2026 a basket of twice the quantities, matched to the products."""
    definition = load_reference_basket()
    definition.quantities["weekly_amount"] = definition.quantities["weekly_amount"] * 2
    with session_scope(db_url) as session:
        version = save_new_version(
            session, definition, SECOND, "Doubled", "tests", date(2026, 7, 1), "test break"
        )
        for n, code in enumerate(item_codes):
            item = session.exec(
                select(BasketItem).where(
                    BasketItem.version_id == version.id, BasketItem.code == code
                )
            ).one()
            product = session.exec(select(StoreProduct).where(StoreProduct.sku == f"sku{n}")).one()
            session.add(ProductMatch(store_product_id=product.id, item_id=item.id, method="manual"))
        session.commit()


def compute() -> None:
    result = runner.invoke(app, ["compute"])
    assert result.exit_code == 0, result.output


def stored_family_cost(db_url: str, version_code: str, period: str) -> Decimal:
    with session_scope(db_url) as session:
        return session.exec(
            select(BasketCost.weekly_cost)
            .join(BasketVersion, BasketVersion.id == BasketCost.version_id)
            .join(Region, Region.id == BasketCost.region_id)
            .where(
                BasketVersion.code == version_code,
                Region.code == "lachine",
                BasketCost.period == period,
                BasketCost.scope == "family",
            )
        ).one()


@pytest.fixture
def two_versions(db_url: str) -> str:
    """v1 computed over every month first, then v2 in effect from July and costs recomputed.

    v1's July to October costs stay stored from the first computation: readers must not
    answer with them.
    """
    codes = seed_prices(db_url)
    compute()
    add_doubled_version(db_url, codes)
    compute()
    return db_url


def test_the_api_answers_a_period_with_the_version_in_effect_then(two_versions: str) -> None:
    client = TestClient(create_app())
    march = client.get("/v1/costs", params={"region": "lachine", "period": "2026-03"})
    assert march.status_code == 200, march.text
    assert march.json()["basket_version"] == REFERENCE_VERSION_CODE
    assert Decimal(march.json()["weekly_cost"]) == stored_family_cost(
        two_versions, REFERENCE_VERSION_CODE, "2026-03"
    )

    august = client.get("/v1/costs", params={"region": "lachine", "period": "2026-08"}).json()
    assert august["basket_version"] == SECOND
    doubled = stored_family_cost(two_versions, SECOND, "2026-08")
    stale = stored_family_cost(two_versions, REFERENCE_VERSION_CODE, "2026-08")
    assert Decimal(august["weekly_cost"]) == doubled
    assert abs(doubled - 2 * stale) <= Decimal("0.02")  # the versions' figures do differ

    latest = client.get("/v1/costs", params={"region": "lachine"}).json()
    assert (latest["period"], latest["basket_version"]) == ("2026-10", SECOND)


def test_trends_read_each_period_from_its_version(two_versions: str) -> None:
    client = TestClient(create_app())
    trend = client.get("/v1/trends", params={"region": "lachine"}).json()
    versions = {point["period"]: point["basket_version"] for point in trend["series"]}
    assert versions == {
        **{f"2026-{m:02d}": REFERENCE_VERSION_CODE for m in range(1, 7)},
        **{f"2026-{m:02d}": SECOND for m in range(7, 11)},
    }
    assert trend["basket_version"] == SECOND
    for point in trend["series"]:
        stored = stored_family_cost(two_versions, point["basket_version"], point["period"])
        assert Decimal(point["weekly_cost"]) == stored
    # The drivers split September to October, both of v2, into the stored change.
    (drivers,) = trend["drivers"]
    weekly = {p["period"]: Decimal(p["weekly_cost"]) for p in trend["series"]}
    total = sum(Decimal(row["change"]) for row in drivers["categories"])
    assert abs(total - (weekly["2026-10"] - weekly["2026-09"])) <= Decimal("0.05")


def test_household_cost_and_explain_use_the_version_of_the_period(two_versions: str) -> None:
    def household(period: str) -> dict[str, object]:
        result = runner.invoke(
            app,
            ["cost", "household", "--members", "M:40", "--region", "lachine",
             "--period", period, "--json"],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    march, august = household("2026-03"), household("2026-08")
    assert (march["basket_version"], august["basket_version"]) == (REFERENCE_VERSION_CODE, SECOND)
    assert march["preset"] == "nfb"
    text = runner.invoke(
        app,
        ["cost", "household", "--members", "M:40", "--region", "lachine", "--period", "2026-08"],
    )
    assert f"basket {SECOND}, preset nfb" in text.output

    result = runner.invoke(app, ["explain", "--region", "lachine", "--period", "2026-03"])
    assert result.exit_code == 0, result.output
    assert REFERENCE_VERSION_CODE in result.output and "observed" in result.output


def test_the_family_shown_is_the_one_stored_not_todays_setting(
    two_versions: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PPNE_REFERENCE_FAMILY", "male_19_50,female_19_50")
    get_settings.cache_clear()
    assert get_settings().reference_family == ["male_19_50", "female_19_50"]
    client = TestClient(create_app())
    body = client.get("/v1/costs", params={"region": "lachine", "period": "2026-08"}).json()
    assert body["family"] == DEFAULT_FAMILY
    trend = client.get("/v1/trends", params={"region": "lachine"}).json()
    assert trend["members"] == DEFAULT_FAMILY
