"""The press kit: a one-page release, every chart as PNG and SVG, tables, key figures, method."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from publications.charts import write_charts
from publications.editions.common import (
    data_table,
    headline,
)
from publications.editions.files import EditionFiles, method_context, write_html_and_pdf
from publications.editions.languages import write_languages
from publications.facts import EditionFacts
from publications.i18n import Language
from publications.render import render_html
from publications.tables import write_csv, write_xlsx


def write_press_kit(facts: EditionFacts, out_dir: Path, langs: tuple[str, ...]) -> EditionFiles:
    """Write the press kit of `facts` into a folder of its own under `out_dir`."""
    folder = out_dir / f"press-{facts.region_code}-{facts.period}"
    for sub in ("charts", "tables"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    files = EditionFiles("press", folder)
    tables = press_tables(facts)
    for name, table in tables.items():
        files.add(write_csv(table, folder / "tables" / f"{name}.csv"))
    files.add(write_xlsx(tables, folder / "tables" / f"tables-{facts.period}.xlsx"))
    key_figures = folder / "key_figures.json"
    key_figures.write_text(json.dumps(key_figures_of(facts), indent=2, ensure_ascii=False,
                                      sort_keys=True) + "\n", encoding="utf-8")  # fmt: skip
    files.add(key_figures)

    def write_one(files: EditionFiles, lang: Language) -> None:
        code = lang.code
        charts = write_charts(facts, lang, folder / "charts", svg=True)
        for chart in charts.values():
            files.add(chart.png, *([chart.svg] if chart.svg else []))
        # The release shows the trend chart; its image sits in charts/, beside the HTML's folder.
        title = lang.gettext(
            "Feeding a family of {persons} cost {cost} a month in {region}"
        ).format(
            persons=facts.method.persons,
            cost=lang.money(float(facts.row()["monthly_cost"])),
            region=facts.region_in(lang.code),
        )
        write_html_and_pdf(
            files, facts, lang, "editions/press.html.j2", "release", (1, 1),
            title=title, headline=headline(facts, lang), chart=charts["cost-over-time"],
            chart_src=f"charts/{charts['cost-over-time'].png.name}",
        )  # fmt: skip
        method = folder / f"method-note-{code}.html"
        method.write_text(
            render_html("editions/method_note.html.j2", lang, title=lang.gettext("Method note"),
                        cpi_geo=facts.cpi_geo, **method_context(facts, lang)),
            encoding="utf-8",
        )  # fmt: skip
        files.add(method)

    write_languages(files, langs, write_one)
    return files


def press_tables(facts: EditionFacts) -> dict[str, pd.DataFrame]:
    """The tables of the kit, named as their files: territories, groups, drivers, item moves."""
    return {
        "territories": data_table(facts),
        "age-sex-groups": facts.groups.assign(period=facts.period),
        "category-drivers": facts.drivers.assign(start=facts.drivers_start, end=facts.period),
        "item-moves": facts.item_moves.assign(start=facts.drivers_start, end=facts.period),
        "series": facts.series,
    }


def key_figures_of(facts: EditionFacts) -> dict[str, Any]:
    """The headline figures as numbers, for newsrooms' own charts."""
    row = facts.row()
    withheld = row["status"] == "withheld"

    def number(value: Any, digits: int) -> float | None:
        return None if withheld or value is None or pd.isna(value) else round(float(value), digits)

    return {
        "region": facts.region_code,
        "region_name": facts.region_name,
        "region_name_en": facts.region_name_en,
        "period": facts.period,
        "release_date": facts.release.release_date.isoformat(),
        "next_release": facts.release.next_release.isoformat(),
        "currency": "CAD",
        "family_size": facts.method.persons,
        "monthly_cost_family": number(row["monthly_cost"], 2),
        "weekly_cost_family": number(row["weekly_cost"], 2),
        "per_person_per_day": number(float(row["weekly_cost"]) / facts.method.daily_divisor, 2),
        "change_over_month_pct": number(row["change_previous"] * 100, 1),
        "change_over_year_pct": number(row["change_year"] * 100, 1),
        "status": str(row["status"]),
        "imputed_share": round(float(row["imputed_share"]), 4),
        "demonstration_data": facts.demo,
        "food_cpi_geo": facts.cpi_geo,
    }
