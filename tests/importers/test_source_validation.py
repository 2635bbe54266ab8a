"""Validation per source: StatCan periods and values, flyer currency and prices, Open Prices."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from core.db import get_engine
from core.models import PriceObservation, ReferenceValue
from importers.base import run_import
from importers.flyers import FlyerImporter
from importers.openprices import OpenPricesImporter
from importers.source_rules import currency_problem, period_problem, reference_value_problem
from importers.statcan import StatcanImporter

STATCAN_HEADER = (
    '"REF_DATE","GEO","DGUID","Products","UOM","UOM_ID","SCALAR_FACTOR","SCALAR_ID",'
    '"VECTOR","COORDINATE","VALUE","STATUS","SYMBOL","TERMINATED","DECIMALS"\n'
)
FLYER_HEADER = "flyerId,storeName,storeAddress,productName,salePrice,regularPrice,validFrom\n"


def statcan_line(period: str, value: str, product: str = "Milk, 4 litres") -> str:
    return (
        f'"{period}","Quebec","2016A000224","{product}","Dollars","81","units","0",'
        f'"v1","5.10","{value}","","","","2"\n'
    )


def values(db_url: str) -> list[Decimal | None]:
    with Session(get_engine(db_url)) as session:
        return list(session.execute(select(ReferenceValue.value)).scalars())


def count_prices(db_url: str) -> int:
    with Session(get_engine(db_url)) as session:
        return int(session.execute(select(func.count()).select_from(PriceObservation)).scalar_one())


def test_statcan_ref_date_must_be_a_real_month(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "18100245.csv"
    path.write_text(
        STATCAN_HEADER
        + statcan_line("2026-13", "6.79")
        + statcan_line("0000-00", "6.79")
        + statcan_line("2026-10", "6.79"),
        encoding="utf-8",
    )
    summary = run_import(StatcanImporter(path), url=db_url)
    assert summary.refused_by_reason == {"unreadable_date": 2}
    assert all("not a real month" in refusal.detail for refusal in summary.refusals)
    assert values(db_url) == [Decimal("6.79")]


@pytest.mark.parametrize("value", ["-3.50", "1e60", "999999999", "Infinity"])
def test_statcan_absurd_values_are_refused(db_url: str, tmp_path: Path, value: str) -> None:
    path = tmp_path / "18100245.csv"
    path.write_text(
        STATCAN_HEADER + statcan_line("2026-09", value) + statcan_line("2026-10", "6.79"),
        encoding="utf-8",
    )
    summary = run_import(StatcanImporter(path), url=db_url)
    assert summary.refused_by_reason == {"implausible_value": 1}
    assert values(db_url) == [Decimal("6.79")]


def test_statcan_missing_values_stay_missing(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "18100245.csv"
    path.write_text(STATCAN_HEADER + statcan_line("2026-09", ".."), encoding="utf-8")
    summary = run_import(StatcanImporter(path), url=db_url)
    assert summary.refused == 0
    assert values(db_url) == [None]


@pytest.mark.parametrize(
    ("sale", "regular", "reason"),
    [
        ("3,99 €", "", "not_cad"),
        ("US$ 2.99", "", "not_cad"),
        ("$3.99", "4,99 €", "unreadable_price"),
        ("$4.99", "$3.99", "regular_below_sale"),
    ],
)
def test_flyer_currency_and_regular_price(
    db_url: str, tmp_path: Path, sale: str, regular: str, reason: str
) -> None:
    path = tmp_path / "flyer.csv"
    path.write_text(
        FLYER_HEADER
        + f'1,Metro,"1 rue A","LAIT | MILK","{sale}","{regular}",2024-05-02\n'
        + '1,Metro,"1 rue A","PAIN | BREAD","$2.99","$3.49",2024-05-02\n',
        encoding="utf-8",
    )
    summary = run_import(FlyerImporter(path), url=db_url)
    assert summary.refused_by_reason == {reason: 1}
    assert count_prices(db_url) == 1
    with Session(get_engine(db_url)) as session:
        assert session.execute(select(PriceObservation.price)).scalar_one() == Decimal("2.99")


def test_flyer_regular_equal_to_sale_is_kept(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "flyer.csv"
    path.write_text(
        FLYER_HEADER + '1,Metro,"1 rue A","PAIN | BREAD","$2.99","$2.99",2024-05-02\n',
        encoding="utf-8",
    )
    assert run_import(FlyerImporter(path), url=db_url).imported == 1


def open_prices_item(number: int, **fields: object) -> dict[str, object]:
    return {
        "product_code": "0068700011009",
        "price": 6 + number / 100,
        "currency": "CAD",
        "location_osm_id": 111,
        "date": "2024-05-02",
        "proof_id": 7,
        "id": number,
        **fields,
    }


def test_open_prices_currency_must_be_iso_4217(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "page.json"
    items = [
        open_prices_item(1),
        open_prices_item(2, currency="ZZZ"),
        open_prices_item(3, currency="€€€"),
        open_prices_item(4, currency="EUR"),
    ]
    path.write_text(json.dumps({"items": items}), encoding="utf-8")
    summary = run_import(OpenPricesImporter(path), url=db_url)
    assert summary.refused_by_reason == {"unknown_currency": 2}
    assert summary.imported == 2


def test_open_prices_dates_in_the_future_are_refused(db_url: str, tmp_path: Path) -> None:
    today = datetime.now(UTC).date()
    path = tmp_path / "page.json"
    items = [
        open_prices_item(1, date=str(today)),
        open_prices_item(2, date=str(today + timedelta(days=1))),  # a time zone ahead: kept
        open_prices_item(3, date=str(today + timedelta(days=3))),
        open_prices_item(4, date="2999-01-01"),
    ]
    path.write_text(json.dumps({"items": items}), encoding="utf-8")
    summary = run_import(OpenPricesImporter(path), url=db_url)
    assert summary.refused_by_reason == {"future_date": 2}
    assert summary.imported == 2


def test_rules_say_why() -> None:
    assert currency_problem("CAD") is None
    assert "ISO 4217" in (currency_problem("cad") or "")
    assert period_problem("2026-11") is None
    assert period_problem("2026-11\n") is not None
    assert reference_value_problem(Decimal("0")) is None
    assert "negative" in (reference_value_problem(Decimal("-1")) or "")
