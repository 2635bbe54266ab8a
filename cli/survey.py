"""`ppne survey template`: the sheet surveyors fill in, from the basket and the store list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cli.database import database_url

# The survey importer (pandas, openpyxl) loads inside the command, so `ppne --help` starts fast.

survey_app = typer.Typer(help="In-store price survey sheets.", no_args_is_help=True)
console = Console()


@survey_app.command("template")
def template(
    period: Annotated[str, typer.Option(help="Month surveyed, YYYY-MM")],
    stores: Annotated[str, typer.Option(help="Store codes, comma-separated")],
    format: Annotated[str, typer.Option("--format", help="xlsx or csv")] = "xlsx",
    output: Annotated[Path | None, typer.Option(help="File to write")] = None,
) -> None:
    """Write a survey sheet: one line per store and basket item, French and English labels."""
    from importers.survey import write_template

    path = output or Path(f"releve-{period}.{format}")
    codes = [code.strip() for code in stores.split(",") if code.strip()]
    lines = write_template(path, period, codes, format, url=database_url())
    console.print(f"{path}: {lines} lines to fill in ({len(codes)} stores)")
