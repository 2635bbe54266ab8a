"""`ppne publish dump`: the bulk dump researchers download, with its Data Package."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.database import require_database


def publish_dump(
    out: Annotated[
        Path | None, typer.Option(help="Folder of the dumps (default <out dir>/dumps)")
    ] = None,
) -> None:
    """Write observations, costs, stores, items and regions as CSV and Parquet, with a
    Frictionless datapackage.json, in a new folder named by the UTC time."""
    from core.settings import get_settings
    from services.dumps import write_dump

    url = require_database()
    folder = write_dump(url, out or get_settings().out_dir / "dumps")
    typer.echo(f"dump written: {folder}")
    for path in sorted(folder.iterdir()):
        typer.echo(f"  {path.name} ({path.stat().st_size:,} bytes)")
