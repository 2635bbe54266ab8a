"""The policy brief: affordability scenarios with sourced incomes; the basket against the CPI."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from publications.charts import write_charts
from publications.editions.common import group_rows, headline
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


def write_brief(facts: EditionFacts, out_dir: Path, langs: tuple[str, ...]) -> EditionFiles:
    """Write the policy brief of `facts` in each language, with its scenarios as CSV."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = EditionFiles("brief", out_dir)
    stem = f"brief-{facts.region_code}-{facts.period}"
    data = write_csv(facts.scenarios, out_dir / f"{stem}-scenarios.csv")
    files.add(data)

    def write_one(files: EditionFiles, lang: Language) -> None:
        charts = write_charts(facts, lang, out_dir, only=("cost-over-time",))
        files.add(charts["cost-over-time"].png)
        title = lang.gettext("Can households afford a nutritious diet? {region}, {month}").format(
            region=facts.region_in(lang.code), month=lang.month(facts.period)
        )
        write_html_and_pdf(
            files, facts, lang, "editions/brief.html.j2", stem, PAGES,
            title=title, headline=headline(facts, lang), chart=charts["cost-over-time"],
            scenarios=scenario_rows(facts, lang), scenario_sources=scenario_sources(facts),
            comparisons=basket_against_cpi(facts, lang), groups=group_rows(facts, lang),
            pregnancy=pregnancy_extra(facts, lang), data_file=data.name,
        )  # fmt: skip

    write_languages(files, langs, write_one)
    return files


def basket_against_cpi(facts: EditionFacts, lang: Language) -> list[dict[str, str]]:
    """The basket's change and the food CPI's over a month, a year and the whole series."""
    series = facts.series.reset_index(drop=True)
    end = int(series.index[series["period"] == facts.period][0])
    spans = [(1, lang.gettext("over one month")), (12, lang.gettext("over one year"))]
    if end > 0:
        first = lang.month(str(series["period"].iloc[0]))
        spans.append((end, lang.gettext("since {month}").format(month=first)))
    rows = []
    for months, label in dict(spans).items():
        if months > end:
            continue
        start = series.iloc[end - months]
        now = series.iloc[end]
        rows.append(
            {
                "span": label,
                "basket": lang.change(_ratio(start["weekly_cost"], now["weekly_cost"])),
                "cpi": lang.change(_ratio(start["cpi"], now["cpi"])),
            }
        )
    return rows


def _ratio(before: object, after: object) -> float | None:
    if before is None or after is None or pd.isna(before) or pd.isna(after) or not before:
        return None
    return float(after) / float(before) - 1  # type: ignore[arg-type]


def pregnancy_extra(facts: EditionFacts, lang: Language) -> str | None:
    """What pregnancy adds to a woman's monthly basket (19 to 50), when both are costed."""
    costs = facts.groups.set_index("code")["monthly_cost"]
    if "pregnant_19_50" not in costs or "female_19_50" not in costs:
        return None
    extra = float(costs["pregnant_19_50"]) - float(costs["female_19_50"])
    return lang.gettext(
        "Pregnancy adds {extra} a month to a woman's basket (19 to 50 years)."
    ).format(extra=lang.money(extra))
