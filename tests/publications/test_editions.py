"""The four editions written from a costed database: figures read back from the PDFs, each
language's wording, no mostly-blank page, the demo banner, and the same bytes twice."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pypdfium2
import pytest
from pypdf import PdfReader
from sqlalchemy import select, update
from typer.testing import CliRunner

from cli.main import app
from core.db import session_scope
from core.errors import InvalidInput, NoData, RegionNotFound
from core.models import AgeSexGroup, PriceObservation
from core.queries.costs import family_cost_row
from core.settings import get_settings
from publications.i18n import language
from services.publishing import EditionFiles, publish_edition

# The module's world is built once per worker that runs one of its tests: keep them on one
# worker (make test runs pytest with --dist loadgroup).
pytestmark = pytest.mark.xdist_group("test_editions")

REGION = "lachine"
MONTH = "2026-10"


@dataclass
class Written:
    """The editions of the module's world, written once."""

    out: Path
    bulletin: EditionFiles
    press: EditionFiles
    brief: EditionFiles
    ppne_out: Path
    again: EditionFiles  # the bulletin written a second time, elsewhere
    demo: EditionFiles  # the bulletin once the prices are marked as the demo stores'


def publish(edition: str, out: Path, **options: str) -> EditionFiles:
    with session_scope() as session:
        return publish_edition(session, get_settings(), edition, out, REGION, **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def written(world: str, tmp_path_factory: pytest.TempPathFactory) -> Written:
    out = tmp_path_factory.mktemp("editions")
    bulletin = publish("bulletin", out / "one")
    press = publish("press", out / "one")
    brief = publish("brief", out / "one", lang="en")
    ppne_out = out / "ppne"
    result = CliRunner().invoke(app, ["publish", "ppne", "--region", REGION, "--period",
                                      "2026-Q3", "--out", str(ppne_out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    again = publish("bulletin", out / "two")
    with session_scope() as session:
        session.execute(update(PriceObservation).values(collector="demo"))
        session.commit()
    try:
        demo = publish("bulletin", out / "demo", lang="en")
    finally:
        with session_scope() as session:
            session.execute(update(PriceObservation).values(collector="test"))
            session.commit()
    return Written(out, bulletin, press, brief, ppne_out, again, demo)


def pdf_pages(path: Path) -> list[str]:
    """Each page's text, spaces of every kind made one plain space."""
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in PdfReader(path).pages]


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def stored_family(period: str = MONTH) -> tuple[float, float]:
    with session_scope() as session:
        cost, _, _ = family_cost_row(session, REGION, period)
        return float(cost.weekly_cost), float(cost.monthly_cost)


def test_the_bulletin_prints_the_stored_cost_in_each_language(written: Written) -> None:
    weekly, monthly = stored_family()
    _, september = stored_family("2026-09")
    for code in ("fr", "en"):
        lang = language(code)
        text = " ".join(pdf_pages(written.bulletin.pdfs[code]))
        assert plain(lang.money(monthly)) in text
        assert plain(lang.money(weekly)) in text
        assert plain(lang.money(weekly / 28)) in text  # per person per day
        assert plain(lang.change(monthly / september - 1)) in text


def test_each_language_has_its_own_wording_and_stored_names(written: Written) -> None:
    french = " ".join(pdf_pages(written.bulletin.pdfs["fr"]))
    english = " ".join(pdf_pages(written.bulletin.pdfs["en"]))
    assert "Coût du panier à provisions nutritif — octobre 2026" in french
    assert "Cost of the nutritious food basket — October 2026" in english
    # Age-sex groups from their stored names, pregnancy and breastfeeding included.
    assert "Femme enceinte de 19 à 50 ans" in french and "Femme qui allaite" in french
    assert "Pregnant woman, 19 to 50 years" in english and "Pregnant woman" not in french
    # The October jump is in both seeded items, named as stored in each language.
    assert "Bananes" in french and "Bananas" in english
    assert "Comment citer" in french and "How to cite" in english
    assert "Prochaine diffusion : 10 décembre 2026" in french
    assert "Next release: December 10, 2026" in english
    assert "Sommaire" in french and "Page 1 de" in french and "Page 1 of" in english
    # Regions by their stored names: the English ones where English usage differs.
    assert "RMR de Montréal" in french and "Québec" in french and "Montreal CMA" not in french
    assert "Montreal CMA" in english and "Quebec" in english and "RMR de" not in english


def test_without_a_contact_the_edition_says_it_is_to_be_completed(written: Written) -> None:
    french = " ".join(pdf_pages(written.bulletin.pdfs["fr"]))
    english = " ".join(pdf_pages(written.bulletin.pdfs["en"]))
    assert "Contact à compléter" in french and "Contact to be completed" in english
    assert "@" not in french and "@" not in english  # no address made up


def test_the_contact_comes_from_the_option_or_the_setting(
    world: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PPNE_PUBLICATION_CONTACT", "media@example.org")
    get_settings.cache_clear()
    try:
        from_setting = publish("ppne", tmp_path / "setting", period="2026-Q3", lang="fr")
        given = publish("ppne", tmp_path / "option", period="2026-Q3", lang="en",
                        contact="press@example.org")  # fmt: skip
    finally:
        get_settings.cache_clear()
    french = " ".join(pdf_pages(from_setting.pdfs["fr"]))
    assert "media@example.org" in french and "à compléter" not in french
    assert "press@example.org" in " ".join(pdf_pages(given.pdfs["en"]))


def blank_share(image: object) -> float:
    """Share of the page in empty bands: runs of blank pixel rows taller than 4 % of the page.

    The gaps between lines of text are blank rows too, but no reader sees them as empty
    space; a band that tall is (about 12 mm on A4).
    """
    grey = image.convert("L")  # type: ignore[attr-defined]
    width, height = grey.size
    pixels = grey.load()
    blank_rows = [all(pixels[x, y] > 245 for x in range(0, width, 2)) for y in range(height)]
    band, empty = 0, 0
    for blank in [*blank_rows, False]:
        if blank:
            band += 1
            continue
        if band > 0.04 * height:
            empty += band
        band = 0
    return empty / height


def test_no_page_is_more_than_two_thirds_blank(written: Written) -> None:
    pdfs = [*written.bulletin.pdfs.values(), *written.press.pdfs.values(),
            *written.brief.pdfs.values(), *sorted(written.ppne_out.glob("*.pdf"))]  # fmt: skip
    for path in pdfs:
        document = pypdfium2.PdfDocument(path)
        try:
            assert 1 <= len(document) <= 4, path.name
            for index in range(len(document)):
                image = document[index].render(scale=0.4).to_pil()
                assert blank_share(image) <= 2 / 3, f"{path.name} page {index + 1}"
        finally:
            document.close()
    assert all(2 <= layout.pages <= 4 for layout in written.bulletin.layouts.values())
    assert all(layout.pages == 1 for layout in written.press.layouts.values())


def test_the_demo_banner_is_on_every_page_only_when_prices_come_from_the_demo(
    written: Written,
) -> None:
    banner = "DEMONSTRATION DATA"
    demo_pages = pdf_pages(written.demo.pdfs["en"])
    assert demo_pages and all(banner in page for page in demo_pages)
    assert not any(banner in page for page in pdf_pages(written.bulletin.pdfs["en"]))
    assert not any("DÉMONSTRATION" in page for page in pdf_pages(written.bulletin.pdfs["fr"]))
    key_figures = json.loads((written.press.out_dir / "key_figures.json").read_text("utf-8"))
    assert key_figures["demonstration_data"] is False


def test_writing_an_edition_twice_gives_the_same_bytes(written: Written) -> None:
    first = {path.name: path.read_bytes() for path in written.bulletin.files}
    second = {path.name: path.read_bytes() for path in written.again.files}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    # Dates inside come from the release schedule, never from the clock.
    today = datetime.now(UTC).strftime("%Y%m%d").encode()
    assert all(today not in content for content in first.values())


def test_languages_written_side_by_side_or_in_turn_give_the_same_bytes(
    written: Written, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The module's editions wrote English in a forked process where it could; in turn here.
    monkeypatch.setattr("publications.editions.languages.can_fork", lambda: False)
    in_turn = publish("bulletin", tmp_path)
    first = {path.name: path.read_bytes() for path in written.bulletin.files}
    assert [path.name for path in in_turn.files] == list(first)
    assert [path.name for path in in_turn.files if path.read_bytes() != first[path.name]] == []
    assert in_turn.layouts == written.bulletin.layouts


def test_the_press_kit_holds_release_charts_tables_and_key_figures(written: Written) -> None:
    folder = written.press.out_dir
    names = {path.relative_to(folder).as_posix() for path in written.press.files}
    for code in ("fr", "en"):
        assert {f"release-{code}.pdf", f"release-{code}.html", f"method-note-{code}.html"} <= names
        for chart in ("cost-over-time", "category-contributions", "item-moves",
                      "cost-by-territory"):  # fmt: skip
            assert {
                f"charts/{chart}-{MONTH}-{code}.png",
                f"charts/{chart}-{MONTH}-{code}.svg",
            } <= names
    assert {"tables/territories.csv", f"tables/tables-{MONTH}.xlsx", "key_figures.json"} <= names
    weekly, monthly = stored_family()
    key_figures = json.loads((folder / "key_figures.json").read_text("utf-8"))
    assert key_figures["monthly_cost_family"] == round(monthly, 2)
    assert key_figures["per_person_per_day"] == round(weekly / 28, 2)
    release = " ".join(pdf_pages(folder / "release-fr.pdf"))
    assert "Citation" in release and plain(language("fr").money(monthly)) in release
    svg = (folder / "charts" / f"cost-over-time-{MONTH}-en.svg").read_text("utf-8")
    assert "Source: PPNE basket costs" in svg  # the source line is on the chart itself


def test_the_brief_costs_the_scenarios_including_a_pregnant_woman(written: Written) -> None:
    text = " ".join(pdf_pages(written.brief.pdfs["en"]))
    assert "Single pregnant woman, social assistance" in text
    assert "CMHC" in text  # the named source of the rents
    table = (written.brief.out_dir / f"brief-{REGION}-{MONTH}-scenarios.csv").read_text("utf-8")
    assert "pregnant" in table.splitlines()[0]
    assert "The basket against the food CPI" in text


def test_the_ppne_edition_forms_rounds_from_stored_months_with_the_ppne_conversion(
    written: Written,
) -> None:
    # Only monthly costs are stored here: the round is the mean of its months.
    weeks = [stored_family(f"2026-{month:02d}")[0] for month in (7, 8, 9)]
    monthly = sum(weeks) / 3 * 365 / 7 / 12  # the PPNE's conversion, written out
    for code in ("fr", "en"):
        pdf = written.ppne_out / f"ppne-{REGION}-2026-Q3-{code}.pdf"
        text = " ".join(pdf_pages(pdf))
        assert plain(language(code).money(monthly)) in text
    assert "3e trimestre 2026" in " ".join(
        pdf_pages(written.ppne_out / f"ppne-{REGION}-2026-Q3-fr.pdf")
    )


def test_unknown_region_and_periods_are_errors(world: str, tmp_path: Path) -> None:
    with session_scope() as session:
        settings = get_settings()
        with pytest.raises(RegionNotFound):
            publish_edition(session, settings, "bulletin", tmp_path, "atlantis")
        with pytest.raises(NoData):
            publish_edition(session, settings, "bulletin", tmp_path, REGION, period="2031-01")
        with pytest.raises(InvalidInput):
            publish_edition(session, settings, "press", tmp_path, REGION, period="2026-13")
        with pytest.raises(InvalidInput):
            publish_edition(session, settings, "ppne", tmp_path, REGION, period="2026-10")
        with pytest.raises(NoData):
            publish_edition(session, settings, "ppne", tmp_path, REGION, period="2030-Q1")
        with pytest.raises(InvalidInput):
            publish_edition(session, settings, "bulletin", tmp_path, REGION, lang="de")
    assert not any(tmp_path.iterdir())


def test_the_method_text_is_computed_from_the_stored_preset_and_family(written: Written) -> None:
    french = " ".join(pdf_pages(written.bulletin.pdfs["fr"]))
    english = " ".join(pdf_pages(written.bulletin.pdfs["en"]))
    members = get_settings().reference_family
    with session_scope() as session:
        labels = dict(session.execute(select(AgeSexGroup.code, AgeSexGroup.label_fr)).all())
    # The NFB preset (x 4.33) and the settings' family of four: 4 x 7 person-days a week.
    assert "coût hebdomadaire × 4,33 ;" in french and "÷ 28 (4 personnes)" in french
    assert "weekly cost × 4.33;" in english and "÷ 28 (4 people)" in english
    assert "La famille de référence : " + ", ".join(labels[code] for code in members) in french
    assert "family of four" not in english and "famille de quatre" not in french
    key_figures = json.loads((written.press.out_dir / "key_figures.json").read_text("utf-8"))
    assert key_figures["family_size"] == len(members)
