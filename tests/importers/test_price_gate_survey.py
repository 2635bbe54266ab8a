"""The survey's price findings: `0` is refused in words, not `'0': None`; too long, too small
and unbelievable prices are refused rows, and they stop an all-or-nothing survey."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import func, select
from test_survey import make_store, runner

from cli.main import app
from core.db import session_scope
from core.models import PriceObservation
from services.imports import import_file

BAD = {
    "0": "not positive",
    "0,0": "not positive",
    "99999999999999 $": "9 integer digits",
    "0,0001 $": "4 decimals",
    "1,234": "ambiguous",
    "12 000,00 $": "highest believable",
}


def filled_survey(folder: Path) -> tuple[Path, int]:
    sheet = folder / "releve.csv"
    arguments = ["survey", "template", "--period", "2025-01", "--stores", "iga-lachine"]
    result = runner.invoke(app, [*arguments, "--format", "csv", "--output", str(sheet)])
    assert result.exit_code == 0, result.output
    lines = list(csv.reader(sheet.read_text(encoding="utf-8").splitlines()))
    position = {label: index for index, label in enumerate(lines[0])}
    for line in lines[2:]:
        line[position["Prix ($)"]] = "3,49 $"
        line[position["Enquêteur·rice"]] = "Awa"
        line[position["Date (AAAA-MM-JJ)"]] = "2025-01-10"
    for line, price in zip(lines[2:], BAD, strict=False):
        line[position["Prix ($)"]] = price
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(lines)
    return sheet, len(lines) - 2


def test_survey_bad_prices_are_refused_in_words_and_stop_the_survey(
    db_url: str, tmp_path: Path
) -> None:
    make_store(db_url)
    sheet, rows = filled_survey(tmp_path)

    rejected = import_file(db_url, "survey", sheet, accept_valid=False)
    assert (rejected.status, rejected.refused) == ("rejected", len(BAD))
    details = [refusal.detail for refusal in rejected.refusals]
    for detail, words in zip(details, BAD.values(), strict=True):
        assert words in detail and "None" not in detail, detail
    with session_scope(db_url) as session:
        assert session.execute(select(func.count(PriceObservation.id))).scalar() == 0

    accepted = import_file(db_url, "survey", sheet, accept_valid=True)
    assert (accepted.status, accepted.imported) == ("succeeded", rows - len(BAD))
