"""Commands on computed costs: household cost, conversions, affordability, lineage, alerts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from basket.affordability import AFFORDABILITY_COLUMNS, affordability_table
from basket.alerts import price_alerts
from basket.households import assign_groups, household_weekly_costs, parse_members
from basket.lineage import explain_region
from basket.presets import convert
from basket.regional import eligible_store_prices
from core.db import session_scope
from core.errors import InvalidInput, NoData
from core.money import to_money
from core.queries.basket import age_sex_groups_frame, item_categories_frame, latest_version
from core.queries.costs import stored_costs_frame
from core.queries.geo import region_tree_frame, store_regions_frame, stores_frame
from core.queries.lineage import observation_sources_frame, region_prices_frame, store_prices_frame
from core.regions import region_by_code
from core.settings import get_settings
from services.protocol import costing_protocol

cost_app = typer.Typer(help="Household costs and conversions.", no_args_is_help=True)
console = Console()
PresetOption = Annotated[str, typer.Option(help="Conversions: nfb, usda or ppne")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON")]


def _numbers(text: str | None) -> list[int]:
    try:
        return [int(part) for part in (text or "").split(",") if part.strip()]
    except ValueError:
        raise InvalidInput(f"{text!r} is not a list of member numbers, e.g. 2 or 2,3") from None


def _money(value: float) -> str:
    return str(to_money(value))


def household_figures(
    members: str,
    region: str,
    period: str | None,
    preset: str = "nfb",
    pregnant: str | None = None,
    breastfeeding: str | None = None,
) -> dict[str, Any]:
    """Return a household's weekly, monthly, annual and per-person-per-day cost, with coverage."""
    people = parse_members(members, _numbers(pregnant), _numbers(breastfeeding))
    with session_scope() as session:
        version = latest_version(session)
        assert version.id is not None
        found = region_by_code(session, region)
        costs = stored_costs_frame(session, version.id, found.id)
        groups = age_sex_groups_frame(session)
    costs = costs[costs["scope"] != "family"]
    if costs.empty:
        raise NoData(f"no costs computed for region {region!r}: run `ppne compute`")
    period = period or str(costs["period"].max())
    in_period = costs[costs["period"] == period]
    if in_period.empty:
        raise NoData(f"no costs computed for region {region!r} and period {period}")
    people = assign_groups(people, groups)
    group_costs = in_period.rename(columns={"scope": "group_code"}).assign(
        imputed_cost=lambda f: f["weekly_cost"] * f["imputed_share"]
    )
    household = household_weekly_costs(
        group_costs, people["group_code"].tolist(), costing_protocol(get_settings()).size_factors
    )
    if household.empty:
        raise NoData(f"some members' groups have no cost in {region} for {period}")
    weekly = float(household["weekly_cost"].iloc[0])
    figures = convert(weekly, "weekly", len(people), preset)
    warnings = sorted({w for w in in_period["warning"].dropna() if w})
    return {
        "region": region,
        "period": period,
        "basket_version": version.code,
        "preset": preset,
        "members": people["group_code"].tolist(),
        "size_factor": float(household["size_factor"].iloc[0]),
        **{name: _money(value) for name, value in figures.items()},
        "imputed_share": round(float(household["imputed_cost"].iloc[0]) / weekly, 4)
        if weekly
        else 0.0,
        "warnings": warnings,
    }


@cost_app.command("household")
def cost_household(
    members: Annotated[str, typer.Option(help='Members as SEX:AGE, e.g. "M:40,F:39,M:14,F:9"')],
    region: Annotated[str, typer.Option(help="Region code")] = "montreal",
    period: Annotated[str | None, typer.Option(help="Period; the latest by default")] = None,
    preset: PresetOption = "nfb",
    pregnant: Annotated[str | None, typer.Option(help="Pregnant members, by number")] = None,
    breastfeeding: Annotated[
        str | None, typer.Option(help="Breastfeeding members, by number")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Print a household's weekly, monthly, annual and per-person-per-day basket cost."""
    figures = household_figures(members, region, period, preset, pregnant, breastfeeding)
    if as_json:
        typer.echo(json.dumps(figures, ensure_ascii=False))
        return
    console.print(
        f"{figures['region']} {figures['period']} (basket {figures['basket_version']}, "
        f"preset {preset}): {', '.join(figures['members'])}; size factor "
        f"{figures['size_factor']:.2f}"
    )
    for name in ("weekly", "monthly", "annual", "per_person_per_day"):
        console.print(f"  {name.replace('_', ' ')}: {figures[name]} $")
    console.print(f"  share resting on imputed prices: {figures['imputed_share']:.1%}")
    for warning in figures["warnings"]:
        console.print(f"  warning: {warning}")


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
    given = {k: v for k, v in (("weekly", weekly), ("monthly", monthly), ("annual", annual)) if v}
    if len(given) != 1:
        raise InvalidInput("give exactly one of --weekly, --monthly or --annual")
    ((basis, amount),) = given.items()
    figures = {
        name: _money(value) for name, value in convert(amount, basis, persons, preset).items()
    }
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
    if not scenarios.exists():
        raise InvalidInput(f"no scenarios file at {scenarios}")
    table = pd.read_csv(scenarios, dtype={"members": str})
    missing = {"scenario", "members", "monthly_rent"} - set(table.columns)
    if missing:
        raise InvalidInput(f"{scenarios} lacks the columns {', '.join(sorted(missing))}")
    override = (
        pd.to_numeric(table["monthly_food"])
        if "monthly_food" in table.columns
        else pd.Series([float("nan")] * len(table))
    )
    food = [
        float(override.iloc[n])
        if pd.notna(override.iloc[n])
        else float(household_figures(members, region, period, preset)["monthly"])
        for n, members in enumerate(table["members"])
    ]
    result = affordability_table(table, pd.Series(food))
    if as_json:
        records = result.round(2).astype(object).where(result.notna(), None)
        typer.echo(json.dumps(records.to_dict("records"), ensure_ascii=False))
        return
    out = Table(title=f"Affordability, {region}")
    for column in AFFORDABILITY_COLUMNS:
        out.add_column(column, justify="left" if column in ("scenario", "members") else "right")
    for row in result.to_dict("records"):
        out.add_row(
            row["scenario"],
            row["members"],
            *(f"{row[c]:.2f}" for c in AFFORDABILITY_COLUMNS[2:6]),
            *(f"{row[c]:.1f}%" for c in AFFORDABILITY_COLUMNS[6:]),
        )
    console.print(out)


def explain(
    region: Annotated[str, typer.Option(help="Region code")],
    period: Annotated[str, typer.Option(help="Period, YYYY-MM")],
    item: Annotated[str | None, typer.Option(help="One item code")] = None,
) -> None:
    """Print how a region's figure was obtained: items, stores, observations, imputations."""
    with session_scope() as session:
        version = latest_version(session)
        assert version.id is not None
        found = region_by_code(session, region)
        prices = region_prices_frame(session, version.id, found.id, period)
        if prices.empty:
            raise NoData(f"no lineage stored for {region} and {period}: run `ppne compute`")
        items = item_categories_frame(session, version.id)
        stores = stores_frame(session)
        store_prices = eligible_store_prices(
            store_prices_frame(session, version.id), stores, costing_protocol(get_settings())
        )
        lineage = explain_region(prices, store_prices, store_regions_frame(session))
        sources = observation_sources_frame(
            session, [int(i) for i in lineage["observation_id"].dropna()]
        )
        codes = region_tree_frame(session).set_index("region_id")["code"]
    lineage = lineage.merge(items[["item_id", "code"]], on="item_id")
    if item:
        lineage = lineage[lineage["code"] == item]
        if lineage.empty:
            raise InvalidInput(f"no item {item!r} in basket {version.code}")
    lineage = lineage.merge(sources, on="observation_id", how="left")
    store_codes = stores.set_index("store_id")["code"]
    out = Table(title=f"Lineage of {region}, {period} (basket {version.code})")
    for header in ("item", "region $", "how", "from", "store", "store $", "obs", "product"):
        out.add_column(header)
    for row in lineage.to_dict("records"):
        source = (
            f"{codes.get(row['source_region_id'], '')} {row['source_period']}"
            if row["imputation"] != "missing"
            else ""
        )
        out.add_row(
            row["code"],
            "" if pd.isna(row["region_price"]) else f"{row['region_price']:.2f}",
            row["imputation"],
            source,
            "" if pd.isna(row["store_id"]) else str(store_codes.get(row["store_id"], "")),
            "" if pd.isna(row["store_price"]) else f"{row['store_price']:.2f}",
            "" if pd.isna(row["observation_id"]) else str(row["observation_id"]),
            "" if pd.isna(row.get("product")) else str(row["product"]),
        )
    console.print(out)


def alerts(
    period: Annotated[str, typer.Option(help="Month, YYYY-MM")],
    level: Annotated[str, typer.Option(help="store or region")] = "region",
    all_bands: Annotated[bool, typer.Option("--all", help="Also list normal series")] = False,
) -> None:
    """Print price-spike alerts: ALPS with 36+ monthly prices, a robust z-score otherwise."""
    if level not in ("store", "region"):
        raise InvalidInput(f"level must be store or region, not {level!r}")
    with session_scope() as session:
        version = latest_version(session)
        assert version.id is not None
        items = item_categories_frame(session, version.id).set_index("item_id")["code"]
        if level == "store":
            prices = store_prices_frame(session, version.id).rename(
                columns={"store_id": "entity_id"}
            )
            names = stores_frame(session).set_index("store_id")["code"]
        else:
            prices = region_prices_frame(session, version.id)
            prices = prices[prices["imputation"] == "observed"].rename(
                columns={"region_id": "entity_id"}
            )
            names = region_tree_frame(session).set_index("region_id")["code"]
    found = price_alerts(prices[prices["period"].str.len() == 7], period)
    if not all_bands:
        found = found[found["band"] != "normal"]
    out = Table(title=f"Price alerts, {period}, by {level}")
    for header in (level, "item", "method", "months", "score", "band"):
        out.add_column(header)
    for row in found.sort_values("score", ascending=False).to_dict("records"):
        out.add_row(
            str(names.get(row["entity_id"], row["entity_id"])),
            str(items.get(row["item_id"], row["item_id"])),
            row["method"],
            str(row["months"]),
            f"{row['score']:.2f}",
            row["band"],
        )
    console.print(out)
    console.print(f"{len(found)} series in stress, alert or crisis" if not all_bands else "")
