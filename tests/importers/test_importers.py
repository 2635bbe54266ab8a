"""Each importer on the project's own small fixtures, and on the real files when present."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from shared_files import realdata
from sqlalchemy import func, select
from sqlmodel import Session

from core.db import get_engine
from core.models import (
    DataImport,
    ObservationSource,
    PriceObservation,
    ReferenceSeries,
    ReferenceValue,
    RefusedRow,
    StoreProduct,
)
from importers.base import run_import
from importers.flyers import FlyerImporter
from importers.generic_csv import GenericCsvImporter, Mapping
from importers.openprices import OpenPricesImporter
from importers.statcan import CPI_TABLE, StatcanImporter

FIXTURES = Path(__file__).parent / "fixtures"


def reference_value(url: str, product: str, region: str, period: str) -> ReferenceValue:
    with Session(get_engine(url)) as session:
        return session.execute(
            select(ReferenceValue)
            .join(ReferenceSeries, ReferenceSeries.id == ReferenceValue.series_id)
            .where(
                ReferenceSeries.product == product,
                ReferenceSeries.region == region,
                ReferenceValue.period == period,
            )
        ).scalar_one()


def count(url: str, table: type) -> int:
    with Session(get_engine(url)) as session:
        return int(session.execute(select(func.count()).select_from(table)).scalar_one())


def test_statcan_full_layout_keeps_missing_values_missing(db_url: str) -> None:
    summary = run_import(StatcanImporter(FIXTURES / "statcan_full.csv"), url=db_url)
    assert (summary.rows_read, summary.imported, summary.refused) == (5, 4, 1)
    assert summary.refused_by_reason == {"unreadable_date": 1}
    assert reference_value(db_url, "Milk, 4 litres", "Quebec", "2023-01").value == Decimal("6.79")
    missing = reference_value(db_url, "Milk, 4 litres", "Quebec", "2023-02")
    assert missing.value is None and missing.status == ".."
    bananas = reference_value(db_url, "Bananas, per kilogram", "Montréal, Quebec", "2023-01")
    assert bananas.value == Decimal("1.72")
    with Session(get_engine(db_url)) as session:
        series = {s.product: s for s in session.execute(select(ReferenceSeries)).scalars()}
    assert series["Milk, 4 litres"].coordinate == "5.10"  # text: not the number 5.1
    assert (series["Milk, 4 litres"].size, series["Milk, 4 litres"].size_unit) == (4000, "mL")
    assert series["Milk, 4 litres"].item_code == "milk_2pct"
    assert series["Bananas, per kilogram"].price_per == "kg"
    assert series["Bananas, per kilogram"].method == "statcan"
    # Reference series never become store observations.
    assert count(db_url, PriceObservation) == 0


def test_statcan_displayed_layout_and_rerun_adds_nothing(db_url: str) -> None:
    importer = StatcanImporter(FIXTURES / "statcan_displayed.csv")
    assert (importer.layout, importer.table) == ("displayed", "18-10-0245-01")
    first = run_import(importer, url=db_url)
    assert first.imported == 6
    assert reference_value(db_url, "Eggs, 1 dozen", "Quebec", "2023-03").value == Decimal("4.45")
    assert reference_value(db_url, "Milk, 4 litres", "Quebec", "2023-02").value is None
    again = run_import(StatcanImporter(FIXTURES / "statcan_displayed.csv"), url=db_url)
    assert (again.imported, again.duplicates) == (0, 6)


def test_food_cpi_is_an_index_series(db_url: str) -> None:
    importer = StatcanImporter(FIXTURES / "cpi_full.csv")
    assert importer.table == CPI_TABLE
    run_import(importer, url=db_url)
    value = reference_value(db_url, "Food", "Montréal, Quebec", "2023-01")
    assert value.value == Decimal("182.4")
    with Session(get_engine(db_url)) as session:
        assert session.execute(select(ReferenceSeries.kind)).scalar_one() == "index"


def test_statcan_real_files(db_url: str) -> None:
    long_file = realdata("statcan", "18100245_long_layout_sample.csv")
    wide_file = realdata("statcan", "18100245_wide_canada_2022_lang003.csv")
    assert run_import(StatcanImporter(long_file), url=db_url).imported == 7
    value = reference_value(db_url, "Beef striploin cuts, per kilogram", "Ontario", "2020-06")
    assert value.value == Decimal("34.02")
    wide = run_import(StatcanImporter(wide_file), url=db_url)
    assert wide.refused == 0 and wide.imported == 110 * 12
    assert reference_value(db_url, "Tofu, 350 grams", "Canada", "2022-12").value == Decimal("2.78")
    assert reference_value(
        db_url, "Laundry detergent, 4.43 litres", "Canada", "2022-01"
    ).value == Decimal("14.05")


def test_open_prices_json_keeps_currency_and_discount(db_url: str) -> None:
    summary = run_import(OpenPricesImporter(FIXTURES / "openprices_page.json"), url=db_url)
    assert (summary.imported, summary.refused) == (2, 1)
    with Session(get_engine(db_url)) as session:
        rows = session.execute(
            select(PriceObservation, ObservationSource.regular_price).outerjoin(
                ObservationSource, ObservationSource.content_hash == PriceObservation.content_hash
            )
        ).all()
    by_currency = {obs.currency: (obs, regular) for obs, regular in rows}
    milk, regular = by_currency["CAD"]
    assert (milk.price, milk.price_kind, regular) == (Decimal("6.49"), "sale", Decimal("6.99"))
    bananas, _ = by_currency["EUR"]
    assert (bananas.price_per, bananas.method) == ("kg", "import")


def test_open_prices_csv_and_parquet_exports(db_url: str, tmp_path: Path) -> None:
    fields = {
        "product_code": ["0068700011009"],
        "price": [6.49],
        "price_per": ["UNIT"],
        "price_is_discounted": [False],
        "price_without_discount": [None],
        "currency": ["CAD"],
        "location_osm_id": [111],
        "date": ["2024-05-02"],
        "proof_id": [7],
    }
    parquet = tmp_path / "prices.parquet"
    pq.write_table(pa.table(fields), parquet)
    csv_file = tmp_path / "prices.csv"
    csv_file.write_text(
        ",".join(fields) + "\n" + ",".join(str(v[0] or "") for v in fields.values()) + "\n"
    )
    assert run_import(OpenPricesImporter(parquet), url=db_url).imported == 1
    # The same price from the CSV export is the same observation.
    again = run_import(OpenPricesImporter(csv_file), url=db_url)
    assert (again.imported, again.duplicates) == (0, 1)


def test_open_prices_real_fixture(db_url: str) -> None:
    path = realdata("open_prices", "api_fixtures_open-prices-frontend", "prices.json")
    summary = run_import(OpenPricesImporter(path), url=db_url)
    assert summary.imported == 10
    with Session(get_engine(db_url)) as session:
        currencies = set(session.execute(select(PriceObservation.currency)).scalars())
    assert currencies == {"AED", "EUR"}


def test_flyer_prices_are_sale_prices(db_url: str) -> None:
    summary = run_import(FlyerImporter(FIXTURES / "flyer.csv"), url=db_url)
    assert (summary.imported, summary.refused_by_reason) == (2, {"no_price": 1})
    with Session(get_engine(db_url)) as session:
        rows = session.execute(
            select(StoreProduct.name, PriceObservation.price, PriceObservation.price_kind)
            .join(StoreProduct, StoreProduct.id == PriceObservation.store_product_id)
            .order_by(PriceObservation.price)
        ).all()
    assert rows[0] == ("RIZ BLANC | WHITE RICE", Decimal("3.5"), "sale")  # 2/$7.00
    assert rows[1] == ("LAIT 2 % NATREL | NATREL 2% MILK", Decimal("5.99"), "sale")


def test_flyers_real_file(db_url: str) -> None:
    path = realdata("flyers_csv", "flipp_montreal_H3B2G7", "H3B2G7_products.csv")
    summary = run_import(FlyerImporter(path), url=db_url)
    assert summary.rows_read == 1220
    assert summary.imported + summary.duplicates + summary.refused == 1220
    assert summary.refused_by_reason["no_price"] > 0
    with Session(get_engine(db_url)) as session:
        kinds = set(session.execute(select(PriceObservation.price_kind)).scalars())
    assert kinds == {"sale"}


def test_generic_csv_with_join_and_refused_rows(db_url: str) -> None:
    mapping = Mapping.load(FIXTURES / "prices.toml")
    summary = run_import(GenericCsvImporter(FIXTURES / "prices.csv", mapping), url=db_url)
    assert summary.imported == 2
    assert summary.refused_by_reason == {"unreadable_price": 1, "join_missing": 1}
    with Session(get_engine(db_url)) as session:
        products = {p.name: p for p in session.execute(select(StoreProduct)).scalars()}
        refused = session.execute(select(RefusedRow).order_by(RefusedRow.row_number)).scalars()
        reasons = [(r.row_number, r.reason, r.column) for r in refused]
        kinds = dict(
            session.execute(select(PriceObservation.price, PriceObservation.price_kind)).all()
        )
    assert (products["Mozzarella"].size, products["Mozzarella"].size_unit) == (400, "g")
    assert products["Mozzarella"].sku == "068200005379"
    assert kinds == {Decimal("7.79"): "regular", Decimal("5.99"): "sale"}
    assert reasons == [(4, "unreadable_price", "prix"), (5, "join_missing", None)]


def test_generic_csv_on_the_maxi_files(db_url: str, tmp_path: Path) -> None:
    folder = realdata("flyers_csv", "maxi_quebec_prixEpicerie")
    mapping = tmp_path / "maxi.toml"
    mapping.write_text(
        '[columns]\nprice = "prix"\nname = "nom"\nsize = "Format"\nbrand = "marque"\n'
        'price_kind = "type_de_prix"\n[defaults]\nstore = "Maxi"\ndate = "2023-06-01"\n'
        f'[price_kinds]\n"régulier" = "regular"\n[join]\nfile = "{folder / "productTable.csv"}"\n'
        'on = "uuid"\n'
    )
    summary = run_import(
        GenericCsvImporter(folder / "productMaxi.csv", Mapping.load(mapping)), url=db_url
    )
    # Some Maxi rows have an empty price: refused with that reason, not imported as zero.
    total = summary.imported + summary.refused + summary.duplicates
    assert (summary.rows_read, total) == (80, 80)
    assert summary.imported == 67 and "unreadable_price" in summary.refused_by_reason
    with Session(get_engine(db_url)) as session:
        price = session.execute(
            select(PriceObservation.price)
            .join(StoreProduct, StoreProduct.id == PriceObservation.store_product_id)
            .where(StoreProduct.name == "Mozzarella")
        ).scalar_one()
        assert price == Decimal("7.79")
        assert session.execute(select(DataImport.status)).scalar_one() == "succeeded"
