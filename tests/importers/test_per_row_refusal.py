"""Per-row refusal: one bad record is refused with its reason, the rest of the file imports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from core.db import get_engine
from core.errors import InvalidInput
from core.models import PriceObservation, ReferenceValue
from importers.base import run_import
from importers.flyers import FlyerImporter
from importers.generic_csv import GenericCsvImporter, Mapping
from importers.openprices import OpenPricesImporter
from importers.statcan import StatcanImporter

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = {
    "product_code": "0068700011009",
    "price": 6.49,
    "currency": "CAD",
    "location_osm_id": 111,
    "date": "2024-05-02",
    "proof_id": 7,
}


def good(number: int) -> dict[str, object]:
    return {**GOOD, "id": number, "price": 6 + number / 100}


def count(db_url: str, table: type) -> int:
    with Session(get_engine(db_url)) as session:
        return int(session.execute(select(func.count()).select_from(table)).scalar_one())


def test_open_prices_jsonl_bad_lines_are_refused_the_rest_imports(
    db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "prices.jsonl"
    lines = [
        json.dumps(good(1)),
        "[1, 2, 3]",  # a list, not an object
        "{not json",
        "[" * 100_000 + "]" * 100_000,  # deep nesting: RecursionError inside json
        json.dumps({**good(5), "location": ["not", "an", "object"]}),
        json.dumps(good(6)),
        '"a string"',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = run_import(OpenPricesImporter(path), url=db_url)
    assert summary.imported == 2
    assert summary.refused_by_reason == {"malformed_record": 5}
    by_row = {refusal.row_number: refusal.detail for refusal in summary.refusals}
    assert "list, not an object" in by_row[2]
    assert "not JSON" in by_row[3]
    assert "nested too deep" in by_row[4]
    assert count(db_url, PriceObservation) == 2


def test_open_prices_page_with_an_item_that_is_not_an_object(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"items": [good(1), 42, None, good(2)]}), encoding="utf-8")
    summary = run_import(OpenPricesImporter(path), url=db_url)
    assert (summary.imported, summary.refused) == (2, 2)


@pytest.mark.parametrize(
    "content",
    ["{truncated", "[" * 100_000, '{"items": 3}', "\x00\x01binary"],
    ids=["truncated", "deep", "wrong-layout", "binary"],
)
def test_open_prices_page_that_is_not_one_is_one_clear_line(
    db_url: str, tmp_path: Path, content: str
) -> None:
    path = tmp_path / "page.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"page\.json"):
        run_import(OpenPricesImporter(path), url=db_url)
    assert count(db_url, PriceObservation) == 0


def test_statcan_truncated_file_refuses_the_cut_line(db_url: str, tmp_path: Path) -> None:
    lines = (FIXTURES / "statcan_full.csv").read_text(encoding="utf-8").splitlines()
    cut = "\n".join(lines[:3]) + "\n" + lines[3][:30]  # the file ends in the middle of a line
    path = tmp_path / "statcan.csv"
    path.write_text(cut, encoding="utf-8")
    summary = run_import(StatcanImporter(path), url=db_url)
    assert summary.refused_by_reason == {"wrong_column_count": 1}
    assert summary.refusals[0].row_number == 4
    assert count(db_url, ReferenceValue) == 2


def test_statcan_file_that_is_not_one_is_one_clear_line(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(InvalidInput, match=r"table\.csv"):
        run_import(StatcanImporter(path), url=db_url)
    assert count(db_url, ReferenceValue) == 0


def test_flyer_and_csv_huge_field_is_one_clear_line(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "flyer.csv"
    header = (FIXTURES / "flyer.csv").read_text(encoding="utf-8").splitlines()[0]
    path.write_text(header + '\n1,"Metro","' + "x" * 300_000 + '"\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"flyer\.csv: not a readable CSV"):
        run_import(FlyerImporter(path), url=db_url)


def test_generic_csv_short_row_is_refused_the_rest_imports(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "map.toml").write_text(
        '[columns]\nname = "nom"\nprice = "prix"\n[defaults]\nstore = "S"\ndate = "2024-05-02"\n',
        encoding="utf-8",
    )
    path = tmp_path / "prices.csv"
    path.write_text("nom,prix\nlait,3.99\npain\nbeurre,5.49\n", encoding="utf-8")
    summary = run_import(GenericCsvImporter(path, Mapping.load(tmp_path / "map.toml")), url=db_url)
    assert (summary.imported, summary.refused_by_reason) == (2, {"wrong_column_count": 1})


def test_a_huge_field_is_refused_even_after_a_library_raised_the_csv_limit(
    db_url: str, tmp_path: Path
) -> None:
    # frictionless (the data dumps) raises the process-wide limit when it is imported.
    import csv

    before = csv.field_size_limit(2**31 - 1)
    try:
        test_flyer_and_csv_huge_field_is_one_clear_line(db_url, tmp_path)
    finally:
        csv.field_size_limit(before)
