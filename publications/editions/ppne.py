"""The quarterly release in the PPNE's form: the family of four, extras, household sizes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from publications.editions.common import figure, signed_money
from publications.editions.files import EditionFiles, write_html_and_pdf
from publications.editions.languages import write_languages
from publications.facts import Method, Release
from publications.i18n import Language
from publications.tables import write_csv

PAGES = (2, 4)
# Extra monthly costs the PPNE prints: (group, compared with, sentence msgid).
EXTRAS = (
    ("pregnant_19_50", "female_19_50"),
    ("breastfeeding_19_50", "female_19_50"),
    ("infant_6_11", None),
)


@dataclass(frozen=True)
class QuarterFacts:
    """Everything the quarterly edition prints about one region and quarter."""

    region_code: str
    region_name: str  # French
    region_name_en: str
    period: str  # YYYY-Qn
    release: Release
    # period (YYYY-Qn), weekly_cost, monthly_cost, status, warning, imputed_share, months (the
    # months priced), stored (False: formed from stored months): the family's rounds up to
    # this one (services/publication_quarter.py rounds_of).
    rounds: pd.DataFrame
    # By group code: label_fr, label_en, weekly_cost, monthly_cost, months, imputed_share,
    # status, this quarter, in the groups' order.
    groups: pd.DataFrame
    size_factors: list[tuple[int, float]]
    monthly_per_week: float  # the PPNE conversion actually used
    daily_per_week: float
    demo: bool
    cpi_geo: str | None = None  # the quarterly edition shows no CPI
    method: Method = field(default_factory=Method)

    def region_in(self, lang: str) -> str:
        """Return the region's name in a language (fr or en)."""
        return self.region_name if lang == "fr" else self.region_name_en


def write_ppne_edition(facts: QuarterFacts, out_dir: Path, langs: tuple[str, ...]) -> EditionFiles:
    """Write the quarterly PPNE release in each language, with its rounds as CSV."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = EditionFiles("ppne", out_dir)
    stem = f"ppne-{facts.region_code}-{facts.period}"
    rounds = facts.rounds.assign(monthly_cost_ppne=facts.rounds["weekly_cost"]
                                 * facts.monthly_per_week)  # fmt: skip
    data = write_csv(rounds, out_dir / f"{stem}-rounds.csv")
    files.add(data)

    def write_one(files: EditionFiles, lang: Language) -> None:
        title = lang.gettext("Nutritious food basket, {region}: {quarter}").format(
            region=facts.region_in(lang.code), quarter=lang.quarter(facts.period)
        )
        write_html_and_pdf(
            files, facts, lang, "editions/ppne.html.j2", stem, PAGES,  # type: ignore[arg-type]
            title=title, **ppne_context(facts, lang), data_file=data.name,
        )  # fmt: skip

    write_languages(files, langs, write_one)
    return files


def _monthly(facts: QuarterFacts, weekly: float) -> float:
    return weekly * facts.monthly_per_week


def ppne_context(facts: QuarterFacts, lang: Language) -> dict[str, Any]:
    """The figures of the quarterly release, as printed in `lang`."""
    rounds = facts.rounds.reset_index(drop=True)
    current = rounds.iloc[-1]
    weekly = float(current["weekly_cost"])
    changes = []
    for label, row in ((lang.gettext("over the last round"), rounds.iloc[-2] if len(rounds) > 1
                        else None), (lang.gettext("since the base round"), rounds.iloc[0]
                        if len(rounds) > 1 else None)):  # fmt: skip
        if row is None or not row["weekly_cost"]:
            continue
        changes.append({"label": label, "since": lang.quarter(str(row["period"])),
                        "value": lang.change(weekly / float(row["weekly_cost"]) - 1)})  # fmt: skip
    return {
        "family": {
            "monthly": figure(lang, _monthly(facts, weekly), current),
            "per_person_day": figure(
                lang, weekly * facts.daily_per_week / facts.method.persons, current
            ),
            "months": lang.number(int(current["months"])),
        },
        "rounds_stored": bool(current["stored"]),
        "changes": changes,
        "rounds": [
            {
                "quarter": lang.quarter(str(row["period"])),
                "monthly": figure(lang, _monthly(facts, float(row["weekly_cost"])), row),
            }
            for row in rounds.to_dict("records")
        ],
        "extras": _extras(facts, lang),
        "groups": [
            {
                "group": lang.label(str(row["label_fr"]), str(row["label_en"])),
                "weekly": figure(lang, float(row["weekly_cost"]), row),
                "monthly": figure(lang, _monthly(facts, float(row["weekly_cost"])), row),
            }
            for row in facts.groups.to_dict("records")
        ],
        "sizes": [
            {
                "size": lang.number(size),
                "factor": lang.number(factor, 2),
                "effect": lang.change(factor - 1),
            }
            for size, factor in facts.size_factors
        ],
        "monthly_per_week": lang.number(facts.monthly_per_week, 4),
        "daily_per_week": lang.number(facts.daily_per_week, 4),
    }


def _extras(facts: QuarterFacts, lang: Language) -> list[dict[str, Any]]:
    names = {
        "pregnant_19_50": lang.gettext("Pregnant woman, 19 to 50 years"),
        "breastfeeding_19_50": lang.gettext("Breastfeeding woman, 19 to 50 years"),
        "infant_6_11": lang.gettext("Infant, 6 to 11 months"),
    }
    rows = []
    for code, compared in EXTRAS:
        if code not in facts.groups.index:
            continue
        row = facts.groups.loc[code]
        extra = float(row["weekly_cost"])
        if compared is not None and compared in facts.groups.index:
            extra -= float(facts.groups.loc[compared]["weekly_cost"])
        shown = figure(lang, _monthly(facts, extra), row)
        text = shown.text if row["status"] == "withheld" else signed_money(
            lang, _monthly(facts, extra))  # fmt: skip
        rows.append({"who": names[code], "extra": text, "mark": shown.mark})
    return rows
