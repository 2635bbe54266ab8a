"""`ppne bench collectors`: how fast the collectors parse the real saved responses."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from collectors.offline import bench

console = Console()
# (platform, spider, file under the pages folder): the real responses of ../shared/realdata.
REAL_FILES = (
    ("pcexpress", "nofrills", "pcexpress_ca/nofrills_search_tiles_2026-01.jsonl"),
    ("sobeys-algolia", "sobeys", "sobeys_ca/sobeys_algolia_search_milk_page0.json"),
    ("sobeys-algolia", "sobeys", "sobeys_ca/sobeys_algolia_search_bread_page0.json"),
    ("walmart", "walmart", "walmart_ca/walmart_ca_graphql_search_fresh_vegetables_2024-06.json"),
    ("html", "sainsburys", "sainsburys_uk_2017/sainsburys-berries.html"),
)


def collectors_command(
    pages: Path = typer.Option(
        Path("../shared/realdata/pages"), "--pages", help="Folder of the real saved responses."
    ),
    repeat: int = typer.Option(20, "--repeat", min=1, help="Runs per file; the best counts."),
) -> None:
    """Print prices parsed per second per platform (one core, parse and normalise)."""
    table = Table(title="Collector parsing speed (best run, cold caches, one core)")
    for header in ("platform", "spider", "file", "prices", "seconds", "prices/s"):
        table.add_column(header, justify="right" if header in ("prices", "seconds") else "left")
    found = 0
    for platform, spider, relative in REAL_FILES:
        path = pages / relative
        if not path.exists():
            continue
        found += 1
        result = bench(spider, path, repeat)
        table.add_row(platform, spider, path.name, str(result.products),
                      f"{result.seconds:.4f}", f"{result.per_second:,.0f}")  # fmt: skip
    if not found:
        typer.echo(f"error: no saved responses under {pages}", err=True)
        raise typer.Exit(code=1)
    console.print(table)
