"""Gather what an edition prints from the database: costs, trend, drivers, moves, groups, demo.

Each reader here is an existing query or use case; this module only puts their answers in
the frames publications/facts.py documents, for one region and month.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib.metadata import version as package_version

import pandas as pd
from sqlalchemy import exists, select
from sqlmodel import Session

from basket.group_costs import category_weekly_costs
from basket.households import household_size_factor
from basket.presets import preset
from basket.text import daily_divisor
from core.errors import InvalidInput, NoData
from core.models import AgeSexGroup, BasketItem, PriceObservation
from core.queries.costs import costs_in_effect_frame, family_costs_frame
from core.queries.geo import regions_frame
from core.queries.trends import trend_frames
from core.regions import region_by_code, region_name_in
from publications.facts import EditionFacts, Method, Release, biggest_moves, release_dates
from services.trends import build_trend, stored_members

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
DEMO_COLLECTOR = "demo"  # the spider of the bundled demo store website (collectors/spiders/demo.py)


def checked_month(period: str) -> str:
    """Return a YYYY-MM period, or raise InvalidInput naming the expected form."""
    if not _MONTH.match(period):
        raise InvalidInput(f"a month is written YYYY-MM, e.g. 2026-11; got {period!r}")
    return period


def edition_facts(
    session: Session,
    region: str,
    period: str | None,
    family: Sequence[str],
    contact: str | None = None,
    scenarios: pd.DataFrame | None = None,
) -> EditionFacts:
    """Return what a monthly edition prints for a region and month (its latest by default).

    Raises:
        RegionNotFound: the region is unknown. InvalidInput: the period is malformed.
        NoData: no family cost is stored for the region in that period.
    """
    found = region_by_code(session, region)
    assert found.id is not None
    costs = family_costs_frame(session, frequency="month")  # PPNE rounds are the ppne edition's
    own = costs[costs["region_code"] == region]
    if period is None:
        if own.empty:
            raise NoData(f"no basket cost computed for region {region!r}")
        period = str(own["period"].max())
    checked_month(period)
    if period not in set(own["period"]):
        raise NoData(f"no basket cost computed for region {region!r} in period {period}")
    trend = build_trend(session, region, family, period_to=period)
    series = _series(trend, own)
    previous = series[series["period"] < period]["period"]
    start = str(previous.iloc[-1]) if not previous.empty else None
    drivers = [d for d in trend.drivers if d.start == start and d.end == period]
    release_date, next_release = release_dates(period)
    return EditionFacts(
        region_code=region,
        region_name=found.name,
        region_name_en=region_name_in(found.name, found.name_en, "en"),
        period=period,
        release=Release(period, release_date, next_release, contact, package_version("ppne")),
        series=series,
        cpi_geo=trend.cpi.geo,
        drivers=_drivers(drivers[0].categories if drivers else []),
        drivers_start=start if drivers else None,
        item_moves=_item_moves(session, region, start, period, family),
        groups=group_costs(session, found.id, period),
        territories=with_english_names(session, costs[costs["period"] == period]),
        demo=rests_on_demo(session, period),
        scenarios=scenarios if scenarios is not None else pd.DataFrame(),
        method=stored_method(session, own[own["period"] == period].iloc[-1], family),
    )


def with_english_names(session: Session, territories: pd.DataFrame) -> pd.DataFrame:
    """Return the territories with region_name_en (the French name where English keeps it)."""
    names = regions_frame(session)[["code", "name", "name_en"]]
    english = {
        str(code): region_name_in(str(fr), en if isinstance(en, str) else None, "en")
        for code, fr, en in names.itertuples(index=False)
    }
    found = territories["region_code"].map(english).fillna(territories["region_name"])
    return territories.assign(region_name_en=found).reset_index(drop=True)


def stored_method(session: Session, row: pd.Series, family: Sequence[str]) -> Method:
    """The conversions and family the stored figure was computed with (the settings' family
    and the NFB preset for costs stored before they were recorded beside it)."""
    preset_name = str(row.get("preset") or "nfb")
    if preset_name in ("", "nan", "None"):
        preset_name = "nfb"
    stored_family = str(row.get("family") or "")
    members = stored_family.split(",") if stored_family not in ("", "nan", "None") else list(family)
    labels = dict(
        (code, (label_fr, label_en))
        for code, label_fr, label_en in session.execute(
            select(AgeSexGroup.code, AgeSexGroup.label_fr, AgeSexGroup.label_en)
        ).all()
    )
    return Method(
        weeks_per_month=preset(preset_name).monthly_per_week,
        persons=len(members),
        daily_divisor=daily_divisor(preset_name, len(members)),
        members_fr=tuple(labels.get(code, (code, code))[0] for code in members),
        members_en=tuple(labels.get(code, (code, code))[1] for code in members),
    )


def _series(trend, own: pd.DataFrame) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    frame = pd.DataFrame(
        [
            {
                "period": point.period,
                "weekly_cost": float(point.weekly_cost),
                "monthly_cost": float(point.monthly_cost),
                "status": point.status,
                # The trend gives changes in %; the editions work in ratios.
                "change_previous": _ratio(point.change_previous),
                "change_year": _ratio(point.change_year),
                "cpi": point.cpi,
                "cpi_index": point.cpi_index,
                "index": point.index,
            }
            for point in trend.series
        ]
    )
    shares = own.set_index("period")["imputed_share"].astype(float)
    frame["imputed_share"] = frame["period"].map(shares).fillna(0.0)
    return frame


def _ratio(percent: float | None) -> float:
    return float("nan") if percent is None else percent / 100


def _drivers(categories: list) -> pd.DataFrame:  # type: ignore[type-arg]
    columns = ["category", "cost_start", "cost_end", "change", "contribution_points"]
    return pd.DataFrame(
        [
            [
                c.category,
                float(c.cost_start),
                float(c.cost_end),
                float(c.change),
                c.contribution_points,
            ]
            for c in categories
        ],
        columns=columns,
    )


def _item_moves(
    session: Session, region: str, start: str | None, end: str, family: Sequence[str]
) -> pd.DataFrame:
    """Return the items whose cost for the family moved most from the month before."""
    empty = pd.DataFrame(columns=["code", "name_fr", "name_en", "category", "cost_start",
                                  "cost_end", "change", "change_ratio"])  # fmt: skip
    if start is None:
        return empty
    frames = trend_frames(session, region)
    members = stored_members(frames.costs, "family", family)
    # Each item its own "category": the engine's category split then gives per-item costs.
    items = frames.items.assign(category=frames.items["code"])
    per_item = category_weekly_costs(
        frames.region_prices[frames.region_prices["period"].isin([start, end])],
        frames.quantities, items, members, household_size_factor(len(members)),
    )  # fmt: skip
    names = pd.DataFrame(
        session.execute(
            select(BasketItem.code, BasketItem.name_fr, BasketItem.name_en, BasketItem.category)
        ).all(),
        columns=["code", "name_fr", "name_en", "category"],
    ).drop_duplicates("code", keep="last")
    labelled = per_item.rename(columns={"category": "code"}).merge(names, on="code")
    return biggest_moves(labelled.drop(columns="region_id"), start, end)


def group_costs(session: Session, region_id: int, period: str) -> pd.DataFrame:
    """Return each age-sex group's stored cost in a region and period, in the groups' order."""
    costs = costs_in_effect_frame(session, region_id)
    costs = costs[(costs["period"] == period) & (costs["scope"] != "family")]
    groups = pd.DataFrame(
        session.execute(
            select(
                AgeSexGroup.code, AgeSexGroup.label_fr, AgeSexGroup.label_en, AgeSexGroup.state
            ).order_by(AgeSexGroup.id)
        ).all(),
        columns=["code", "label_fr", "label_en", "state"],
    )
    merged = groups.merge(costs.rename(columns={"scope": "code"}), on="code", how="inner")
    columns = ["code", "label_fr", "label_en", "state", "weekly_cost", "monthly_cost",
               "status", "imputed_share"]  # fmt: skip
    merged[["weekly_cost", "monthly_cost"]] = merged[["weekly_cost", "monthly_cost"]].astype(float)
    return merged[columns].reset_index(drop=True)


def rests_on_demo(session: Session, last_period: str) -> bool:
    """Say whether any price observed up to the end of `last_period` came from the demo stores."""
    year, month = (int(part) for part in last_period.split("-"))
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    statement = select(
        exists().where(
            PriceObservation.collector == DEMO_COLLECTOR, PriceObservation.observed_at < end
        )
    )
    return bool(session.execute(statement).scalar())
