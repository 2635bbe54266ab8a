"""The `ppne observations` commands: list the prices kept but not costed, and why."""

from __future__ import annotations

import json
from dataclasses import asdict

import typer
from rich.console import Console

from cli.database import open_session

observations_app = typer.Typer(help="Price observations kept but not costed.", no_args_is_help=True)
console = Console()


@observations_app.command("flagged")
def flagged_command(
    as_json: bool = typer.Option(False, "--json", help="One JSON array, money as strings."),
) -> None:
    """List observations marked duplicate (with the first copy) or outlier (with its median)."""
    from rich.table import Table

    from services.observations import flagged_observations

    with open_session() as session:
        found = flagged_observations(session)
    if as_json:
        rows = [
            {
                **asdict(row),
                "price": f"{row.price:.2f}" if row.price == round(row.price, 2) else str(row.price),
                "judged_median": None if row.judged_median is None else str(row.judged_median),
                "reason": row.reason,
            }
            for row in found
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Flagged observations ({len(found)})")
    for header in ("id", "status", "store", "product", "price", "day", "source", "why"):
        table.add_column(header, justify="right" if header in ("id", "price") else "left")
    for row in found:
        table.add_row(
            str(row.observation_id), row.status, row.store, row.product,
            f"{row.price} $/{row.price_per}", row.observed_at[:10], row.collector, row.reason,
        )  # fmt: skip
    console.print(table)
