"""The `ppne` command: database, collection, costing, publication, API and the demo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import click
import typer
from rich.console import Console
from rich.table import Table

from cli import cost, jobs, trends
from cli.collect import collect_app
from cli.collector_bench import collectors_command
from cli.engine_bench import bench_app
from cli.import_bench import bench_import
from cli.imports import import_app
from cli.matches import matches_app
from cli.normalise import normalise_app
from cli.survey import survey_app
from core.errors import PpneError
from core.settings import get_settings

app = typer.Typer(
    help="PPNE: the cost of a nutritious food basket in Montreal.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema and reference data.", no_args_is_help=True)
publish_app = typer.Typer(help="Publications for journalists.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(collect_app, name="collect")
app.add_typer(publish_app, name="publish")
app.add_typer(import_app, name="import")
app.add_typer(survey_app, name="survey")
app.add_typer(normalise_app, name="normalise")
console = Console()
app.add_typer(cost.cost_app, name="cost")
app.command("afford")(cost.afford)
app.command("explain")(cost.explain)
app.command("alerts")(cost.alerts)
app.command("trends")(trends.trends)
app.add_typer(bench_app, name="bench")
bench_app.command("import")(bench_import)
bench_app.command("collectors")(collectors_command)
app.add_typer(matches_app, name="matches")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the newest schema and load the reference basket and regions."""
    summary = jobs.set_up_database()
    console.print(
        f"database at revision {summary.revision}; "
        f"{summary.regions_added} regions added; basket {summary.basket_version}"
    )


@app.command("compute")
def compute(
    period_from: Annotated[str | None, typer.Option("--from", help="First month, YYYY-MM")] = None,
    period_to: Annotated[str | None, typer.Option("--to", help="Last month, YYYY-MM")] = None,
) -> None:
    """Match products to basket items and recompute the stored basket costs."""
    summary = jobs.compute_costs(period_from, period_to, progress=console.print)
    console.print(
        f"basket {summary.basket_version}: {summary.observations_used} prices used, "
        f"{summary.new_matches} new product matches, {summary.rows_written} costs stored "
        f"for {summary.periods[0]} to {summary.periods[-1]}"
    )
    print_latest_costs()


def print_latest_costs() -> None:
    """Print the reference family's cost per region for the latest month."""
    costs = jobs.family_costs()
    latest = costs[costs["period"] == costs["period"].max()]
    table = Table(title=f"Reference family, {latest['period'].max()}")
    for header in ("region", "weekly $", "monthly $", "stores", "items priced"):
        table.add_column(header, justify="left" if header == "region" else "right")
    for row in latest.to_dict("records"):
        table.add_row(
            row["region_name"],
            f"{row['weekly_cost']:.2f}",
            f"{row['monthly_cost']:.2f}",
            str(row["stores_priced"]),
            f"{row['items_priced']}/{row['items_total']}",
        )
    console.print(table)


@publish_app.command("bulletin")
def publish_bulletin(
    out: Annotated[Path | None, typer.Option(help="Folder to write to (default ./out)")] = None,
    region: Annotated[str, typer.Option(help="Region of the headline figure")] = "montreal",
) -> None:
    """Write the French bulletin as HTML and PDF, with its chart."""
    files = jobs.publish_bulletin(out, region)
    console.print(f"bulletin written:\n  {files.html}\n  {files.pdf}\n  {files.chart}")


@app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option(help="Interface (default 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000)")] = None,
) -> None:
    """Serve the API (OpenAPI docs at /docs)."""
    import uvicorn

    settings = get_settings()
    host, port = host or settings.api_host, port or settings.api_port
    console.print(
        f"API on http://{host}:{port}\n"
        f"  costs: http://{host}:{port}/v1/costs?region=montreal\n"
        f"  docs:  http://{host}:{port}/docs\n"
        "Ctrl-C to stop."
    )
    # Named, not imported: the command line and the API are sibling adapters.
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, log_level="warning")


@app.command("demo")
def demo(
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Stop after the bulletin")] = False,
    months: Annotated[int, typer.Option(help="Months of prices to crawl, up to now")] = 13,
) -> None:
    """Run the whole cycle on the demo store website: crawl, compute, publish, serve."""
    console.rule("1/4 database")
    db_upgrade()
    console.rule("2/4 crawl of the demo store website")
    periods = jobs.recent_periods(months)
    crawl = [sys.executable, "-m", "cli", "collect", "run", "demo", "--periods", ",".join(periods)]
    # Scrapy's reactor runs once per process: the crawl gets a process of its own.
    if subprocess.run(crawl, env=os.environ.copy(), check=False).returncode != 0:
        raise PpneError("the demo crawl failed (see the message above)")
    console.rule("3/4 basket costs")
    compute()
    console.rule("4/4 bulletin")
    publish_bulletin()
    if not no_serve:
        serve()


def run() -> None:
    """Entry point: domain errors become one line on stderr and exit code 1."""
    try:
        result = app(standalone_mode=False)
    except PpneError as error:
        typer.echo(f"error: {error}", err=True)
        sys.exit(1)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        typer.echo("aborted", err=True)
        sys.exit(130)
    except Exception as error:  # an unexpected failure is still one line unless debugging
        if os.environ.get("PPNE_DEBUG"):
            raise
        typer.echo(f"error: {type(error).__name__}: {error} (PPNE_DEBUG=1 shows more)", err=True)
        sys.exit(1)
    sys.exit(result if isinstance(result, int) else 0)


if __name__ == "__main__":
    run()
