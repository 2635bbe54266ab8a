"""An imported price naming a region not in the table is a refused row; the rest goes in."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import func, select

from core.db import session_scope
from core.models import PriceObservation, RefusedRow, Region
from importers.base import run_import
from importers.generic_csv import GenericCsvImporter, Mapping

MAPPING = """
[columns]
store = "store"
name = "name"
price = "price"
date = "date"

[defaults]
region = "{region}"
"""


def import_prices(folder: Path, url: str, region: str):  # type: ignore[no-untyped-def]
    source = folder / f"{region}.csv"
    source.write_text("store,name,price,date\nMaxi,Lait,3.49,2026-01-15\n", encoding="utf-8")
    mapping = folder / f"{region}.toml"
    mapping.write_text(MAPPING.format(region=region), encoding="utf-8")
    return run_import(GenericCsvImporter(source, Mapping.load(mapping)), url=url)


def test_a_row_of_an_unknown_region_is_refused_naming_the_code(db_url: str, tmp_path: Path) -> None:
    refused = import_prices(tmp_path, db_url, "atlantis")
    kept = import_prices(tmp_path, db_url, "lachine")

    assert (refused.status, refused.imported, refused.refused) == ("succeeded", 0, 1)
    assert dict(refused.refused_by_reason) == {"unknown_region": 1}
    assert "'atlantis'" in refused.refusals[0].detail
    assert (kept.imported, kept.refused) == (1, 0)
    with session_scope(db_url) as session:
        [row] = session.exec(select(RefusedRow)).all()
        assert (row.reason, row.import_id) == ("unknown_region", refused.import_id)
        assert '"region": "atlantis"' in row.raw
        assert session.exec(select(func.count()).select_from(PriceObservation)).one() == 1
        assert session.exec(select(Region).where(Region.code == "atlantis")).first() is None


def test_the_elsewhere_bucket_is_created_on_first_need(db_url: str, tmp_path: Path) -> None:
    summary = import_prices(tmp_path, db_url, "elsewhere")
    assert (summary.imported, summary.refused) == (1, 0)
    with session_scope(db_url) as session:
        assert (
            session.exec(select(Region).where(Region.code == "elsewhere")).one().level == "province"
        )
