"""Commands on computed costs: household cost, conversions, affordability, lineage, alerts."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from services.affordability import AffordabilityRow
    from services.conversions import CostFigures
    from services.households import HouseholdCost

# pandas, the database, the settings and the use cases are imported inside each command:
# `ppne --help` imports this module and must stay fast.

cost_app = typer.Typer(help="Household costs and conversions.", no_args_is_help=True)
console = Console()
PresetOption = Annotated[str, typer.Option(help="Conversions: nfb, usda or ppne")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON")]
FIGURES = ("weekly", "monthly", "annual", "per_person_per_day")


def _figures(figures: CostFigures | None) -> dict[str, str | None]:
    # Money as two-decimal strings; None (JSON null) for a withheld figure.
    if figures is None:
        return dict.fromkeys(FIGURES)
    return {name: f"{getattr(figures, name):.2f}" for name in FIGURES}


def household_json(cost: HouseholdCost, preset: str) -> dict[str, Any]:
    """Return a household cost as `ppne cost household --json` prints it (as GET /v1/households)."""
    from services.household_view import HouseholdCostView

    return HouseholdCostView.of(cost, preset).model_dump()


@cost_app.command("household")
def cost_household(
    members: Annotated[str, typer.Option(help='Members as SEX:AGE, e.g. "M:40,F:39,M:14,F:9"')],
    region: Annotated[str, typer.Option(help="Region code")] = "montreal",
    period: Annotated[
        str | None,
        typer.Option(help="Month YYYY-MM, round YYYY-Qn or octobre 2026; the latest by default"),
    ] = None,
    preset: PresetOption = "nfb",
    pregnant: Annotated[str | None, typer.Option(help="Pregnant members, by number")] = None,
    breastfeeding: Annotated[
        str | None, typer.Option(help="Breastfeeding members, by number")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Print a household's weekly, monthly, annual and per-person-per-day basket cost."""
    from core.db import session_scope
    from core.settings import get_settings
    from services.households import household_cost, member_numbers
    from services.protocol import costing_protocol

    protocol = costing_protocol(get_settings())
    with session_scope() as session:
        cost = household_cost(
            session,
            protocol,
            members,
            region,
            period,
            preset,
            member_numbers(pregnant),
            member_numbers(breastfeeding),
            allow_withheld=True,
        )
    if as_json:
        typer.echo(json.dumps(household_json(cost, preset), ensure_ascii=False))
        return
    console.print(
        f"{cost.region} {cost.period} (basket {cost.basket_version}, "
        f"preset {preset}): {', '.join(cost.members)}; size factor "
        f"{cost.size_factor:.2f}"
    )
    console.print(f"  status: {cost.status}")
    if cost.source_region:
        console.print(f"  prices of: {cost.source_region} (no store of its own)")
    for name, value in _figures(cost.figures).items():
        console.print(
            f"  {name.replace('_', ' ')}: {'withheld' if value is None else value + ' $'}"
        )
    console.print(f"  share resting on imputed prices: {cost.imputed_share:.1%}")
    for warning in cost.warnings:
        console.print(f"  reason: {warning}")


@cost_app.command("convert")
def cost_convert(
    persons: Annotated[int, typer.Option(help="People in the household")],
    weekly: Annotated[float | None, typer.Option(help="Weekly cost")] = None,
    monthly: Annotated[float | None, typer.Option(help="Monthly cost")] = None,
    annual: Annotated[float | None, typer.Option(help="Annual cost")] = None,
    preset: PresetOption = "nfb",
    as_json: JsonOption = False,
) -> None:
    """Print the weekly, monthly, annual and per-person-per-day figures of one cost."""
    from core.errors import InvalidInput
    from services.conversions import convert_cost

    given = {
        k: v
        for k, v in (("weekly", weekly), ("monthly", monthly), ("annual", annual))
        if v is not None
    }
    if len(given) != 1:
        raise InvalidInput("give exactly one of --weekly, --monthly or --annual")
    ((basis, amount),) = given.items()
    from basket.presets import check_amount

    check_amount(amount, basis)
    figures = _figures(convert_cost(amount, basis, persons, preset))
    if as_json:
        typer.echo(json.dumps({"preset": preset, "persons": persons, **figures}))
        return
    for name, value in figures.items():
        console.print(f"{name.replace('_', ' ')}: {value} $")


def afford(
    scenarios: Annotated[Path, typer.Option(help="CSV: scenario, members, monthly_income...")],
    region: Annotated[str, typer.Option(help="Region code")] = "montreal",
    period: Annotated[str | None, typer.Option(help="Period; the latest by default")] = None,
    preset: PresetOption = "nfb",
    as_json: JsonOption = False,
) -> None:
    """Print income, rent, basket cost, money left, rent and food as % of income."""

    from basket.affordability import AFFORDABILITY_COLUMNS
    from core.db import session_scope
    from core.settings import get_settings
    from services.affordability import affordability
    from services.protocol import costing_protocol

    protocol = costing_protocol(get_settings())
    with session_scope() as session:
        table = affordability(session, protocol, scenarios, region, period, preset)
    if as_json:
        typer.echo(json.dumps([afford_json(row) for row in table.rows], ensure_ascii=False))
        return
    out = Table(title=f"Affordability, {region}")
    for column in AFFORDABILITY_COLUMNS:
        out.add_column(column, justify="left" if column in ("scenario", "members") else "right")
    for row in table.rows:
        out.add_row(
            row.scenario,
            row.members,
            *(_number(getattr(row, c), "{:.2f}") for c in AFFORDABILITY_COLUMNS[2:6]),
            *(_number(getattr(row, c), "{:.1f}%") for c in AFFORDABILITY_COLUMNS[6:]),
        )
    console.print(out)


MONEY_COLUMNS = ("monthly_income", "monthly_rent", "monthly_food", "money_left")


def afford_json(row: AffordabilityRow) -> dict[str, Any]:
    """Return one scenario as `ppne afford --json` prints it: money as two-decimal strings."""
    from core.money import to_money

    fields = asdict(row)
    for column in MONEY_COLUMNS:
        value = fields[column]
        fields[column] = None if value is None else f"{to_money(value):.2f}"
    for column in ("rent_pct_income", "food_pct_income"):
        value = fields[column]
        fields[column] = None if value is None else round(value, 2)
    return {**fields, "currency": "CAD"}


def _number(value: float | None, layout: str) -> str:
    # The table printed "nan" where a share had no income to divide by; keep that.
    return layout.format(float("nan") if value is None else value)


def explain(
    region: Annotated[str, typer.Option(help="Region code")],
    period: Annotated[str, typer.Option(help="Period, YYYY-MM")],
    item: Annotated[str | None, typer.Option(help="One item code")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON, as GET /v1/lineage gives it")
    ] = False,
) -> None:
    """Print how a region's figure was obtained: items, stores, observations, imputations."""
    from core.db import session_scope
    from core.settings import get_settings
    from services.explain import explain as explain_figure
    from services.explain import lineage_view
    from services.protocol import costing_protocol

    protocol = costing_protocol(get_settings())
    with session_scope() as session:
        lineage = explain_figure(session, protocol, region, period, item)
    if as_json:
        typer.echo(json.dumps(lineage_view(lineage), ensure_ascii=False, indent=2))
        return
    out = Table(title=f"Lineage of {region}, {period} (basket {lineage.basket_version})")
    for header in ("item", "region $", "how", "from", "store", "store $", "obs", "product"):
        out.add_column(header)
    for row in lineage.rows:
        out.add_row(
            row.item,
            "" if row.region_price is None else f"{row.region_price:.2f}",
            row.imputation,
            f"{row.source_region} {row.source_period}" if row.source_region is not None else "",
            row.store or "",
            "" if row.store_price is None else f"{row.store_price:.2f}",
            "" if row.observation_id is None else str(row.observation_id),
            row.product or "",
        )
    console.print(out)
    # A price per kg or L: how it became the price of the item's purchase size.
    for row in lineage.rows:
        if row.conversion:
            console.print(f"{row.item}, obs {row.observation_id}: {row.conversion}", soft_wrap=True)


def alerts(
    period: Annotated[str, typer.Option(help="Month, YYYY-MM")],
    level: Annotated[str, typer.Option(help="store or region")] = "region",
    all_bands: Annotated[bool, typer.Option("--all", help="Also list normal series")] = False,
) -> None:
    """Print price-spike alerts: ALPS with 36+ monthly prices, a robust z-score otherwise."""
    from core.db import session_scope
    from services.alerts import stored_or_computed_alerts

    with session_scope() as session:
        found = stored_or_computed_alerts(session, period, level, all_bands)
    out = Table(title=f"Price alerts, {period}, by {level}")
    for header in (level, "item", "method", "months", "score", "band"):
        out.add_column(header)
    for alert in found:
        out.add_row(
            alert.entity,
            alert.item,
            alert.method,
            str(alert.months),
            f"{alert.score:.2f}",
            alert.band,
        )
    console.print(out)
    console.print(f"{len(found)} series in stress, alert or crisis" if not all_bands else "")
