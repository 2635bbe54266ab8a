"""`ppne trends`: a region's cost per period, its changes and index, the food CPI beside it."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from publications.formatting import (
    format_index,
    format_money,
    format_percent_change,
    format_percent_share,
)

if TYPE_CHECKING:
    from services.trend_models import ChangeDriversOut, Trend

# The database, pandas, the settings and the use cases are imported inside the command:
# `ppne --help` imports this module and must stay fast.


def _change(percent: float | None) -> str:
    # The API gives changes in %; the French formatter takes a fraction.
    return format_percent_change(float("nan") if percent is None else percent / 100)


def trends(
    region: Annotated[str, typer.Option(help="Region code")],
    group: Annotated[str, typer.Option(help="family or an age-sex group code")] = "family",
    period_from: Annotated[
        str | None, typer.Option("--from", help="First period: YYYY-MM, or YYYY-Qn for PPNE rounds")
    ] = None,
    period_to: Annotated[
        str | None, typer.Option("--to", help="Last period: YYYY-MM or YYYY-Qn")
    ] = None,
    base: Annotated[
        str | None, typer.Option(help="Period the index equals 100 in; the first shown")
    ] = None,
    cpi_product: Annotated[
        str | None,
        typer.Option(help="Product of StatCan table 18-10-0004-01 to show beside; Food by default"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (as GET /v1/trends)")] = False,
) -> None:
    """Print cost, changes, index (base = 100) and the food CPI per period; what drove them."""
    from core.db import session_scope
    from core.queries.cpi import CPI_FOOD
    from core.reference_data import CATEGORY_NAMES_FR
    from core.settings import get_settings
    from services.trends import build_trend

    family = get_settings().reference_family
    with session_scope() as session:
        trend = build_trend(
            session,
            region,
            family,
            group,
            base,
            period_from,
            period_to,
            cpi_product or CPI_FOOD,
            get_settings().base_period,
        )
    if as_json:
        typer.echo(trend.model_dump_json())
        return
    # Piped into a file or another tool, tables keep whole words instead of wrapping.
    console = Console() if sys.stdout.isatty() else Console(width=160)
    console.print(_series_table(trend))
    console.print(_cpi_note(trend))
    for drivers in trend.drivers:
        console.print(_drivers_table(drivers, CATEGORY_NAMES_FR))


def _series_table(trend: Trend) -> Table:
    who = "famille de référence" if trend.group == "family" else trend.group
    table = Table(
        title=f"Coût du panier, {trend.region_name}, {who} (panier {trend.basket_version})\n"
        f"Basket cost; index: {trend.base_period} = 100"
    )
    # PPNE rounds change from one quarter to the next, not from one month.
    rounds = any("Q" in point.period for point in trend.series)
    previous = "Sur un trimestre\nQoQ" if rounds else "Sur un mois\nMoM"
    headers = ["Période\nperiod", "Par semaine\nweekly", "Par mois\nmonthly",
               previous, "Sur un an\nYoY", "Indice\nindex"]  # fmt: skip
    if trend.cpi.geo:
        headers.append("IPC aliments\nfood CPI")  # its GEO is named under the table
    for header in headers:
        table.add_column(header, justify="left" if header.startswith("Période") else "right")
    for point in trend.series:
        cells = [
            point.period + (" *" if point.status != "published" else ""),
            format_money(float(point.weekly_cost)),
            format_money(float(point.monthly_cost)),
            _change(point.change_previous),
            _change(point.change_year),
            format_index(point.index),
        ]
        if trend.cpi.geo:
            cells.append(format_index(float("nan") if point.cpi_index is None else point.cpi_index))
        table.add_row(*cells)
    return table


def _cpi_note(trend: Trend) -> str:
    cpi = trend.cpi
    if cpi.geo is None:
        return (
            f"IPC des aliments non importé pour {', '.join(cpi.geos_searched)} "
            f"(« {cpi.product} », tableau {cpi.table}) / food CPI not imported: "
            f"ppne import statcan FICHIER"
        )
    note = (
        f"IPC des aliments : Statistique Canada, tableau {cpi.table}, « {cpi.product} », "
        f"{cpi.geo}, rebasé {trend.base_period} = 100 ; n.d. : valeur non publiée."
    )
    if cpi.fallback:
        note += f" ({cpi.geos_searched[0]} non importé / not imported: {cpi.geo} used)"
    if any(point.status != "published" for point in trend.series):
        note += "\n* chiffre signalé (peu de magasins, couverture, imputé) / flagged figure"
    return note


def _drivers_table(drivers: ChangeDriversOut, names_fr: Mapping[str, str]) -> Table:
    table = Table(
        title=f"Ce qui a fait varier le coût hebdomadaire, {drivers.start} → {drivers.end}\n"
        "Which categories drove the change"
    )
    for header in ("Catégorie\ncategory", drivers.start, drivers.end, "Écart\nchange",
                   "Apport à la variation\ncontribution", "Part de l'écart\nshare"):  # fmt: skip
        table.add_column(header, justify="left" if header.startswith("Cat") else "right")
    for row in drivers.categories:
        table.add_row(
            names_fr.get(row.category, row.category),
            format_money(float(row.cost_start)),
            format_money(float(row.cost_end)),
            format_money(float(row.change)),
            _change(row.contribution_points),
            format_percent_share(
                float("nan") if row.share_of_change is None else row.share_of_change
            ),
        )
    return table
