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


RedisOption = typer.Option(
    "redis://127.0.0.1:6379/0",
    "--redis",
    envvar="PPNE_REDIS_URL",
    help="Redis of the shared crawl.",
)


@collect_app.command("enqueue")
def enqueue_command(
    spider: str = typer.Argument(..., help="Spider name, see `ppne collect list`."),
    store: str | None = typer.Option(None, "--store", help="Only this store code."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most N products per store."),
    periods: str | None = typer.Option(None, "--periods", help="Months (demo site)."),
    base_url: str | None = typer.Option(None, "--base-url", help="Site address."),
    terms: str | None = typer.Option(None, "--terms", help="Comma-separated searches."),
    keep: bool = typer.Option(
        False, "--keep", help="Add to the queued crawl instead of starting a fresh one."
    ),
    redis_url: str = RedisOption,
) -> None:
    """Queue SPIDER's crawl in Redis for `ppne collect worker`s on any machine."""
    from services.distributed_collection import enqueue_crawl

    arguments = {
        "store": store, "limit": limit, "periods": periods, "base_url": base_url, "terms": terms,
    }  # fmt: skip
    count = enqueue_crawl(spider, redis_url, fresh=not keep, **arguments)
    console.print(f"{spider}: {count} start request(s) queued in {redis_url}")


@collect_app.command("worker")
def worker_command(
    spiders: str = typer.Option(..., "--spiders", help="Comma-separated spiders to work for."),
    redis_url: str = RedisOption,
    name: str | None = typer.Option(
        None, "--name", help="This worker's name in the counts (default: host-pid-random)."
    ),
    delay: float | None = typer.Option(
        None, "--delay", min=0, help="Seconds at least between two requests to one site."
    ),
) -> None:
    """Take pages of the queued crawls until none is left; run as many as wanted."""
    from services.distributed_collection import work

    names = [name.strip() for name in spiders.split(",") if name.strip()]
    if len(names) > 1:
        # Scrapy's reactor runs once per process: each spider's work in a process of its own.
        import subprocess
        import sys

        codes = [
            subprocess.run(
                [sys.executable, "-m", "cli", "collect", "worker", "--spiders", name,
                 "--redis", redis_url, *(["--delay", str(delay)] if delay is not None else [])],
                check=False,
            ).returncode
            for name in names
        ]  # fmt: skip
        if any(codes):
            raise typer.Exit(1)
        return
    summary = work(names[0], database_url(), redis_url, worker_id=name, delay=delay)
    console.print(summary_table(names[0], summary))
    console.print(summary.message)


@collect_app.command("queue")
def queue_command(
    spider: str = typer.Argument(..., help="Spider name."),
    redis_url: str = RedisOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show a shared crawl: queued pages, live workers and what they hold, finished workers."""
    from services.distributed_collection import shared_crawl

    state = shared_crawl(spider, redis_url)
    if as_json:
        typer.echo(json.dumps(state, indent=2))
        return
    console.print(f"{spider}: {state['queued']} queued, {state['seen']} pages seen")
    for worker, live in state["workers"].items():
        alive = "alive" if live["alive"] else "silent"
        console.print(f"  worker {worker}: {alive}, holding {live['holding']}")
    for worker, counts in state["finished_workers"].items():
        console.print(
            f"  finished {worker}: {counts['pages']} pages, {counts['stored']} stored, "
            f"{counts['duplicates']} duplicates ({counts['reason']})"
        )
