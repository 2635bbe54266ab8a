"""`ppne kitchen count`: the day's meals by diet, texture and hot or frozen."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cli.database import open_session
from cli.routes import DateOption, OrgOption, parse_day

kitchen_app = typer.Typer(help="Meals on wheels: the kitchen's count.", no_args_is_help=True)
console = Console()


@kitchen_app.command("count")
def count_command(
    day: DateOption,
    org: OrgOption = "sesame",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the day's meals by diet, texture and temperature."""
    from services.access.actor import Actor
    from services.records.meals.kitchen import TEMPERATURE_FR, TEXTURE_FR, kitchen_count

    with open_session() as session:
        count = kitchen_count(session, Actor.command_line(), parse_day(day), org)
    if as_json:
        typer.echo(count.model_dump_json(indent=2))
        return
    source = "runs planned" if count.source == "runs" else "plans due (no runs planned yet)"
    table = Table(title=f"Cuisine, {count.run_date}: {count.total_meals} repas ({source})")
    for header in ("régime", "texture", "chaud/congelé", "repas", "clients"):
        table.add_column(header, justify="right" if header in ("repas", "clients") else "left")
    for row in count.rows:
        table.add_row(
            row.diet,
            TEXTURE_FR.get(row.texture, row.texture),
            TEMPERATURE_FR.get(row.temperature, row.temperature),
            str(row.meals),
            str(row.clients),
        )
    console.print(table)
