"""The monthly bulletin: headline, trend, drivers, item moves, groups, territories, budgets."""

from __future__ import annotations

from pathlib import Path

from publications.charts import write_charts
from publications.editions.common import (
    data_table,
    driver_rows,
    group_rows,
    headline,
    move_rows,
    territory_rows,
)
from publications.editions.files import (
    EditionFiles,
    scenario_rows,
    scenario_sources,
    write_html_and_pdf,
)
from publications.editions.languages import write_languages
from publications.facts import EditionFacts
from publications.i18n import Language
from publications.tables import write_csv

PAGES = (2, 4)


def write_bulletin_edition(
    facts: EditionFacts, out_dir: Path, langs: tuple[str, ...]
) -> EditionFiles:
    """Write the bulletin of `facts` in each language (HTML, PDF, charts) and its data CSV."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = EditionFiles("bulletin", out_dir)
    stem = f"bulletin-{facts.region_code}-{facts.period}"
    data = write_csv(data_table(facts), out_dir / f"{stem}-data.csv")
    files.add(data)

    def write_one(files: EditionFiles, lang: Language) -> None:
        charts = write_charts(facts, lang, out_dir)
        files.add(*(chart.png for chart in charts.values()))
        title = lang.gettext("Cost of the nutritious food basket — {month}").format(
            month=lang.month(facts.period)
        )
        write_html_and_pdf(
            files, facts, lang, "editions/bulletin.html.j2", stem, PAGES,
            title=title,
            headline=headline(facts, lang),
            charts=charts,
            drivers=driver_rows(facts, lang),
            since=lang.month(facts.drivers_start) if facts.drivers_start else "",
            moves=move_rows(facts, lang),
            groups=group_rows(facts, lang),
            territories=territory_rows(facts, lang),
            scenarios=scenario_rows(facts, lang),
            scenario_sources=scenario_sources(facts),
            data_file=data.name,
        )  # fmt: skip

    write_languages(files, langs, write_one)
    return files
