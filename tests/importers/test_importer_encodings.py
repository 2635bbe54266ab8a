"""Encodings: UTF-8 with or without BOM, UTF-16, cp1252/latin-1 read; the rest refused by line."""

from __future__ import annotations

import codecs
import csv
import io
from decimal import Decimal
from pathlib import Path

import factories
import pytest
from sqlalchemy import select
from sqlmodel import Session
from typer.testing import CliRunner

from cli.main import app
from core.basket_definitions import ensure_reference_basket
from core.db import get_engine, session_scope
from core.errors import InvalidInput
from core.models import PriceObservation, StoreProduct
from importers.base import run_import
from importers.encodings import TextFile, detect_encoding
from importers.flyers import FlyerImporter
from importers.generic_csv import GenericCsvImporter, Mapping
from importers.survey import SurveyImporter, write_template

runner = CliRunner()

GENERIC = (
    "nom,prix,magasin,date\n"
    "Café crème,3.99,Épicerie Ça,2024-05-02\n"
    "Pâté,2.50,Épicerie Ça,2024-05-02\n"
)
MAPPING = """
[columns]
name = "nom"
price = "prix"
store = "magasin"
date = "date"
"""
FLYER = (
    "flyerId,storeName,storeAddress,productName,brand,salePrice,regularPrice,unitSize,validFrom\n"
    '1,Métro,"1 rue Saint-Léonard","FRAISES | STRAWBERRIES",Québec,$3.99,$4.99,"1 lb",2024-05-02\n'
)
ENCODED = {
    "utf8": lambda text: text.encode("utf-8"),
    "utf8-bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf16": lambda text: text.encode("utf-16"),
    "latin1": lambda text: text.encode("latin-1"),
    "cp1252": lambda text: text.encode("cp1252"),
}


def names(db_url: str) -> set[str]:
    with Session(get_engine(db_url)) as session:
        return set(session.execute(select(StoreProduct.name)).scalars())


@pytest.mark.parametrize("kind", list(ENCODED))
def test_generic_csv_reads_every_excel_encoding(db_url: str, tmp_path: Path, kind: str) -> None:
    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    path = tmp_path / "prices.csv"
    path.write_bytes(ENCODED[kind](GENERIC))
    importer = GenericCsvImporter(path, Mapping.load(tmp_path / "map.toml"))
    summary = run_import(importer, url=db_url)
    assert (summary.imported, summary.refused) == (2, 0)
    assert names(db_url) == {"Café crème", "Pâté"}


@pytest.mark.parametrize("kind", ["latin1", "utf16"])
def test_flyers_read_latin1_and_utf16(db_url: str, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "flyer.csv"
    path.write_bytes(ENCODED[kind](FLYER))
    summary = run_import(FlyerImporter(path), url=db_url)
    assert summary.imported == 1
    with Session(get_engine(db_url)) as session:
        store = session.execute(select(PriceObservation)).scalars().one()
    assert store.price is not None
    assert names(db_url) == {"FRAISES | STRAWBERRIES"}


@pytest.mark.parametrize("kind", ["latin1", "utf16"])
def test_survey_csv_reads_latin1_and_utf16(db_url: str, tmp_path: Path, kind: str) -> None:
    with session_scope(db_url) as session:
        factories.make_store(session, code="iga-lachine")
        ensure_reference_basket(session)
        session.commit()
    template = tmp_path / "template.csv"
    write_template(template, "2026-10", ["iga-lachine"], "csv", url=db_url)
    with open(template, encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle))
    for line in lines[2:4]:
        line[6], line[11], line[12] = "3,49", "Amélie", "2026-10-05"
    text = io.StringIO()
    csv.writer(text).writerows(lines[:4])
    path = tmp_path / "survey.csv"
    path.write_bytes(ENCODED[kind](text.getvalue()))
    summary = run_import(SurveyImporter(path), url=db_url, accept_valid=True)
    # Read in the right encoding: labels (Période, Enquêteur·rice) found, surveyor kept.
    assert summary.rows_read == 2
    assert summary.refused_by_reason.get("missing_surveyor", 0) == 0
    with Session(get_engine(db_url)) as session:
        stored = session.execute(select(PriceObservation.price)).scalars().all()
    assert stored == [Decimal("3.49"), Decimal("3.49")]


def test_detected_encodings(tmp_path: Path) -> None:
    for kind, expected in [
        ("utf8", "utf-8"),
        ("utf8-bom", "utf-8-sig"),
        ("utf16", "utf-16"),
        ("latin1", "cp1252"),
    ]:
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(ENCODED[kind](GENERIC))
        assert detect_encoding(path) == expected
        with TextFile(path) as handle:
            assert handle.read() == GENERIC


def test_undecodable_bytes_are_refused_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    # 0x81 is neither UTF-8 (alone) nor cp1252: nothing can read line 3.
    path.write_bytes(b"nom,prix\nlait,3.99\npain,\x81\n")
    with pytest.raises(InvalidInput, match="line 3"):
        TextFile(path)
    with pytest.raises(InvalidInput, match="line 3 cannot be read as utf-8"):
        TextFile(path, "utf-8")


def test_binary_file_is_one_clear_line(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "flyer.csv"
    path.write_bytes(b"PK\x03\x04\x00\x00binary\x00")
    with pytest.raises(InvalidInput, match=r"flyer\.csv: binary file"):
        run_import(FlyerImporter(path), url=db_url)


def test_encoding_option_on_the_command_line(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PPNE_DATABASE_URL", db_url)
    path = tmp_path / "flyer.csv"
    path.write_bytes(FLYER.encode("cp1252"))
    result = runner.invoke(app, ["import", "flyers", str(path), "--encoding", "cp1252"])
    assert result.exit_code == 0, result.output
    assert "1 imported" in result.output
    assert names(db_url) == {"FRAISES | STRAWBERRIES"}
    wrong = runner.invoke(app, ["import", "flyers", str(path), "--encoding", "klingon"])
    assert isinstance(wrong.exception, InvalidInput)
    assert "unknown encoding 'klingon'" in str(wrong.exception)
