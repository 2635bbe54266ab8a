"""The `ppne report` commands: the outputs report for funders, suppressed, as CSV, XLSX or JSON."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console

from cli.database import open_session
from core.errors import InvalidInput

report_app = typer.Typer(help="Reports for funders (aggregates, small cells suppressed).",
                         no_args_is_help=True)  # fmt: skip
console = Console(stderr=True)


@report_app.command("outputs")
def outputs_command(
    org: str = typer.Option(..., "--org", help="Organisation slug, e.g. alima or sesame."),
    period_from: str = typer.Option(..., "--from", help="First period, YYYY-MM or YYYY-Qn."),
    period_to: str = typer.Option(..., "--to", help="Last period, YYYY-MM or YYYY-Qn."),
    by: str | None = typer.Option(None, "--by", help="program, territory or age."),
    fmt: str = typer.Option("csv", "--format", help="csv, xlsx or json."),
    out: Path | None = typer.Option(None, "--out", help="File to write (default: stdout)."),
    round5: bool = typer.Option(False, "--round5", help="Round shown counts to base 5."),
) -> None:
    """Clients served (unduplicated, new and continuing), services, coupons, referrals and
    activities for a period; only clients who consented to statistics are counted."""
    from core.settings import get_settings
    from services.access.actor import Actor
    from services.records.outputs import outputs_report
    from services.records.outputs_render import FORMATS, render

    if fmt not in FORMATS:
        raise InvalidInput(f"--format must be one of {', '.join(FORMATS)}")
    if fmt == "xlsx" and out is None:
        raise InvalidInput("an XLSX report needs --out FILE")
    threshold = get_settings().suppression_threshold
    with open_session() as session:
        report = outputs_report(
            session, Actor.command_line(), org, period_from, period_to,
            by=by, threshold=threshold, round5=round5,
        )  # fmt: skip
    data = render(report, fmt)
    if out is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    console.print(
        f"{out}: {len(report.rows)} rows, {len(report.suppressed)} cells suppressed "
        f"(threshold {report.threshold})"
    )
