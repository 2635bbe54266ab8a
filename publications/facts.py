"""What an edition says, as plain frames: gathered by services/publishing.py, read by editions.

Every figure an edition prints comes from one of these fields, so a test can check a PDF
against the same facts the edition was written from.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

PEOPLE_IN_REFERENCE_FAMILY = 4
DAYS_PER_WEEK = 7
# Canadian NFB practice (basket/presets.py): monthly = weekly x 4.33.
WEEKS_PER_MONTH = 4.33


@dataclass(frozen=True)
class Release:
    """When and by whom an edition is released, and what a reader cites."""

    period: str  # YYYY-MM, or YYYY-Qn for the quarterly edition
    release_date: date
    next_release: date
    contact: str | None  # None: the edition prints "to be completed"
    version: str  # the ppne version that wrote it, printed in the citation


@dataclass(frozen=True)
class Method:
    """The conversions behind the figures: from the preset and family stored with them.

    The defaults are the NFB's (x 4.33, a family of four, 28 person-days a week), for costs
    stored before the method was recorded beside them.
    """

    weeks_per_month: float = WEEKS_PER_MONTH
    persons: int = PEOPLE_IN_REFERENCE_FAMILY
    # What the weekly cost is divided by to give a cost per person per day.
    daily_divisor: float = PEOPLE_IN_REFERENCE_FAMILY * DAYS_PER_WEEK
    # The family's members as the groups' French and English labels.
    members_fr: tuple[str, ...] = ()
    members_en: tuple[str, ...] = ()


@dataclass(frozen=True)
class EditionFacts:
    """Everything an edition prints about one region and period."""

    region_code: str
    region_name: str  # French
    region_name_en: str
    period: str
    release: Release
    # period, weekly_cost, monthly_cost, status, imputed_share, change_previous,
    # change_year (ratios), cpi, cpi_index, index: the region's family series up to `period`.
    series: pd.DataFrame
    cpi_geo: str | None
    # category, cost_start, cost_end, change, contribution_points (of % change): the month's.
    drivers: pd.DataFrame
    drivers_start: str | None
    # code, name_fr, name_en, category, cost_start, cost_end, change, change_ratio: per item,
    # weekly cost for the family between the month before and this one.
    item_moves: pd.DataFrame
    # code, label_fr, label_en, state, weekly_cost, monthly_cost, status, imputed_share.
    groups: pd.DataFrame
    # region_code, region_name (French), region_name_en, region_level, weekly_cost,
    # monthly_cost, stores_priced, items_priced, items_total, imputed_share, status: every
    # region costed in `period`.
    territories: pd.DataFrame
    # True when any price behind these figures was read from the bundled demo stores.
    demo: bool
    # scenario, members, pregnant, monthly_income, income_source, monthly_rent, rent_source,
    # monthly_food, money_left, rent_share, food_share: affordability scenarios.
    scenarios: pd.DataFrame = field(default_factory=pd.DataFrame)
    method: Method = field(default_factory=Method)

    def row(self, period: str | None = None) -> pd.Series:
        """Return the series row of a period (this edition's by default)."""
        wanted = period or self.period
        found = self.series[self.series["period"] == wanted]
        return found.iloc[0]

    def region_in(self, lang: str) -> str:
        """Return the region's name in a language (fr or en)."""
        return self.region_name if lang == "fr" else self.region_name_en

    def with_scenarios(self, scenarios: pd.DataFrame) -> EditionFacts:
        """Return these facts with costed affordability scenarios."""
        return replace(self, scenarios=scenarios)

    @property
    def previous_period(self) -> str | None:
        earlier = self.series[self.series["period"] < self.period]["period"]
        return str(earlier.iloc[-1]) if not earlier.empty else None


def biggest_moves(item_costs: pd.DataFrame, start: str, end: str, count: int = 8) -> pd.DataFrame:
    """Return the items whose weekly cost moved most (in dollars) from `start` to `end`.

    Args:
        item_costs: code, period, weekly_cost, with any label columns kept alongside.

    Returns:
        the label columns, cost_start, cost_end, change, change_ratio; largest move first,
        ties by code so the order never depends on the database.
    """
    labels = [c for c in item_costs.columns if c not in ("period", "weekly_cost", "region_id")]
    wide = item_costs.pivot_table(index="code", columns="period", values="weekly_cost")
    if start not in wide or end not in wide:
        return pd.DataFrame(columns=[*labels, "cost_start", "cost_end", "change", "change_ratio"])
    moves = pd.DataFrame({"cost_start": wide[start], "cost_end": wide[end]}).dropna()
    moves = moves[moves["cost_start"] > 0]
    moves["change"] = moves["cost_end"] - moves["cost_start"]
    moves["change_ratio"] = moves["cost_end"] / moves["cost_start"] - 1
    moves["size"] = moves["change"].abs()
    moves = moves.reset_index().sort_values(["size", "code"], ascending=[False, True])
    described = item_costs.drop_duplicates("code")[labels]
    top = moves.head(count).drop(columns="size").merge(described, on="code")
    return top[[*labels, "cost_start", "cost_end", "change", "change_ratio"]].reset_index(drop=True)


def next_month(period: str) -> str:
    """Return the YYYY-MM month after this one."""
    year, month = (int(part) for part in period.split("-"))
    index = year * 12 + month
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def release_dates(period: str, day_of_month: int = 10) -> tuple[date, date]:
    """Return the stated release date of a month's edition and of the next one.

    A month is released on the `day_of_month` of the month after it; a quarter (YYYY-Qn)
    on that day of the month after its last month. A fixed schedule, not the clock, so
    regenerating a past edition gives the same bytes.
    """
    if "-Q" in period:
        year, quarter = period.split("-Q")
        last = f"{year}-{int(quarter) * 3:02d}"
        after, then = next_month(last), next_month(next_month(next_month(next_month(last))))
    else:
        after, then = next_month(period), next_month(next_month(period))

    def on(month: str) -> date:
        year_, month_ = (int(part) for part in month.split("-"))
        return date(year_, month_, day_of_month)

    return on(after), on(then)
