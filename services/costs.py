"""The stored cost of the reference family or an age-sex group in a region, for a period
(month or PPNE round) or a range of them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

import pandas as pd
from pydantic import BaseModel, Field
from sqlalchemy import exists, select
from sqlmodel import Session

from basket.coverage import PUBLISHED, STATUSES
from basket.periods import (
    is_quarter,
    month_to_quarter,
    normalise_period,
    quarter_months,
    quarterly_costs,
)
from basket.text import daily_divisor, monthly_rule
from core.basket_versions import first_month
from core.errors import InvalidInput, NoData
from core.models import AgeSexGroup, Region
from core.money import to_money
from core.queries.costs import costs_in_effect_frame
from core.queries.geo import regions_frame
from core.regions import region_by_code, region_name_in
from services.revision_cache import RevisionCache

CURRENCY = "CAD"
FAMILY = "family"


def money_text(value: object) -> str | None:
    """Return money as a two-decimal string ("216.11"); None for a missing figure."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, Decimal):
        return f"{value.quantize(Decimal('0.01')):.2f}"
    return f"{to_money(float(value)):.2f}"  # type: ignore[arg-type]


def published_status(status: object) -> str:
    """Return a stored status in today's words ("ok", stored before 0013, is "published")."""
    text = str(status or "")
    return PUBLISHED if text in ("", "ok") else text


class FamilyCost(BaseModel):
    """The reference family's (or one age-sex group's) basket cost in one region and period,
    as it was stored."""

    region: str = Field(description="Region code", examples=["montreal"])
    region_name: str
    group: str = Field(
        default=FAMILY, description='"family" or the age-sex group code the cost is of'
    )
    period: str = Field(
        description="Month YYYY-MM, or PPNE round YYYY-Qn (Q4 opens with the October survey)",
        examples=["2026-11", "2026-Q4"],
    )
    months: list[str] = Field(description="The months the figure rests on")
    basket_version: str = Field(description="Basket version in effect for the period")
    currency: str = CURRENCY
    weekly_cost: str | None = Field(
        description="Weekly cost of the reference family, two decimals; null when withheld",
        examples=["216.11"],
    )
    monthly_cost: str | None = Field(
        description=f"Monthly cost: {monthly_rule('nfb')} with the nfb preset, "
        f"{monthly_rule('ppne')} with ppne (see preset); null when withheld",
        examples=["935.76"],
    )
    per_person_per_day: str | None = Field(
        default=None,
        description="Weekly cost divided by the preset's person-days (the family's members "
        "x 7 days, or as the ppne preset counts them; 7 for one group); null when withheld",
        examples=["7.72"],
    )
    status: str = Field(
        description="published, warning (published with a caveat), imputed (no store of its "
        "own: its parent's prices) or withheld (not to be quoted)",
        examples=list(STATUSES),
    )
    reason: str | None = Field(description="Why the figure is not plainly published")
    warning: str | None = Field(description="Same as reason (kept for earlier clients)")
    stores_priced: int = Field(description="Stores of the region with at least one price")
    items_priced: int = Field(description="Basket items with a price in the region")
    items_total: int = Field(description="Items in the basket")
    item_share: float | None = Field(description="Share of the basket's items priced")
    cost_share: float | None = Field(
        description="Share of the cost priced, items weighted by the previous period's prices"
    )
    imputed_share: float = Field(
        description="Share of the cost resting on imputed (carried-forward or parent) prices"
    )
    source_region: str | None = Field(
        description="Region whose prices were used, when the region has no store of its own"
    )
    preset: str = Field(description="Conversion preset the cost was computed with")
    family: list[str] | None = Field(
        description="Age-sex group of each family member the cost sums; "
        "null for costs computed before it was recorded"
    )
    computed_at: str | None = None


class RegionOut(BaseModel):
    """A region costs are computed for, with its parent, named in French and English."""

    code: str
    name: str = Field(description="The French name (kept for earlier clients: same as name_fr)")
    name_fr: str = Field(description="The French name, as officially spelled")
    name_en: str = Field(
        description="The English name: the French one where English usage keeps it (boroughs)"
    )
    level: str
    parent_code: str | None


# Answers by region, period and group, kept until `ppne compute` stores costs again.
_cost_cache: RevisionCache[list[FamilyCost]] = RevisionCache(512)


def family_cost(
    session: Session,
    region: str,
    period: str | None = None,
    group: str = FAMILY,
    default_family: Sequence[str] = (),
) -> FamilyCost:
    """Return the stored cost of the family (or a group) in a region for a period (the
    latest when None).

    A quarter not stored as such is formed from its stored months (basket/periods.py
    quarterly_costs: the mean of the priced months, flagged when fewer than three).

    Args:
        default_family: the members a family cost stored before they were recorded beside
            it is divided by, per person per day.

    Raises:
        InvalidInput: the period is not YYYY-MM, YYYY-Qn or a named survey round.
        RegionNotFound, NoData: unknown region, or nothing computed for it and the period.
    """
    arguments = ("one", region, period, group, tuple(default_family))
    (answer,) = _cost_cache.get_or_build(
        session, arguments, lambda: [_family_cost(session, region, period, group, default_family)]
    )
    return answer


def _family_cost(
    session: Session, region: str, period: str | None, group: str, default_family: Sequence[str]
) -> FamilyCost:
    asked = normalise_period(period) if period else None
    found, stored = _stored_scope(session, region, group)
    if asked is None:
        order = stored["period"].map(lambda p: (first_month(p), is_quarter(p)))
        asked = str(stored.loc[order.idxmax(), "period"])
    row = _row_for(stored, asked)
    if row is None:
        raise NoData(f"no basket cost computed for region {region!r} and period {asked}")
    return _view(found, group, asked, row, _region_codes(session), default_family)


def cost_series(
    session: Session,
    region: str,
    group: str = FAMILY,
    period_from: str | None = None,
    period_to: str | None = None,
    frequency: str | None = None,
    default_family: Sequence[str] = (),
) -> list[FamilyCost]:
    """Return the stored costs of the family (or a group) in a region from one period to
    another, by month or by PPNE round, oldest first; periods without a figure are left out.

    The frequency is that of the bounds when not given (a round in either: quarters).
    Rounds not stored as such are formed from their months, as family_cost forms them.

    Raises:
        InvalidInput: a bound not a period, or `period_from` after `period_to`.
        RegionNotFound, NoData: unknown region, or nothing computed for it.
    """
    first, last = check_range(period_from, period_to)
    arguments = ("series", region, group, first, last, frequency, tuple(default_family))
    return _cost_cache.get_or_build(
        session,
        arguments,
        lambda: _cost_series(session, region, group, first, last, frequency, default_family),
    )


def _cost_series(
    session: Session,
    region: str,
    group: str,
    first: str | None,
    last: str | None,
    frequency: str | None,
    default_family: Sequence[str],
) -> list[FamilyCost]:
    if frequency is None:
        frequency = "quarter" if any(p and is_quarter(p) for p in (first, last)) else "month"
    found, stored = _stored_scope(session, region, group)
    periods = stored["period"].astype(str)
    months = periods[~periods.map(is_quarter)]
    if frequency == "quarter":
        candidates = set(periods[periods.map(is_quarter)]) | set(month_to_quarter(months))
    else:
        candidates = set(months)
    low = first_month(first) if first else None
    high = _last_month(last) if last else None
    kept = sorted(
        period
        for period in candidates
        if (low is None or _last_month(period) >= low)
        and (high is None or first_month(period) <= high)
    )
    codes = _region_codes(session)
    views = []
    for period in kept:
        row = _row_for(stored, period)
        if row is not None:
            views.append(_view(found, group, period, row, codes, default_family))
    return views


def check_range(period_from: str | None, period_to: str | None) -> tuple[str | None, str | None]:
    """Return the bounds of a range as periods; raise InvalidInput if the first is after.

    A round and a month compare by their months: 2026-Q4 to 2026-10 holds October.
    """
    first = normalise_period(period_from) if period_from else None
    last = normalise_period(period_to) if period_to else None
    if first and last and first_month(first) > _last_month(last):
        raise InvalidInput(f"from {first} is after to {last}")
    return first, last


def _last_month(period: str) -> str:
    return quarter_months(period)[-1] if is_quarter(period) else period


def _stored_scope(session: Session, region: str, group: str) -> tuple[Region, pd.DataFrame]:
    found = region_by_code(session, region)
    assert found.id is not None
    stored = costs_in_effect_frame(session, found.id, include_withheld=True)
    stored = stored[stored["scope"] == group]
    if stored.empty:
        whose = "" if group == FAMILY else f" of group {group!r}"
        raise NoData(f"no basket cost{whose} computed for region {region!r}: run `ppne compute`")
    return found, stored


def check_group(session: Session, group: str) -> str:
    """Return the group if it is "family" or an age-sex group code; raise InvalidInput else."""
    if (
        group != FAMILY
        and not session.execute(select(exists().where(AgeSexGroup.code == group))).scalar()
    ):
        raise InvalidInput(f"group {group!r} is neither family nor an age-sex group code")
    return group


def _view(
    found: Region,
    group: str,
    asked: str,
    row: dict[str, object],
    codes: dict[int, str],
    default_family: Sequence[str],
) -> FamilyCost:
    source = row.get("source_region_id")
    lent = None
    if source is not None and not pd.isna(source) and int(source) != found.id:
        lent = codes.get(int(source))
    reason = str(row.get("warning") or "") or None
    preset_name = str(row["preset"])
    members = _family(row.get("family")) or list(default_family)
    persons = 1 if group != FAMILY else len(members)
    per_day = None
    weekly = row["weekly_cost"]
    if persons and weekly is not None and not pd.isna(weekly):  # type: ignore[call-overload]
        per_day = money_text(float(weekly) / daily_divisor(preset_name, persons))  # type: ignore[arg-type]
    return FamilyCost(
        region=found.code,
        region_name=found.name,
        group=group,
        period=asked,
        months=str(row.get("months") or asked).split(",") if is_quarter(asked) else [asked],
        basket_version=str(row["basket_version"]),
        weekly_cost=money_text(row["weekly_cost"]),
        monthly_cost=money_text(row["monthly_cost"]),
        per_person_per_day=per_day,
        status=published_status(row["status"]),
        reason=reason,
        warning=reason,
        stores_priced=int(row["stores_priced"]),
        items_priced=int(row["items_priced"]),
        items_total=int(row["items_total"]),
        item_share=_share(row.get("item_share")),
        cost_share=_share(row.get("cost_share")),
        imputed_share=float(row["imputed_share"]),
        source_region=lent,
        preset=preset_name,
        family=_family(row.get("family")) if group == FAMILY else None,
        computed_at=_when(row.get("computed_at")),
    )


def _row_for(stored: pd.DataFrame, period: str) -> dict[str, object] | None:
    exact = stored[stored["period"] == period]
    if not exact.empty:
        return dict(exact.iloc[-1].to_dict())
    if not is_quarter(period):
        return None
    months = stored[stored["period"].isin(quarter_months(period))]
    if months.empty:
        return None
    quarter = quarterly_costs(months, ["scope"]).iloc[0].to_dict()
    # Counts and shares of the latest priced month (or the latest month) stand for the round.
    priced = months[months["weekly_cost"].notna()]
    latest = (priced if not priced.empty else months).sort_values("period").iloc[-1].to_dict()
    imputed = priced["imputed_share"].mean() if not priced.empty else latest["imputed_share"]
    return {**latest, **quarter, "imputed_share": imputed}


def _family(value: object) -> list[str] | None:
    # NULL before migration 0007: unknown, never today's setting.
    if value is None or (isinstance(value, float) and math.isnan(value)) or not value:
        return None
    return str(value).split(",")


def _when(value: object) -> str | None:
    # A round formed from months was computed when its latest month was.
    return value.isoformat() if hasattr(value, "isoformat") else None


def _share(value: object) -> float | None:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    return round(float(value), 4)  # type: ignore[arg-type]


def _region_codes(session: Session) -> dict[int, str]:
    from core.queries.geo import region_tree_frame

    tree = region_tree_frame(session)
    return {int(r): str(c) for r, c in zip(tree["region_id"], tree["code"], strict=True)}


def list_regions(session: Session) -> list[RegionOut]:
    """List the regions costs are computed for, with their parents and both names."""
    frame = regions_frame(session).astype(object).where(lambda f: f.notna(), None)
    return [
        RegionOut.model_validate(
            {
                **row,
                "name_fr": row["name"],
                "name_en": region_name_in(row["name"], row["name_en"], "en"),
            }
        )
        for row in frame.to_dict("records")
    ]


# The columns of a cost list in CSV and Parquet, with their Table Schema types; the months
# and the family's groups are joined by commas there.
COST_COLUMNS = {
    "region": "string", "region_name": "string", "group": "string", "period": "string",
    "months": "string", "basket_version": "string", "currency": "string",
    "weekly_cost": "decimal", "monthly_cost": "decimal", "per_person_per_day": "decimal",
    "status": "string", "reason": "string", "warning": "string", "stores_priced": "integer",
    "items_priced": "integer", "items_total": "integer", "item_share": "number",
    "cost_share": "number", "imputed_share": "number", "source_region": "string",
    "preset": "string", "family": "string", "computed_at": "string",
}  # fmt: skip


def flat_cost_row(cost: FamilyCost) -> dict[str, object]:
    """Return a cost as one flat row of COST_COLUMNS (lists joined by commas)."""
    row = cost.model_dump(mode="json")
    row["months"] = ",".join(cost.months)
    row["family"] = None if cost.family is None else ",".join(cost.family)
    return {name: row[name] for name in COST_COLUMNS}
