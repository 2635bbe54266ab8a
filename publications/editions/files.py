"""What an edition wrote, and the steps every PDF edition shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from publications.editions.common import about, signed_money
from publications.facts import EditionFacts
from publications.i18n import Language
from publications.render import PdfLayout, render_html, write_pdf


@dataclass
class EditionFiles:
    """The files one edition wrote, and each PDF's layout (pages, last page fill)."""

    edition: str
    out_dir: Path
    files: list[Path] = field(default_factory=list)
    pdfs: dict[str, Path] = field(default_factory=dict)
    layouts: dict[str, PdfLayout] = field(default_factory=dict)

    def add(self, *paths: Path) -> None:
        self.files.extend(paths)

    def merge(self, other: EditionFiles) -> None:
        """Add what another writer of this edition wrote (a language written elsewhere)."""
        self.files.extend(other.files)
        self.pdfs.update(other.pdfs)
        self.layouts.update(other.layouts)

    @property
    def pdf(self) -> Path:
        """The PDF of the first language written (French when both are)."""
        return next(iter(self.pdfs.values()))

    @property
    def html(self) -> Path:
        """The HTML beside `pdf`."""
        return self.pdf.with_suffix(".html")


def method_context(facts: EditionFacts, lang: Language) -> dict[str, Any]:
    """The method's figures as every template prints them, in `lang`."""
    method = facts.method
    members = method.members_fr if lang.code == "fr" else method.members_en
    return {
        "weeks_per_month": lang.number(method.weeks_per_month, 3).rstrip("0").rstrip(",."),
        "daily_divisor": lang.number(method.daily_divisor, 3).rstrip("0").rstrip(",."),
        "persons": method.persons,
        "members": ", ".join(members),
    }


def write_html_and_pdf(
    files: EditionFiles,
    facts: EditionFacts,
    lang: Language,
    template: str,
    stem: str,
    pages: tuple[int, int],
    **context: Any,
) -> None:
    """Render an edition's template in `lang` to HTML and a PDF of `pages` pages."""
    context = {
        "demo": facts.demo,
        "about": about(facts, lang, files.edition),
        "region": facts.region_in(lang.code),
        "cpi_geo": facts.cpi_geo,
        **method_context(facts, lang),
        "data_file": None,
        **context,
    }
    pdf = files.out_dir / f"{stem}-{lang.code}.pdf"
    html = pdf.with_suffix(".html")

    def render(density: str, chart_mm: float) -> str:
        return render_html(template, lang, density=density, chart_mm=chart_mm, **context)

    charts = context.get("charts") or ({"one": context["chart"]} if "chart" in context else {})
    layout = write_pdf(
        render, files.out_dir, pdf, pages, facts.release.release_date, charts=len(charts)
    )
    html.write_text(render(layout.density, layout.chart_mm), encoding="utf-8")
    files.add(html, pdf)
    files.pdfs[lang.code] = pdf
    files.layouts[lang.code] = layout


def scenario_rows(facts: EditionFacts, lang: Language) -> list[dict[str, str]]:
    """Affordability scenarios as printed: income, rent, basket, money left, food share."""
    rows = []
    for row in facts.scenarios.to_dict("records"):
        left = row["money_left"]
        rows.append(
            {
                "scenario": lang.label(str(row["scenario_fr"]), str(row["scenario_en"])),
                "income": lang.money(row["monthly_income"]),
                "rent": lang.money(row["monthly_rent"]),
                "food": lang.money(row["monthly_food"]),
                "left": lang.na() if pd.isna(left) else signed_money(lang, float(left)),
                "rent_share": lang.share(row["rent_share"]),
                "food_share": lang.share(row["food_share"]),
            }
        )
    return rows


def scenario_sources(facts: EditionFacts) -> str:
    """The named sources of the scenarios' incomes and rents, each once, in order."""
    if facts.scenarios.empty:
        return ""
    named = [*facts.scenarios["income_source"], *facts.scenarios["rent_source"]]
    return "; ".join(dict.fromkeys(str(s) for s in named if isinstance(s, str) and s))
