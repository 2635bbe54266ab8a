"""GET /v1/costs: the stored cost of the reference family or an age-sex group in a region,
for a period or a range of them (by month or PPNE round), with its coverage and status."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from api.deps import SessionDep, SettingsDep
from api.errors import ERROR_RESPONSES
from api.formats import Format, FormatParam, Separator, SepParam, chosen_format, streamed
from api.parameters import checked, naming, refused
from basket.periods import normalise_period
from services.costs import (
    COST_COLUMNS,
    FAMILY,
    FamilyCost,
    check_group,
    check_range,
    cost_series,
    family_cost,
    flat_cost_row,
)

router = APIRouter(tags=["costs"], responses=ERROR_RESPONSES)


class CostList(BaseModel):
    """The costs of a range of periods, oldest first."""

    rows: list[FamilyCost]


@router.get("/v1/costs", response_model=FamilyCost | CostList)
def costs(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    region: Annotated[str, Query(description="Region code, e.g. montreal, lachine")] = "montreal",
    period: Annotated[
        str | None,
        Query(
            description="Month YYYY-MM, PPNE round YYYY-Qn (2026-Q4 opens with the October "
            "survey) or a round by name (octobre 2026); the latest if omitted"
        ),
    ] = None,
    group: Annotated[
        str, Query(description='"family" (the reference family) or an age-sex group code')
    ] = FAMILY,
    period_from: Annotated[
        str | None,
        Query(alias="from", description="First period of a range: YYYY-MM or YYYY-Qn"),
    ] = None,
    period_to: Annotated[
        str | None, Query(alias="to", description="Last period of a range: YYYY-MM or YYYY-Qn")
    ] = None,
    frequency: Annotated[
        Literal["month", "quarter"] | None,
        Query(description="A range by month or by PPNE round; that of its bounds if omitted"),
    ] = None,
    format: FormatParam = None,
    sep: SepParam = Separator.comma,
) -> Response:
    """Return the weekly, monthly and per-person-per-day basket cost of the reference family
    (or one age-sex group) in a region, for a period or, with `from`, `to` or `frequency`,
    for every period of a range (a list under `rows`).

    Each figure is the one stored by the basket version in effect for its period, with the
    family, preset and version that produced it, its coverage (stores and items priced,
    shares of the items and cost priced) and its status: published, warning, imputed (a
    territory without a store of its own, priced with its parent's prices) or withheld (too
    little of the basket priced: no figure, only the reason). Money is a two-decimal string.
    A quarter not stored as such is the mean of its stored months. In CSV, NDJSON and
    Parquet the answer is rows, one per period.
    """
    # Each value checked on its own, so that a refusal names its parameter.
    for name, value in (("period", period), ("from", period_from), ("to", period_to)):
        if value:
            checked(name, normalise_period, value)
    with naming("group"):
        check_group(session, group)
    family = settings.reference_family
    ranged = bool(period_from or period_to or frequency)
    if ranged and period:
        raise refused("period", "give either period or a range (from, to, frequency)")
    if ranged:
        with naming("from"):
            check_range(period_from, period_to)
        found = cost_series(session, region, group, period_from, period_to, frequency, family)
    else:
        found = [family_cost(session, region, period, group, family)]
    chosen = chosen_format(request, format)
    if chosen is Format.json:
        answer = CostList(rows=found) if ranged else found[0]
        body = answer.model_dump_json()
        return Response(body, media_type="application/json")
    if chosen is Format.ndjson:
        rows = [cost.model_dump(mode="json") for cost in found]
    else:
        rows = [flat_cost_row(cost) for cost in found]
    return streamed([rows], COST_COLUMNS, chosen, "costs", sep)
