"""The `ppne collect` commands: run, list, parse saved responses, list the quarantine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from scrapy.exceptions import NotConfigured, UsageError
from sqlmodel import select

from collectors.offline import parsed_products
from collectors.pipelines.stats import STAT_DROPPED, STAT_DUPLICATES, STAT_SEEN, STAT_STORED
from collectors.runner import RunSummary, run_spider, spider_catalogue
from core.db import session_scope
from core.errors import PpneError
from core.models import QuarantinedItem
from demo_store.site import serve_demo_store

collect_app = typer.Typer(
    help="Collect store prices with the Scrapy spiders.", no_args_is_help=True
)
console = Console()
# Scrapy raises these for a misconfigured project or bad crawl arguments.
SCRAPY_ERRORS = (NotConfigured, UsageError)


def collect_with_demo_site(spider: str, **spider_args: Any) -> RunSummary:
    """Run a spider; the demo spider without base_url crawls the embedded demo site."""
    # The layers contract keeps collectors and demo_store apart, so the command line
    # (above both) is where the embedded site and the crawl meet.
    if spider == "demo" and not spider_args.get("base_url"):
        with serve_demo_store() as site:
            return run_spider(spider, **{**spider_args, "base_url": site.url})
    return run_spider(spider, **spider_args)


def progress_line(stats: dict[str, Any]) -> str:
    """Describe a running crawl in one line."""
    dropped = sum(int(v) for k, v in stats.items() if k.startswith(STAT_DROPPED))
    return (
        f"pages {stats.get('response_received_count', 0)} · items {stats.get(STAT_SEEN, 0)} · "
        f"stored {stats.get(STAT_STORED, 0)} · duplicates {stats.get(STAT_DUPLICATES, 0)} · "
        f"quarantined {dropped}"
    )


def summary_table(spider: str, summary: RunSummary) -> Table:
    """Lay out a run's counts as a rich table."""
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
    arguments: dict[str, Any] = {
        "store": store, "limit": limit, "periods": periods, "base_url": base_url, "terms": terms,
    }  # fmt: skip
    arguments = {key: value for key, value in arguments.items() if value}
    try:
        with console.status(f"crawling with {spider}…") as status:
            summary = collect_with_demo_site(
                spider,
                progress=lambda stats: status.update(f"{spider}: {progress_line(stats)}"),
                **arguments,
            )
    except PpneError as error:
        raise fail(str(error)) from None
    except SCRAPY_ERRORS as error:
        raise fail(f"{type(error).__name__}: {error}") from None
    console.print(summary_table(spider, summary))
    if summary.outcome != "succeeded":
        raise fail(summary.message)
    console.print(summary.message)


@collect_app.command("list")
def list_command() -> None:
    """List the spiders, their platforms and their stores."""
    for row in spider_catalogue():
        stores = ", ".join(f"{code} ({banner}, {region or 'no region'})"
                           for code, banner, region in row["stores"])  # fmt: skip
        typer.echo(f"{row['spider']}\t{row['platform']}\t{row['chain']}\t{stores}")


@collect_app.command("parse")
def parse_command(
    spider: str = typer.Argument(..., help="Spider name, see `ppne collect list`."),
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A saved response."),
) -> None:
    """Parse a saved response offline; print one JSON object per price read."""
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
    with session_scope() as session:
        statement = select(QuarantinedItem).order_by(QuarantinedItem.id)  # type: ignore[arg-type]
        if run is not None:
            statement = statement.where(QuarantinedItem.run_id == run)
        rows = session.exec(statement).all()
        table = Table(title=f"Quarantine ({len(rows)} items)")
        for header in ("id", "run", "spider", "reason", "raw price", "detail", "source"):
            table.add_column(header)
        for row in rows:
            cells = (row.raw_price_text, row.detail, row.source_url)
            table.add_row(str(row.id), str(row.run_id), row.spider, row.reason,
                          *(cell or "" for cell in cells))  # fmt: skip
        console.print(table)
        if payload:
            for row in rows:
                typer.echo(f"{row.id}\t{row.payload}")
