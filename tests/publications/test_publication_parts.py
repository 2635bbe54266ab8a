"""The parts of the editions that need no database: figures per locale, quarters, item moves,
the release schedule, the catalogues and the dated files (XLSX)."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.pofile import read_po

from core.errors import InvalidInput
from publications.editions.common import status_mark
from publications.editions.files import EditionFiles
from publications.editions.languages import write_languages
from publications.facts import biggest_moves, release_dates
from publications.i18n import LOCALE_DIR, Language, language, languages
from publications.tables import FIXED_DOC_TIME, write_xlsx
from services.publication_quarter import rounds_of


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_money_numbers_and_months_follow_each_locale() -> None:
    french, english = language("fr"), language("en")
    assert plain(french.money(1234.56)) == "1 234,56 $"
    assert english.money(1234.56) == "$1,234.56"
    assert plain(french.change(0.0123)) == "+1,2 %" and english.change(-0.008) == "-0.8%"
    assert plain(french.change(0.0004)) == "0,0 %"  # no sign on a change that rounds to zero
    assert french.month("2026-08") == "août 2026" and english.month("2026-08") == "August 2026"
    assert french.day(date(2026, 12, 10)) == "10 décembre 2026"
    assert english.day(date(2026, 12, 10)) == "December 10, 2026"
    assert french.money(float("nan")) == "n.d." and english.money(None) == "n/a"
    assert languages(None) == ("fr", "en")
    with pytest.raises(InvalidInput):
        languages("de")


def test_every_sentence_of_the_french_catalogue_is_translated() -> None:
    path = LOCALE_DIR / "fr" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale="fr_CA")
    untranslated = [message.id for message in catalogue if message.id and not message.string]
    assert untranslated == []
    assert len(catalogue) > 100


def test_stored_rounds_are_read_and_missing_ones_formed_from_the_stored_months() -> None:
    stored = pd.DataFrame(
        {
            "scope": ["family"] * 6,
            "period": ["2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-Q3"],
            "weekly_cost": [200.0, 210.0, 226.0, 230.0, 232.0, 231.37],
            "monthly_cost": [866.0, 909.3, 978.6, 995.9, 1004.6, 1001.83],
            "status": ["ok", "warning", "ok", "ok", "ok", "warning"],
            "warning": [
                None,
                "few stores",
                None,
                None,
                None,
                "2 of 3 months priced (2026-07, 2026-08)",
            ],
            "imputed_share": [0.0, 0.3, 0.0, 0.0, 0.0, 0.1],
        }
    )
    rounds = rounds_of(stored).set_index("period")
    # Q2 has no stored round: the mean of its months, by the costing's own rule.
    assert rounds.loc["2026-Q2", "weekly_cost"] == pytest.approx(212.0)
    assert rounds.loc["2026-Q2", "status"] == "warning"
    assert rounds.loc["2026-Q2", "imputed_share"] == pytest.approx(0.1)
    assert (rounds.loc["2026-Q2", "months"], rounds.loc["2026-Q2", "stored"]) == (3, False)
    # Q3 is stored: read as stored, not the mean of its months (231.0), its months counted.
    assert rounds.loc["2026-Q3", "weekly_cost"] == 231.37
    assert (rounds.loc["2026-Q3", "months"], rounds.loc["2026-Q3", "stored"]) == (2, True)
    english = language("en")
    assert (
        status_mark(english, rounds.loc["2026-Q3"].to_dict())
        == "2 of 3 months priced; 10.0% imputed"
    )
    assert plain(status_mark(language("fr"), rounds.loc["2026-Q2"].to_dict())) == (
        "peu de magasins; 10,0 % imputé"
    )


def test_a_round_with_no_month_priced_is_withheld() -> None:
    stored = pd.DataFrame(
        {
            "scope": ["family"] * 2,
            "period": ["2026-01", "2026-02"],
            "weekly_cost": [float("nan"), float("nan")],
            "monthly_cost": [float("nan"), float("nan")],
            "status": ["withheld", "withheld"],
            "warning": ["too few items", "too few items"],
            "imputed_share": [0.0, 0.0],
        }
    )
    assert rounds_of(stored)["status"].tolist() == ["withheld"]


def test_biggest_moves_rank_items_by_their_change_in_dollars() -> None:
    costs = pd.DataFrame(
        {
            "code": ["a", "a", "b", "b", "c", "c"],
            "name_fr": ["A", "A", "B", "B", "C", "C"],
            "period": ["2026-09", "2026-10"] * 3,
            "weekly_cost": [10.0, 10.5, 4.0, 2.0, 1.0, 1.1],
        }
    )
    moves = biggest_moves(costs, "2026-09", "2026-10", count=2)
    assert moves["code"].tolist() == ["b", "a"]
    assert moves["change"].tolist() == pytest.approx([-2.0, 0.5])
    assert moves["change_ratio"].tolist() == pytest.approx([-0.5, 0.05])
    assert moves["name_fr"].tolist() == ["B", "A"]


def test_release_dates_follow_a_fixed_schedule() -> None:
    assert release_dates("2026-11") == (date(2026, 12, 10), date(2027, 1, 10))
    assert release_dates("2026-Q4") == (date(2027, 1, 10), date(2027, 4, 10))


def test_an_xlsx_carries_no_date_of_its_writing(tmp_path: Path) -> None:
    path = write_xlsx({"t": pd.DataFrame({"a": [1, 2]})}, tmp_path / "t.xlsx")
    with zipfile.ZipFile(path) as workbook:
        assert {info.date_time for info in workbook.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = workbook.read("docProps/core.xml").decode()
    assert core.count(FIXED_DOC_TIME) == 2


def test_withheld_and_imputed_figures_are_never_plain_numbers() -> None:
    from publications.editions.common import figure

    french, english = language("fr"), language("en")
    withheld = figure(french, 935.76, {"status": "withheld", "imputed_share": 0.0})
    assert withheld.text == "non publié" and "935" not in withheld.text
    assert figure(english, 935.76, {"status": "withheld"}).text == "withheld"
    imputed = figure(english, 935.76, {"status": "warning", "imputed_share": 0.125})
    assert imputed.text == "$935.76"
    assert imputed.mark == "few stores; 12.5% imputed"
    assert figure(english, 935.76, {"status": "ok", "imputed_share": 0.0}).mark == ""


def test_a_language_written_in_a_forked_process_reports_its_files_and_its_failure(
    tmp_path: Path,
) -> None:
    def write_one(files: EditionFiles, lang: Language) -> None:
        path = tmp_path / f"{lang.code}.txt"
        path.write_text(lang.code, encoding="utf-8")
        files.add(path)

    files = EditionFiles("test", tmp_path)
    write_languages(files, ("fr", "en"), write_one, parallel=True)
    assert files.files == [tmp_path / "fr.txt", tmp_path / "en.txt"]
    assert (tmp_path / "en.txt").read_text(encoding="utf-8") == "en"

    def english_fails(files: EditionFiles, lang: Language) -> None:
        if lang.code == "en":
            raise ValueError("no English today")

    with pytest.raises(RuntimeError, match="the en edition failed: ValueError: no English today"):
        write_languages(EditionFiles("test", tmp_path), ("fr", "en"), english_fails, parallel=True)
