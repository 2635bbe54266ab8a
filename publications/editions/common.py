"""What every edition shows alike: headline figures, status marks, tables and the about box.

Each function turns facts into strings in one language; templates only place them.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from publications.categories import category_label
from publications.facts import (
    EditionFacts,
)
from publications.i18n import N_, Language

LICENCE = N_("Creative Commons Attribution 4.0 International (CC BY 4.0)")
LEVEL_NAMES = {
    "province": N_("province"),
    "metro": N_("metropolitan area"),
    "city": N_("city"),
    "borough": N_("borough"),
    "neighbourhood": N_("neighbourhood"),
}
LEVEL_ORDER = ("province", "metro", "city", "borough", "neighbourhood")
# How the costing names the months a partial round rests on, in its reason (basket/engine.py
# and basket/periods.py write the same words): "2 of 3 months priced (2026-10, 2026-11)".
PARTIAL_ROUND = re.compile(r"(\d) of 3 months priced \(([^)]*)\)")
EDITION_NAMES = {
    "bulletin": N_("Monthly bulletin"),
    "press": N_("Press release"),
    "brief": N_("Policy brief"),
    "ppne": N_("Quarterly PPNE release"),
}


@dataclass(frozen=True)
class Figure:
    """A figure as printed, and the mark saying it is withheld, imputed or thin."""

    text: str
    mark: str = ""


def figure(lang: Language, amount: float | None, row: Mapping[Hashable, Any]) -> Figure:
    """Return money as the reader should see it: withheld figures are never shown as numbers."""
    status = str(row.get("status") or "ok")
    if status == "withheld":
        return Figure(lang.gettext("withheld"), lang.gettext("too few stores to publish"))
    return Figure(lang.money(amount), status_mark(lang, row))


def status_mark(lang: Language, row: Mapping[Hashable, Any]) -> str:
    """Say why a figure is less sure: a round of fewer than three months, few stores, imputed
    prices."""
    notes = []
    status = str(row.get("status") or "ok")
    months = row.get("months")
    partial = months is not None and not pd.isna(months) and int(months) < 3
    if partial:
        notes.append(lang.gettext("{count} of 3 months priced").format(count=int(months)))
    # A partial round is a warning of its own: "few stores" only when the reason says more.
    other_reasons = PARTIAL_ROUND.sub("", str(row.get("warning") or "")).strip(" ;")
    if status == "warning" and (not partial or other_reasons):
        notes.append(lang.gettext("few stores"))
    imputed = row.get("imputed_share")
    if isinstance(imputed, float) and imputed > 0:
        notes.append(lang.gettext("{share} imputed").format(share=lang.share(imputed)))
    return "; ".join(notes)


def headline(facts: EditionFacts, lang: Language) -> dict[str, Any]:
    """The three headline figures and the changes beside the food CPI."""
    row = facts.row()
    weekly = float(row["weekly_cost"])
    changes = []
    for column, label in (("change_previous", N_("over one month")),
                          ("change_year", N_("over one year"))):  # fmt: skip
        value = row.get(column)
        if value is None or pd.isna(value):
            continue
        months = 1 if column == "change_previous" else 12
        changes.append(
            {
                "label": lang.gettext(label),
                "value": lang.change(float(value)),
                "cpi": _cpi_change(facts, lang, months),
            }
        )
    return {
        "monthly": figure(lang, float(row["monthly_cost"]), row),
        "weekly": figure(lang, weekly, row),
        "per_person_day": figure(lang, weekly / facts.method.daily_divisor, row),
        "changes": changes,
    }


def _cpi_change(facts: EditionFacts, lang: Language, months: int) -> str | None:
    series = facts.series.set_index("period")["cpi"].astype(float)
    periods = list(series.index)
    at = periods.index(facts.period)
    if at - months < 0:
        return None
    before, after = series.iloc[at - months], series.iloc[at]
    if pd.isna(before) or pd.isna(after) or not before:
        return None
    return lang.change(after / before - 1)


def territory_rows(facts: EditionFacts, lang: Language) -> list[dict[str, Any]]:
    """One row per region costed in the period, from the province down to neighbourhoods."""
    frame = facts.territories
    rank = frame["region_level"].map({level: i for i, level in enumerate(LEVEL_ORDER)})
    names = frame["region_name"] if lang.code == "fr" else frame["region_name_en"]
    ordered = frame.assign(_rank=rank.fillna(len(LEVEL_ORDER)), _name=names).sort_values(
        ["_rank", "_name"]
    )
    return [
        {
            "region": str(row["_name"]),
            "level": lang.gettext(LEVEL_NAMES.get(str(row["region_level"]), "")),
            "weekly": figure(lang, row["weekly_cost"], row),
            "monthly": figure(lang, row["monthly_cost"], row),
            "stores": lang.number(row["stores_priced"]),
            "items_priced": f"{lang.number(row['items_priced'])}/{lang.number(row['items_total'])}",
        }
        for row in ordered.to_dict("records")
    ]


def group_rows(facts: EditionFacts, lang: Language) -> list[dict[str, Any]]:
    """One row per age-sex group (pregnancy and breastfeeding included)."""
    return [
        {
            "group": lang.label(str(row["label_fr"]), str(row["label_en"])),
            "weekly": figure(lang, row["weekly_cost"], row),
            "monthly": figure(lang, row["monthly_cost"], row),
            "state": str(row["state"]),
        }
        for row in facts.groups.to_dict("records")
    ]


def driver_rows(facts: EditionFacts, lang: Language) -> list[dict[str, str]]:
    """The food categories by their contribution to the month's change, largest first."""
    ordered = facts.drivers.sort_values(["contribution_points", "category"],
                                        ascending=[False, True])  # fmt: skip
    return [
        {
            "category": category_label(lang, str(row["category"])),
            "start": lang.money(row["cost_start"] * facts.method.weeks_per_month),
            "end": lang.money(row["cost_end"] * facts.method.weeks_per_month),
            "points": lang.points(row["contribution_points"]),
        }
        for row in ordered.to_dict("records")
    ]


def move_rows(facts: EditionFacts, lang: Language) -> list[dict[str, str]]:
    """The items whose monthly cost for the family moved most, in dollars and in %."""
    return [
        {
            "item": lang.label(str(row["name_fr"]), str(row["name_en"])),
            "category": category_label(lang, str(row["category"])),
            "change": signed_money(lang, float(row["change"]) * facts.method.weeks_per_month),
            "ratio": lang.change(float(row["change_ratio"])),
        }
        for row in facts.item_moves.to_dict("records")
    ]


def signed_money(lang: Language, value: float) -> str:
    """Money with its sign: "+1,20 $", "-$0.40"."""
    return ("+" if value > 0 else "-" if value < 0 else "") + lang.money(abs(value))


def about(facts: EditionFacts, lang: Language, edition: str) -> dict[str, str]:
    """Release date, next release, contact, licence and how to cite."""
    release = facts.release
    period_name = lang.quarter(facts.period) if "-Q" in facts.period else lang.month(facts.period)
    citation = lang.gettext(
        "PPNE ({year}). Cost of the nutritious food basket, {region}, {period}. {edition}, "
        "released {date}. ppne version {version}."
    ).format(year=release.release_date.year, region=facts.region_in(lang.code), period=period_name,
             edition=lang.gettext(EDITION_NAMES[edition]), date=lang.day(release.release_date),
             version=release.version)  # fmt: skip
    return {
        "edition": lang.gettext(EDITION_NAMES[edition]),
        "period": period_name,
        "released": lang.day(release.release_date),
        "next_release": lang.day(release.next_release),
        "contact": release.contact or "",
        # No contact given: a mark the reader sees, never an invented address.
        "contact_missing": lang.gettext("to be completed") if not release.contact else "",
        "licence": lang.gettext(LICENCE),
        "citation": citation,
    }


def data_table(facts: EditionFacts) -> pd.DataFrame:
    """The downloadable table beside an edition: every region's figures of the period."""
    columns = [
        *("region_code", "region_name", "region_name_en", "region_level", "weekly_cost"),
        "monthly_cost",
        *("stores_priced", "items_priced", "items_total", "imputed_share", "status"),
    ]
    table = facts.territories[columns].copy()
    table.insert(0, "period", facts.period)
    withheld = table["status"] == "withheld"
    table.loc[withheld, ["weekly_cost", "monthly_cost"]] = None
    return table.sort_values("region_code").reset_index(drop=True)
