"""Gather the quarterly PPNE edition's facts: rounds of the family cost, extras, size factors.

Quarters come from publications/quarters.py (three months averaged) until the costing
stores quarterly periods itself; only `_quarterly` below would then change.
"""

from __future__ import annotations

from importlib.metadata import version as package_version

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from basket.presets import preset
from core.errors import NoData
from core.models import AgeSexGroup
from core.queries.costs import costs_in_effect_frame
from core.regions import region_by_code
from core.settings import Settings
from publications.editions.ppne import QuarterFacts
from publications.facts import Release, release_dates
from publications.quarters import parse_quarter, quarter_months, quarterly_costs
from services.protocol import costing_protocol
from services.publication_facts import DEFAULT_CONTACT, rests_on_demo, stored_method

# The PPNE's own convention (basket/presets.py): a year of 365 days, a month of a 12th.
PPNE_PRESET = "ppne"


def _quarterly(stored: pd.DataFrame) -> pd.DataFrame:
    """Return every scope's cost per quarter from the stored monthly costs."""
    monthly = stored[stored["period"].str.match(r"^\d{4}-\d{2}$")]
    return quarterly_costs(monthly, ["scope"])


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
    stored = costs_in_effect_frame(session, found.id)
    for column in ("weekly_cost", "monthly_cost", "imputed_share"):
        stored[column] = stored[column].astype(float)
    quarters = _quarterly(stored)
    family = quarters[quarters["scope"] == "family"].reset_index(drop=True)
    if family.empty:
        raise NoData(f"no basket cost computed for region {region!r}")
    if period is None:
        period = str(family["period"].max())
    parse_quarter(period)
    if period not in set(family["period"]):
        raise NoData(f"no basket cost computed for region {region!r} in quarter {period}")
    release_date, next_release = release_dates(period)
    groups = _labelled(session, quarters[quarters["period"] == period])
    convention = preset(PPNE_PRESET)
    return QuarterFacts(
        region_code=region,
        region_name=found.name,
        period=period,
        release=Release(
            period, release_date, next_release, contact or DEFAULT_CONTACT, package_version("ppne")
        ),
        rounds=family[family["period"] <= period].drop(columns="scope"),
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
