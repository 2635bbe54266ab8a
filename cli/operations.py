"""`ppne operations`: food-aid frequency rules and the operations' outputs, as the operator."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cli.database import open_session

operations_app = typer.Typer(
    help="Produce boxes, kitchens, food aid, volunteers: rules and outputs.", no_args_is_help=True
)
console = Console()
OrgOption = Annotated[str | None, typer.Option("--org", help="Organisation slug, e.g. sesame.")]


@operations_app.command("food-aid-rule")
def food_aid_rule(
    max_visits: Annotated[int, typer.Option("--max-visits", help="Visits allowed in the window.")],
    window_days: Annotated[int, typer.Option("--window-days", help="Rolling window.")] = 30,
    action: Annotated[str, typer.Option("--action", help="refuse or flag.")] = "refuse",
    referral: Annotated[
        str | None, typer.Option("--referral", help="Resource to refer her to once reached.")
    ] = None,
    program: Annotated[str, typer.Option("--program", help="Program code.")] = "food_aid",
    org: OrgOption = None,
) -> None:
    """Put a food-aid visit-frequency rule in force (the previous one stops)."""
    from services.access.actor import Actor
    from services.records.food_aid import RuleIn, set_rule

    rule = RuleIn(
        program=program,
        max_visits=max_visits,
        window_days=window_days,
        action=action,
        referral_resource=referral,
    )
    with open_session() as session:
        answer = set_rule(session, Actor.command_line(), rule, org)
    where = f"; then refer to {answer.referral_resource}" if answer.referral_resource else ""
    console.print(
        f"Rule {answer.rule_id} ({answer.program}): at most {answer.max_visits} visits in "
        f"{answer.window_days} days, {answer.action}{where}."
    )


@operations_app.command("outputs")
def outputs(
    starts_on: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.")],
    ends_on: Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD.")],
    org: OrgOption = None,
    threshold: Annotated[int, typer.Option("--threshold", help="Suppression threshold.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    fmt: Annotated[
        str | None, typer.Option("--format", help="csv or xlsx (labelled lines, fr and en).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="File to write (xlsx needs one).")
    ] = None,
) -> None:
    """Boxes and their saving, kitchen portions, food-aid visits, café, meals delivered,
    volunteer hours, and each service by territory."""
    from core.errors import InvalidInput
    from services.access.actor import Actor
    from services.records.outputs_sesame import operations_outputs

    try:
        first, last = date.fromisoformat(starts_on), date.fromisoformat(ends_on)
    except ValueError:
        raise InvalidInput("--from and --to are days: YYYY-MM-DD") from None
    if fmt not in (None, "csv", "xlsx"):
        raise InvalidInput("--format must be csv or xlsx")
    if fmt == "xlsx" and out is None:
        raise InvalidInput("an XLSX file needs --out FILE")
    with open_session() as session:
        section = operations_outputs(session, Actor.command_line(), org, first, last, threshold)
    if fmt is not None:
        from services.records.outputs_render import operations_file

        data = operations_file(section, fmt)
        if out is None:
            typer.echo(data.decode("utf-8"), nl=False)
        else:
            out.write_bytes(data)
            console.print(f"{out}: the operations of {first} .. {last}")
        return
    if as_json:
        typer.echo(json.dumps(section.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    figures = section.model_dump(mode="json")
    territories = figures.pop("territories")
    table = Table("Figure", "Value", title=f"Operations {first} .. {last}")
    for name, value in figures.items():
        table.add_row(name, "x" if value is None else str(value))
    console.print(table)
    # Each service by territory ("x": suppressed), one row a territory.
    by_territory = Table("territory", title="By territory")
    columns = [name for name in territories[0] if name not in ("territory", "name")]
    for name in columns:
        by_territory.add_column(name, justify="right")
    for row in territories:
        cells = ["x" if row[name] is None else str(row[name]) for name in columns]
        by_territory.add_row(row["name"], *cells)
    console.print(by_territory)
