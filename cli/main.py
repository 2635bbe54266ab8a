"""The `ppne` command: database, collection, costing, publication, API and the demo."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.console import Console
from typer._click.core import Command

# Typer vendors click (0.29 on): its parser's errors are these, not click's own.
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer.core import TyperGroup

from cli import cost, trends
from cli.audit import audit_command
from cli.backup import backup_command, restore_command
from cli.bench import bench_app
from cli.collect import collect_app
from cli.database import database_url, open_session, require_database
from cli.dumps import publish_dump
from cli.errors import one_line, usage_error_line
from cli.imports import import_app
from cli.kitchen import kitchen_app
from cli.matches import matches_app
from cli.normalise import normalise_app
from cli.observations import observations_app
from cli.operations import operations_app
from cli.publish import publish_app, publish_bulletin
from cli.records import records_app
from cli.report import report_app
from cli.routes import routes_app
from cli.schedule import schedule_app
from cli.survey import survey_app
from cli.users import users_app
from core.errors import PpneError

# Heavy libraries (pandas, SQLAlchemy, Scrapy, matplotlib, WeasyPrint, uvicorn) are imported
# inside the commands that use them, so `ppne --help` and the commands without them start fast.


app = typer.Typer(
    help="PPNE: the cost of a nutritious food basket in Montreal.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema and reference data.", no_args_is_help=True)
app.add_typer(db_app, name="db")
db_app.command("backup")(backup_command)
db_app.command("restore")(restore_command)
app.add_typer(collect_app, name="collect")
app.add_typer(publish_app, name="publish")
app.add_typer(import_app, name="import")
app.add_typer(survey_app, name="survey")
app.add_typer(normalise_app, name="normalise")
app.add_typer(cost.cost_app, name="cost")
app.command("afford")(cost.afford)
app.command("explain")(cost.explain)
app.command("alerts")(cost.alerts)
app.command("trends")(trends.trends)
app.add_typer(bench_app, name="bench")
app.add_typer(matches_app, name="matches")
app.add_typer(users_app, name="users")
app.add_typer(report_app, name="report")
app.add_typer(records_app, name="records")
app.add_typer(routes_app, name="routes")
app.add_typer(kitchen_app, name="kitchen")
app.add_typer(operations_app, name="operations")
app.add_typer(schedule_app, name="schedule")
app.command("audit")(audit_command)
app.add_typer(observations_app, name="observations")
console = Console()

# Commands (and groups, by their path) that run without the ppne schema; every other command
# first checks that the database was migrated, in one line and without creating it.
NO_DATABASE = (
    "db upgrade",
    "db restore",
    "demo",
    "cost convert",
    "normalise",
    "collect list",
    "collect parse",
    "bench",
    "schedule list",
)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the newest schema and load the reference basket and regions."""
    from services.database import set_up_database

    summary = set_up_database(database_url())
    console.print(
        f"database at revision {summary.revision}; "
        f"{summary.regions_added} regions added; basket {summary.basket_version}"
    )


@app.command("compute")
def compute(
    period_from: Annotated[
        str | None, typer.Option("--from", help="First month YYYY-MM or round YYYY-Qn")
    ] = None,
    period_to: Annotated[
        str | None, typer.Option("--to", help="Last month YYYY-MM or round YYYY-Qn")
    ] = None,
) -> None:
    """Match products to basket items and recompute the stored basket costs.

    PPNE_COSTING_FREQUENCY=quarter costs survey rounds (YYYY-Qn) instead of months.
    """
    from rich.table import Table

    from core.settings import get_settings
    from services.costing import compute_costs, latest_family_figures
    from services.protocol import costing_protocol

    protocol = costing_protocol(get_settings())
    with open_session() as session:
        summary = compute_costs(session, protocol, period_from, period_to, console.print)
        latest = latest_family_figures(session, protocol.frequency)
    console.print(
        f"basket {summary.basket_version}: {summary.observations_used} prices used, "
        f"{summary.new_matches} new product matches, {summary.rows_written} costs stored "
        f"for {summary.periods[0]} to {summary.periods[-1]}"
    )
    table = Table(title=f"Reference family, {latest.period}")
    for header in ("region", "weekly $", "monthly $", "stores", "items priced", "status"):
        table.add_column(header, justify="left" if header in ("region", "status") else "right")
    for region in latest.regions:
        withheld = region.weekly_cost != region.weekly_cost  # NaN: withheld, not a number
        table.add_row(
            region.region_name,
            "—" if withheld else f"{region.weekly_cost:.2f}",
            "—" if withheld else f"{region.monthly_cost:.2f}",
            str(region.stores_priced),
            f"{region.items_priced}/{region.items_total}",
            region.status,
        )
    console.print(table)
    for region in latest.regions:
        if region.reason:
            console.print(f"{region.region_code}: {region.status}: {region.reason}")


@app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option(help="Interface (default 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000)")] = None,
) -> None:
    """Serve the API (OpenAPI docs at /docs)."""
    import uvicorn

    from core.settings import get_settings

    settings = get_settings()
    host, port = host or settings.api_host, port or settings.api_port
    console.print(
        f"API on http://{host}:{port}\n"
        f"  costs: http://{host}:{port}/v1/costs?region=montreal\n"
        f"  docs:  http://{host}:{port}/docs\n"
        "Ctrl-C to stop."
    )
    # The API is named, not imported: the command line and the API stay apart.
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, log_level="warning")


@app.command("demo")
def demo(
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Stop after the bulletin")] = False,
    months: Annotated[int, typer.Option(help="Months of prices to crawl, up to now")] = 13,
) -> None:
    """Run the whole cycle on the demo store website: crawl, compute, publish, serve."""
    from cli.demo_records import demo_records
    from services.periods import recent_periods

    console.rule("1/4 database and demo records")
    db_upgrade()
    demo_records()
    console.rule("2/4 crawl of the demo store website")
    periods = recent_periods(months)
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


def _needs_database(path: str) -> bool:
    return not any(path == free or path.startswith(free + " ") for free in NO_DATABASE)


def _schema_checked(callback: Callable[..., Any]) -> Callable[..., Any]:
    def checked(*args: Any, **kwargs: Any) -> Any:
        require_database()
        return callback(*args, **kwargs)

    return checked


def _check_schema_first(command: Command, path: str = "") -> None:
    """Make every command that needs the database check its schema before it runs."""
    if isinstance(command, TyperGroup):
        for name, sub in command.commands.items():
            _check_schema_first(sub, f"{path} {name}".strip())
    elif command.callback is not None and _needs_database(path):
        command.callback = _schema_checked(command.callback)


def run() -> None:
    """Entry point: every error becomes one line on stderr and a non-zero exit code."""
    command = typer.main.get_command(app)
    _check_schema_first(command)
    try:
        result = command.main(standalone_mode=False)
    except NoArgsIsHelpError as error:  # `ppne` alone: the help, as before
        error.show()
        sys.exit(error.exit_code)
    except UsageError as error:
        typer.echo(f"error: {usage_error_line(error)}", err=True)
        sys.exit(error.exit_code)
    except ClickException as error:
        typer.echo(f"error: {one_line(error.format_message())}", err=True)
        sys.exit(error.exit_code)
    except PpneError as error:
        typer.echo(f"error: {one_line(str(error))}", err=True)
        sys.exit(1)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(130)
    except Exception as error:  # an unexpected failure is still one line unless debugging
        if os.environ.get("PPNE_DEBUG", "") not in ("", "0"):
            raise
        first = (str(error).strip().splitlines() or ["unexpected failure"])[0]
        typer.echo(f"error: {first} (PPNE_DEBUG=1 shows more)", err=True)
        sys.exit(1)
    sys.exit(result if isinstance(result, int) else 0)


if __name__ == "__main__":
    run()

# The researchers' bulk dump (cli/dumps.py).
publish_app.command("dump")(publish_dump)
