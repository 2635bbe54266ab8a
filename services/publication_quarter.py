"""Gather the quarterly PPNE edition's facts: rounds of the family cost, extras, size factors.

A round is read as the costing stored it (`PPNE_COSTING_FREQUENCY=quarter ppne compute`).
A database holding only monthly costs has its rounds formed from the stored months by the
rule the costing, the API and the trends use for that (basket/periods.py quarterly_costs),
so the edition never averages on its own.
"""

from __future__ import annotations

from importlib.metadata import version as package_version

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from basket.periods import is_quarter, quarter_months, quarterly_costs
from basket.presets import preset
from core.errors import InvalidInput, NoData
from core.models import AgeSexGroup
from core.queries.costs import costs_in_effect_frame
from core.regions import region_by_code, region_name_in
from core.settings import Settings
from publications.editions.common import PARTIAL_ROUND
from publications.editions.ppne import QuarterFacts
from publications.facts import Release, release_dates
from services.protocol import costing_protocol
from services.publication_facts import rests_on_demo, stored_method

# The PPNE's own convention (basket/presets.py): a year of 365 days, a month of a 12th.
PPNE_PRESET = "ppne"
ROUND_COLUMNS = ["scope", "period", "weekly_cost", "monthly_cost", "status", "warning",
                 "imputed_share", "months", "stored"]  # fmt: skip


def rounds_of(stored: pd.DataFrame) -> pd.DataFrame:
    """Return every scope's cost per round: stored rounds first, the rest formed from months.

    Args:
        stored: costs_in_effect_frame's rows (months and rounds, withheld ones included).

    Returns:
        scope, period (YYYY-Qn), weekly_cost, monthly_cost, status, warning, imputed_share,
        months (how many months the round rests on), stored (True: read as the costing stored
        it), by scope and period.
    """
    quarterly = stored["period"].map(is_quarter).astype(bool)
    rounds = stored[quarterly].assign(
        months=stored.loc[quarterly, "warning"].map(_months_in_reason), stored=True
    )
    monthly = stored[~quarterly].assign(warning=stored.loc[~quarterly, "warning"].fillna(""))
    formed = quarterly_costs(monthly, ["scope"]) if not monthly.empty else pd.DataFrame()
    if not formed.empty:
        formed = formed.assign(
            imputed_share=[
                _imputed_share(monthly, s, p)
                for s, p in zip(formed["scope"], formed["period"], strict=True)
            ],
            months=formed["months"].map(lambda text: len(text.split(",")) if text else 0),
            stored=False,
        )
        kept = ~formed.set_index(["scope", "period"]).index.isin(
            rounds.set_index(["scope", "period"]).index
        )
        formed = formed[kept]
    found = [frame[ROUND_COLUMNS] for frame in (rounds, formed) if not frame.empty]
    if not found:
        return pd.DataFrame(columns=ROUND_COLUMNS)
    both = pd.concat(found, ignore_index=True)
    return both.sort_values(["scope", "period"], ignore_index=True)


def _months_in_reason(reason: object) -> int:
    found = PARTIAL_ROUND.search(str(reason or ""))
    return int(found.group(1)) if found else 3


def _imputed_share(monthly: pd.DataFrame, scope: str, period: str) -> float:
    # The mean over the priced months, as GET /v1/costs gives a round formed from months.
    months = monthly[(monthly["scope"] == scope) & monthly["period"].isin(quarter_months(period))]
    priced = months[months["weekly_cost"].notna()]
    return float(priced["imputed_share"].mean()) if not priced.empty else 0.0


def _labelled(session: Session, quarter: pd.DataFrame) -> pd.DataFrame:
    """Return a quarter's group costs by group code with their names, in the groups' order."""
    groups = pd.DataFrame(
        session.execute(
            select(AgeSexGroup.code, AgeSexGroup.label_fr, AgeSexGroup.label_en).order_by(
                AgeSexGroup.id
            )
        ).all(),
        columns=["scope", "label_fr", "label_en"],
    )
    return groups.merge(quarter.drop(columns="period"), on="scope").set_index("scope")


def quarter_facts(
    session: Session,
    settings: Settings,
    region: str,
    period: str | None,
    contact: str | None = None,
) -> QuarterFacts:
    """Return what the quarterly edition prints for a region and quarter (latest by default).

    Raises:
        RegionNotFound; InvalidInput: the period is not YYYY-Qn; NoData: no cost that quarter.
    """
    found = region_by_code(session, region)
    assert found.id is not None
    stored = costs_in_effect_frame(session, found.id, include_withheld=True)
    for column in ("weekly_cost", "monthly_cost", "imputed_share"):
        stored[column] = stored[column].astype(float)
    quarters = rounds_of(stored)
    family = quarters[quarters["scope"] == "family"].reset_index(drop=True)
    if family.empty:
        raise NoData(f"no basket cost computed for region {region!r}")
    if period is None:
        period = str(family["period"].max())
    if not is_quarter(period):
        raise InvalidInput(f"a quarter is written YYYY-Qn, e.g. 2026-Q3; got {period!r}")
    if period not in set(family["period"]):
        raise NoData(f"no basket cost computed for region {region!r} in quarter {period}")
    release_date, next_release = release_dates(period)
    groups = _labelled(session, quarters[quarters["period"] == period])
    convention = preset(PPNE_PRESET)
    return QuarterFacts(
        region_code=region,
        region_name=found.name,
        region_name_en=region_name_in(found.name, found.name_en, "en"),
        period=period,
        release=Release(period, release_date, next_release, contact, package_version("ppne")),
        rounds=family[family["period"] <= period].drop(columns="scope").reset_index(drop=True),
        groups=groups,
        size_factors=list(costing_protocol(settings).size_factors),
        monthly_per_week=convention.monthly_per_week,
        daily_per_week=convention.daily_per_week(),
        demo=rests_on_demo(session, quarter_months(period)[-1]),
        # The PPNE conversion with the deployment's family (the quarter's figures use both).
        method=stored_method(
            session, pd.Series({"preset": PPNE_PRESET}), settings.reference_family
        ),
    )
