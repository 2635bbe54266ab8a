"""The `ppne collect` commands: run, list, parse saved responses, list the quarantine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from cli.database import database_url, open_session
from core.errors import PpneError

if TYPE_CHECKING:
    from rich.table import Table

    from services.collection import RunSummary

# Scrapy and Twisted load inside the commands, so `ppne --help` starts fast.

collect_app = typer.Typer(
    help="Collect store prices with the Scrapy spiders.", no_args_is_help=True
)
console = Console()


def progress_line(stats: dict[str, Any]) -> str:
    """Describe a running crawl in one line."""
    from services.collection import crawl_progress

    counts = crawl_progress(stats)
    return (
        f"pages {counts.pages} · items {counts.items} · stored {counts.stored} · "
        f"duplicates {counts.duplicates} · quarantined {counts.quarantined}"
    )


def summary_table(spider: str, summary: RunSummary) -> Table:
    """Lay out a run's counts as a rich table."""
    from rich.table import Table

    table = Table(title=f"Collection run {summary.run_id} ({spider}): {summary.outcome}")
    table.add_column("Count")
    table.add_column("Value", justify="right")
    table.add_row("items seen", str(summary.items_seen))
    table.add_row("stored", str(summary.stored))
    table.add_row("duplicates", str(summary.duplicates))
    for reason, count in sorted(summary.dropped_by_reason.items()):
        table.add_row(f"dropped: {reason}", str(count))
    return table


def fail(message: str) -> typer.Exit:
    """Print a one-line error and return the exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=1)


@collect_app.command("run")
def run_command(
    spider: str = typer.Argument(..., help="Spider name, see `ppne collect list`."),
    store: str | None = typer.Option(None, "--store", help="Only this store code."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most N products per store."),
    periods: str | None = typer.Option(
        None, "--periods", help="Months to crawl, e.g. 2026-01,2026-02 (demo site)."
    ),
    base_url: str | None = typer.Option(
        None, "--base-url", help="Site address; the demo spider starts its own site without it."
    ),
    terms: str | None = typer.Option(
        None, "--terms", help="Comma-separated searches instead of the basket's item names."
    ),
) -> None:
    """Crawl with SPIDER and store the prices it finds."""
    from services import collection

    arguments: dict[str, Any] = {
        "store": store, "limit": limit, "periods": periods, "base_url": base_url, "terms": terms,
    }  # fmt: skip
    arguments = {key: value for key, value in arguments.items() if value}
    try:
        with console.status(f"crawling with {spider}…") as status:
            summary = collection.collect_prices(
                spider,
                database_url(),
                progress=lambda stats: status.update(f"{spider}: {progress_line(stats)}"),
                **arguments,
            )
    except PpneError as error:
        raise fail(str(error)) from None
    console.print(summary_table(spider, summary))
    if summary.outcome != "succeeded":
        raise fail(summary.message)
    console.print(summary.message)


@collect_app.command("list")
def list_command() -> None:
    """List the spiders, their platforms and their stores."""
    from services.collection import spiders

    for entry in spiders():
        stores = ", ".join(f"{code} ({banner}, {region or 'no region'})"
                           for code, banner, region in entry.stores)  # fmt: skip
        typer.echo(f"{entry.spider}\t{entry.platform}\t{entry.chain}\t{stores}")


@collect_app.command("parse")
def parse_command(
    spider: str = typer.Argument(..., help="Spider name, see `ppne collect list`."),
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A saved response."),
) -> None:
    """Parse a saved response offline; print one JSON object per price read."""
    from collectors.offline import parsed_products

    try:
        for record in parsed_products(spider, file):
            typer.echo(json.dumps(record, ensure_ascii=False))
    except PpneError as error:
        raise fail(str(error)) from None


@collect_app.command("quarantine")
def quarantine_command(
    run: int | None = typer.Option(None, "--run", help="Only items of this collection run."),
    payload: bool = typer.Option(False, "--payload", help="Print each item's raw payload."),
) -> None:
    """List the items the pipelines refused, with their reasons."""
    from rich.table import Table

    from services.collection import quarantine

    with open_session() as session:
        items = quarantine(session, run)
    table = Table(title=f"Quarantine ({len(items)} items)")
    for header in ("id", "run", "spider", "reason", "raw price", "detail", "source"):
        table.add_column(header)
    for item in items:
        cells = (item.raw_price_text, item.detail, item.source_url)
        table.add_row(str(item.item_id), str(item.run_id), item.spider, item.reason,
                      *(cell or "" for cell in cells))  # fmt: skip
    console.print(table)
    if payload:
        for item in items:
            typer.echo(f"{item.item_id}\t{item.payload}")
