"""`ppne routes plan|sheets`: plan a day's meals-on-wheels runs, print the drivers' sheets."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cli.database import open_session

routes_app = typer.Typer(help="Meals on wheels: the day's routes and sheets.", no_args_is_help=True)
console = Console()

DateOption = Annotated[str, typer.Option("--date", help="The day, YYYY-MM-DD.")]
OrgOption = Annotated[str, typer.Option("--org", help="Organisation slug.")]


def parse_day(text: str) -> date:
    """A YYYY-MM-DD date, or one line saying what is expected."""
    from core.errors import InvalidInput

    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise InvalidInput(f"--date: {text!r} is not a date (YYYY-MM-DD)") from None


def _clock(minute: int | None) -> str:
    return "" if minute is None else f"{minute // 60:02d}:{minute % 60:02d}"


@routes_app.command("plan")
def plan_command(
    day: DateOption,
    org: OrgOption = "sesame",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    replan: Annotated[bool, typer.Option("--replan", help="Plan a planned day again.")] = False,
    resolve_hand_ordered: Annotated[
        bool, typer.Option("--resolve-hand-ordered", help="Re-solve hand-ordered runs too.")
    ] = False,
    default_order: Annotated[
        bool, typer.Option("--default-order", help="The routes' paper order, no solver.")
    ] = False,
    network: Annotated[
        Path | None, typer.Option("--network", help="Road network (GeoJSON LineStrings).")
    ] = None,
) -> None:
    """Build the day's runs from the meal plans due that day and print them."""
    from services.access.actor import Actor
    from services.records.meals.runs import plan_day
    from services.records.meals.travel import RoadNetwork

    provider = RoadNetwork(network) if network else None
    with open_session() as session:
        result = plan_day(
            session,
            Actor.command_line(),
            parse_day(day),
            org,
            replan=replan,
            resolve_hand_ordered=resolve_hand_ordered,
            method="default" if default_order else "solve",
            provider=provider,
        )
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
        return
    for run in result.runs:
        table = Table(
            title=f"{run.route_name or 'run'} #{run.id}: {len(run.stops)} stops, "
            f"{run.meals} meals, {run.total_minutes} min"
            + (" (hand-ordered)" if run.hand_ordered else "")
        )
        for header in ("#", "arrival", "window", "meals", "client", "stop"):
            table.add_column(header, justify="right")
        for stop in run.stops:
            late = " LATE" if stop.late else ""
            table.add_row(
                str(stop.position),
                _clock(stop.arrival_minute) + late,
                f"{_clock(stop.window_start)}-{_clock(stop.window_end)}",
                str(stop.meals),
                str(stop.client_id),
                str(stop.id),
            )
        console.print(table)
    console.print(
        f"{result.run_date}: {len(result.runs)} runs, "
        f"{sum(len(r.stops) for r in result.runs)} stops, "
        f"{sum(r.meals for r in result.runs)} meals; solver {result.solver_seconds:.2f} s"
    )
    if result.unassigned_plan_ids:
        console.print(f"not placed (capacity or windows): plans {result.unassigned_plan_ids}")


@routes_app.command("sheets")
def sheets_command(
    day: DateOption,
    out: Annotated[Path, typer.Option("--out", help="Folder for the PDFs.")],
    org: OrgOption = "sesame",
) -> None:
    """Write one PDF route sheet per run of the day (plan the day first)."""
    from core.errors import InvalidInput
    from services.access.actor import Actor
    from services.records.meals.runs import list_runs
    from services.records.meals.sheets import route_sheet, write_sheets

    actor = Actor.command_line()
    with open_session() as session:
        runs = list_runs(session, actor, parse_day(day), org)
        if not runs:
            raise InvalidInput(f"no runs on {day}: run `ppne routes plan --date {day}` first")
        sheets = [route_sheet(session, actor, run.id) for run in runs]
    for path in write_sheets(sheets, out):
        console.print(str(path))
