"""The `ppne collect` commands: run a spider and list the spiders."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table
from scrapy.exceptions import NotConfigured, UsageError

from collectors.runner import RunSummary, list_spiders, run_spider
from core.errors import PpneError
from demo_store.site import serve_demo_store

collect_app = typer.Typer(
    help="Collect store prices with the Scrapy spiders.", no_args_is_help=True
)
console = Console()
# Scrapy raises these for a misconfigured project or bad crawl arguments.
SCRAPY_ERRORS = (NotConfigured, UsageError)


def collect_with_demo_site(spider: str, **spider_args: object) -> RunSummary:
    """Run a spider; the demo spider without base_url crawls the embedded demo site."""
    # The layers contract keeps collectors and demo_store apart, so the command line
    # (above both) is where the embedded site and the crawl meet.
    if spider == "demo" and not spider_args.get("base_url"):
        with serve_demo_store() as site:
            return run_spider(spider, **{**spider_args, "base_url": site.url})
    return run_spider(spider, **spider_args)


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
) -> None:
    """Crawl with SPIDER and store the prices it finds."""
    arguments = {"store": store, "limit": limit, "periods": periods, "base_url": base_url}
    try:
        summary = collect_with_demo_site(
            spider, **{key: value for key, value in arguments.items() if value}
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
    """List the spiders that can run."""
    for name in list_spiders():
        typer.echo(name)
