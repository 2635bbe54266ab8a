"""`ppne bench engine|import|load|collectors|api|web`: run a benchmark of the bench package."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

# The bench modules load pandas, DuckDB, SQLAlchemy or Scrapy: each command imports its module
# when it runs, so that `ppne --help` stays fast.

bench_app = typer.Typer(help="Benchmarks.", no_args_is_help=True)
console = Console()


@bench_app.command("engine")
def bench_engine(
    observations: int = typer.Option(10_000_000, help="Synthetic price observations"),
    seed: int = typer.Option(2026, help="Seed of the synthetic data"),
    database_rows: int = typer.Option(
        1_000_000, help="Observations to load from a temporary SQLite database (0: skip)"
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON"),
) -> None:
    """Time a full recompute with the engine and with DuckDB SQL, and one new month; time
    loading observations from a database and costing them, apart."""
    from bench.engine import measure

    report = measure(observations, seed, database_rows)
    if as_json:
        typer.echo(json.dumps(report))
        return
    for name, value in report.items():
        typer.echo(f"{name}: {value}")


@bench_app.command("import")
def bench_import(rows: Annotated[int, typer.Option(help="Rows to generate")] = 200_000) -> None:
    """Print rows/s of the generic CSV importer and of raw sqlite3.executemany, same rows."""
    from bench.imports import describe, measure

    console.print(describe(measure(rows)))


@bench_app.command("load")
def bench_load(
    url: str | None = typer.Option(
        None, "--url", help="Base URL of a running API to load (else one is started here)."
    ),
    database_url: str | None = typer.Option(
        None,
        "--database-url",
        help="Empty database to seed and serve (PostgreSQL or SQLite URL); a temporary"
        " SQLite file if not given. Ignored with --url.",
    ),
    rate: float = typer.Option(100.0, "--rate", min=0.1, help="Requests per second."),
    seconds: float = typer.Option(60.0, "--seconds", min=0.1, help="Seconds of load per route."),
    routes: str = typer.Option("costs,observations", "--routes", help="Comma-separated routes."),
    workers: int = typer.Option(
        1, "--workers", min=1, help="uvicorn processes of the API started here."
    ),
) -> None:
    """Send an open-loop constant rate to each route in turn; print counts and p50/p90/p99."""
    from bench.load import ROUTES, describe, run_load, served_api

    chosen = [route.strip() for route in routes.split(",") if route.strip()]
    unknown = [route for route in chosen if route not in ROUTES]
    if unknown or not chosen:
        typer.echo(f"error: --routes {routes!r}: choose among {', '.join(ROUTES)}", err=True)
        raise typer.Exit(code=2)
    if url:
        typer.echo(describe(run_load(url.rstrip("/"), chosen, rate, seconds)))
        return
    with served_api(database_url, workers) as base:
        typer.echo(describe(run_load(base, chosen, rate, seconds)))


@bench_app.command("collectors")
def bench_collectors(
    pages: Path = typer.Option(
        Path("../shared/realdata/pages"), "--pages", help="Folder of the real saved responses."
    ),
    repeat: int = typer.Option(20, "--repeat", min=1, help="Runs per file; the best counts."),
) -> None:
    """Print prices parsed per second per platform (one core, parse and normalise)."""
    from bench.collectors import measure

    speeds = measure(pages, repeat)
    if not speeds:
        typer.echo(f"error: no saved responses under {pages}", err=True)
        raise typer.Exit(code=1)
    table = Table(title="Collector parsing speed (best run, cold caches, one core)")
    for header in ("platform", "spider", "file", "prices", "seconds", "prices/s"):
        table.add_column(header, justify="right" if header in ("prices", "seconds") else "left")
    for speed in speeds:
        table.add_row(speed.platform, speed.spider, speed.file, str(speed.prices),
                      f"{speed.seconds:.4f}", f"{speed.per_second:,.0f}")  # fmt: skip
    console.print(table)


@bench_app.command("api")
def bench_api(
    clients: int = typer.Option(20, "--clients", min=1, help="Concurrent clients."),
    seconds: float = typer.Option(5.0, "--seconds", min=0.1, help="Seconds of load per route."),
    months: int = typer.Option(24, "--months", min=1, help="Months of costs to seed."),
    observations: int = typer.Option(
        1_000_000,
        "--observations",
        min=0,
        help="Observations to serve beside Datasette and to stream (0: skip that part).",
    ),
    observations_file: Path | None = typer.Option(
        None,
        "--observations-file",
        help="SQLite file of the observations, built there once and reused by later runs.",
    ),
) -> None:
    """Print requests/s and p50/p99 latency of GET /v1/costs and /v1/trends under load; then
    of /v1/observations beside Datasette on the same SQLite file, and the streams' rates."""
    from bench.api import describe, measure

    typer.echo(describe(measure(clients, seconds, months)))
    if observations:
        from bench import observations_api

        loads, streams = observations_api.measure(observations, clients, seconds, observations_file)
        typer.echo(observations_api.describe(loads, streams))


@bench_app.command("routes")
def bench_routes(
    seed: int = typer.Option(2026, help="Seed of the synthetic stops"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON"),
) -> None:
    """Route planning: 40, 150, 400 stops over 3, 8, 15 drivers; solve time, route time and
    the ratio to address order and to a nearest-neighbour tour."""
    from dataclasses import asdict

    from bench.routes import describe, measure

    cases = measure(seed)
    if as_json:
        typer.echo(json.dumps([asdict(case) for case in cases]))
        return
    typer.echo(describe(cases))


@bench_app.command("web")
def bench_web(
    clients: int = typer.Option(8, "--clients", min=1, help="Concurrent clients."),
    seconds: float = typer.Option(5.0, "--seconds", min=0.1, help="Seconds of load per page."),
    months: int = typer.Option(12, "--months", min=1, help="Months of demo prices to seed."),
) -> None:
    """Print requests/s and p50/p95/p99 of signed-in web pages on the demo database."""
    from bench.web import describe, measure

    typer.echo(describe(measure(clients, seconds, months, progress=typer.echo)))
