"""Issue 10's price findings: each bad price is a refused row with its reason, the good rows of
the same file import, and prices stored before the gate never crash `ppne compute`."""

from __future__ import annotations

import json
import logging
from decimal import Decimal
from pathlib import Path

import pytest
from factories import seed_two_stores_in_lachine
from sqlalchemy import text
from sqlmodel import func, select

from core.db import session_scope
from core.models import PriceObservation, RefusedRow
from core.observations.gate import PriceBounds
from core.settings import get_settings
from importers.base import ImportSummary, run_import
from importers.generic_csv import GenericCsvImporter, Mapping
from importers.openprices import OpenPricesImporter
from importers.readings import read_price
from services.costing import compute_costs, latest_family_costs
from services.protocol import costing_protocol

MAPPING = """
[columns]
store = "store"
name = "name"
price = "price"
date = "date"

[defaults]
region = "lachine"
"""
# Each bad price of the "Why" list, and a word of the reason it is refused with.
BAD_PRICES = {
    "9" * 400: "400 digits",
    "1e999999": "unexpected text",
    "Infinity": "unexpected text",
    "NaN": "unexpected text",
    "0": "not positive",
    "0,0": "not positive",
    "1,234": "ambiguous",
    "12,345": "ambiguous",
    "99999999999999 $": "9 integer digits",
    "0,0001 $": "4 decimals",
    "20000": "highest believable",
    "0.001": "lowest believable",
}
GOOD_PRICES = ("3.49", "2,99", "4.50 $", "3.500")


def import_prices(folder: Path, url: str, prices: list[str], **options: object) -> ImportSummary:
    source, mapping = folder / "prices.csv", folder / "prices.toml"
    lines = [f'Maxi,Produit {n},"{price}",2026-10-15' for n, price in enumerate(prices)]
    source.write_text("store,name,price,date\n" + "\n".join(lines) + "\n", encoding="utf-8")
    mapping.write_text(MAPPING, encoding="utf-8")
    importer = GenericCsvImporter(source, Mapping.load(mapping))
    return run_import(importer, url=url, **options)  # type: ignore[arg-type]


def stored_prices(url: str) -> list[Decimal]:
    with session_scope(url) as session:
        return sorted(session.exec(select(PriceObservation.price)).all())


def test_each_bad_price_of_a_csv_is_refused_with_its_reason_the_good_rows_import(
    db_url: str, tmp_path: Path
) -> None:
    prices = [*GOOD_PRICES[:2], *BAD_PRICES, *GOOD_PRICES[2:]]
    summary = import_prices(tmp_path, db_url, prices)

    assert (summary.status, summary.imported, summary.refused) == (
        "succeeded", len(GOOD_PRICES), len(BAD_PRICES),
    )  # fmt: skip
    details = {refusal.row_number: refusal.detail for refusal in summary.refusals}
    for line, (price, words) in enumerate(BAD_PRICES.items(), start=4):
        assert words in details[line], (price, details[line])
        assert "None" not in details[line]
    assert stored_prices(db_url) == sorted(Decimal(p) for p in ("3.49", "2.99", "4.50", "3.5"))
    with session_scope(db_url) as session:
        assert session.exec(select(func.count()).select_from(RefusedRow)).one() == len(BAD_PRICES)


def test_price_bounds_passed_down_decide_what_is_believable(db_url: str, tmp_path: Path) -> None:
    bounds = PriceBounds(Decimal("3"), Decimal("4"))
    summary = import_prices(tmp_path, db_url, ["2.99", "3.49", "4.50"], price_bounds=bounds)
    assert (summary.imported, summary.refused) == (1, 2)
    assert dict(summary.refused_by_reason) == {"price_refused": 2}
    assert stored_prices(db_url) == [Decimal("3.49")]


def test_the_fast_path_for_plain_numbers_keeps_the_normalisers_rules() -> None:
    assert read_price("3.49") == (Decimal("3.49"), "unit", None)
    assert read_price("2,5") == (Decimal("2.5"), "unit", None)
    for bad in ("0", "0,0", "1,234", "12,345", "0.0001", "9" * 400):
        price, _, reason = read_price(bad)
        assert price is None and reason, bad


def test_open_prices_infinite_nan_and_overlong_prices_are_refused_rows(
    db_url: str, tmp_path: Path
) -> None:
    def item(number: int, price: object) -> str:
        return (
            f'{{"product_code": "p{number}", "price": {price}, "currency": "CAD",'
            f' "location_osm_id": 1, "date": "2024-05-02", "proof_id": 1, "id": {number}}}'
        )

    bad = ["1e999999", '"1e999999"', '"Infinity"', '"NaN"', "NaN", '"' + "9" * 400 + '"', "0"]
    items = [item(0, "2.99"), *(item(n, p) for n, p in enumerate(bad, start=1)), item(99, '"4"')]
    source = tmp_path / "prices.json"
    source.write_text('{"items": [' + ",\n".join(items) + "]}", encoding="utf-8")
    assert json.loads(source.read_text())  # Python's json reads NaN and 1e999999 (inf)

    summary = run_import(OpenPricesImporter(source), url=db_url)

    assert (summary.status, summary.imported, summary.refused) == ("succeeded", 2, len(bad))
    assert all(refusal.detail for refusal in summary.refusals)
    assert stored_prices(db_url) == [Decimal("2.99"), Decimal("4")]


def bad_stored_prices(url: str) -> list[str]:
    """Store, as if before the gate, bad copies of October's observations; return their SQL."""
    sqlite = url.startswith("sqlite")
    values = ["1e400", "'Infinity'", "0", "10000000"] if sqlite else ["'NaN'", "0", "10000000"]
    columns = [c.name for c in PriceObservation.__table__.columns if c.name != "id"]  # type: ignore[attr-defined]
    copied = ", ".join(
        {"price": "{price}", "content_hash": "substr(content_hash, 1, 56) || '{n}'"}.get(c, c)
        for c in columns
    )
    sql = (
        f"INSERT INTO priceobservation ({', '.join(columns)}) SELECT {copied} "
        "FROM priceobservation WHERE observed_at >= '2026-10-01' AND content_hash NOT LIKE '%bad%'"
    )
    with session_scope(url) as session:
        for n, value in enumerate(values):
            session.execute(text(sql.format(price=value, n=f"bad{n}")))
        session.commit()
    return values


def family_costs(url: str) -> dict[str, Decimal]:
    with session_scope(url) as session:
        compute_costs(session, costing_protocol(get_settings()))
        latest = latest_family_costs(session)
    return {region.region_code: Decimal(str(region.weekly_cost)) for region in latest.regions}


def test_compute_survives_prices_stored_before_the_gate(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    seed_two_stores_in_lachine(db_url)
    before = family_costs(db_url)
    bad = bad_stored_prices(db_url)
    with session_scope(db_url) as session:
        # Two stores, two items, ten months; and a bad copy of each October price per value.
        stored = session.exec(select(func.count()).select_from(PriceObservation)).one()
        assert stored == 40 + 4 * len(bad)

    with caplog.at_level(logging.WARNING, logger="core.queries.engine_inputs"):
        after = family_costs(db_url)

    assert after == before and before
    warned = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    assert warned and "observation ids" in warned[0]


def test_a_file_of_every_bad_price_then_compute_succeeds(db_url: str, tmp_path: Path) -> None:
    seed_two_stores_in_lachine(db_url)
    before = family_costs(db_url)
    summary = import_prices(tmp_path, db_url, [*BAD_PRICES, *GOOD_PRICES])
    assert (summary.imported, summary.refused) == (len(GOOD_PRICES), len(BAD_PRICES))
    bad_stored_prices(db_url)

    assert family_costs(db_url) == before
