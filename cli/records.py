"""The `ppne records` commands (Law 25): export a file, retention, access requests, incidents."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console

from cli.database import open_session

if TYPE_CHECKING:
    from pydantic import BaseModel

    from services.access.actor import Actor

records_app = typer.Typer(
    help="Law 25: exports, retention, access requests, incidents.", no_args_is_help=True
)
requests_app = typer.Typer(
    help="Access, correction and portability requests.", no_args_is_help=True
)
incidents_app = typer.Typer(help="The confidentiality-incident register.", no_args_is_help=True)
records_app.add_typer(requests_app, name="requests")
records_app.add_typer(incidents_app, name="incidents")
console = Console()
M = TypeVar("M", bound="BaseModel")

OrgOption = Annotated[
    str | None, typer.Option("--org", help="Organisation slug, e.g. alima or sesame.")
]


def _operator() -> Actor:
    from services.access.actor import Actor

    return Actor.command_line()


def _validated(model: type[M], data: dict[str, Any]) -> M:
    """The typed input, or one line saying which field is wrong."""
    from pydantic import ValidationError

    from core.errors import InvalidInput

    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InvalidInput(f"{where}: {first['msg']}") from None


@records_app.command("export")
def export_command(
    client: Annotated[str, typer.Argument(help="The client's file number (or id).")],
    org: OrgOption = None,
    out: Annotated[Path | None, typer.Option("--out", help="Folder (default ./out).")] = None,
) -> None:
    """Write a client's whole file as JSON and one CSV per table, in a new folder."""
    from core.settings import get_settings
    from services.records.export import export_client, find_client

    actor = _operator()
    with open_session() as session:
        client_id = find_client(session, actor, client, org)
        files = export_client(session, actor, client_id, out or get_settings().out_dir)
    filled = sum(1 for count in files.rows.values() if count)
    console.print(
        f"export written to {files.folder}\n  {files.json_file.name} and "
        f"{len(files.csv_files)} CSV files ({filled} tables with rows, "
        f"{sum(files.rows.values())} rows)"
    )


@records_app.command("purge")
def purge_command(
    org: OrgOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would happen; change nothing.")
    ] = False,
    today: Annotated[
        str | None, typer.Option("--today", help="Date to judge by, YYYY-MM-DD (default today).")
    ] = None,
) -> None:
    """Destroy or anonymise the closed files whose retention has run out."""
    from rich.table import Table

    from core.errors import InvalidInput
    from services.records.retention import preview_retention, run_retention

    try:
        on = date.fromisoformat(today) if today else None
    except ValueError:
        raise InvalidInput(f"--today {today!r} is not a date (YYYY-MM-DD)") from None
    with open_session() as session:
        use_case = preview_retention if dry_run else run_retention
        report = use_case(session, _operator(), organisation=org, today=on)
    verb = "would be" if dry_run else "were"
    table = Table(title=f"Conservation, {report.organisation}, {report.today.isoformat()}")
    for header in ("file", "action", "why"):
        table.add_column(header)
    for decision in report.decisions:
        table.add_row(decision.file_number, decision.action, decision.reason)
    console.print(table)
    destroyed = sum(1 for d in report.decisions if d.action == "destroy")
    console.print(
        f"{destroyed} files {verb} destroyed, "
        f"{len(report.decisions) - destroyed} {verb} anonymised"
        + ("" if dry_run else f"; rows: {report.rows}")
    )


@requests_app.command("list")
def requests_list(
    org: OrgOption = None,
    open_only: Annotated[bool, typer.Option("--open", help="Unanswered only.")] = False,
) -> None:
    """List the requests, oldest due first, with the days left and the overdue ones."""
    from rich.table import Table

    from services.records.access_requests import list_requests

    with open_session() as session:
        rows = list_requests(session, _operator(), organisation=org, open_only=open_only)
    table = Table(title=f"Demandes d'accès ({len(rows)})")
    for header in ("id", "kind", "requester", "received", "due", "answered", "status"):
        table.add_column(header)
    for row in rows:
        if row.answered_on is not None:
            status = "answered late" if row.answered_late else "answered"
        else:
            status = "OVERDUE" if row.overdue else f"{row.days_left} days left"
        table.add_row(
            str(row.id),
            row.kind,
            row.requester,
            row.received_on.isoformat(),
            row.due_on.isoformat(),
            row.answered_on.isoformat() if row.answered_on else "",
            status,
        )
    console.print(table)


@requests_app.command("add")
def requests_add(
    kind: Annotated[str, typer.Argument(help="access, correction or portability.")],
    requester: Annotated[str, typer.Argument(help="Who asked.")],
    org: OrgOption = None,
    received: Annotated[
        str | None, typer.Option("--received", help="YYYY-MM-DD (default today).")
    ] = None,
    client: Annotated[str | None, typer.Option("--client", help="File number (or id).")] = None,
    notes: Annotated[str | None, typer.Option("--notes")] = None,
) -> None:
    """Record a request; it is due 30 days after it was received."""
    from services.records.access_requests import NewAccessRequest, record_request
    from services.records.export import find_client

    actor = _operator()
    with open_session() as session:
        client_id = find_client(session, actor, client, org) if client else None
        request = _validated(
            NewAccessRequest,
            {
                "kind": kind,
                "requester": requester,
                "client_id": client_id,
                "notes": notes,
                "received_on": received or date.today().isoformat(),
            },
        )
        row = record_request(session, actor, request, organisation=org)
    console.print(f"request {row.id} ({row.kind}) recorded, due {row.due_on.isoformat()}")


@requests_app.command("answer")
def requests_answer(
    request_id: Annotated[int, typer.Argument(help="The request's id.")],
    on: Annotated[str | None, typer.Option("--on", help="YYYY-MM-DD (default today).")] = None,
    notes: Annotated[str | None, typer.Option("--notes")] = None,
) -> None:
    """Record the day a request was answered."""
    from services.records.access_requests import AccessRequestChange, update_request

    fields: dict[str, object] = {"answered_on": on or date.today().isoformat()}
    if notes is not None:
        fields["notes"] = notes
    with open_session() as session:
        row = update_request(
            session, _operator(), request_id, _validated(AccessRequestChange, fields)
        )
    late = " (late)" if row.answered_late else ""
    console.print(f"request {row.id} answered on {row.answered_on}{late}")


@incidents_app.command("list")
def incidents_list(org: OrgOption = None) -> None:
    """List the register, newest discovery first."""
    from rich.table import Table

    from services.records.incidents import list_incidents

    with open_session() as session:
        rows = list_incidents(session, _operator(), organisation=org)
    table = Table(title=f"Registre des incidents de confidentialité ({len(rows)})")
    for header in ("id", "discovered", "information", "people", "serious risk", "notices"):
        table.add_column(header)
    for row in rows:
        sent = [
            f"CAI {row.commission_notified_on}" if row.commission_notified_on else "",
            f"personnes {row.people_notified_on}" if row.people_notified_on else "",
        ]
        notices = ", ".join(s for s in sent if s) or ("OWED" if row.notices_owed else "")
        table.add_row(
            str(row.id),
            row.discovered_on.isoformat(),
            row.information_concerned,
            "" if row.people_affected is None else str(row.people_affected),
            "yes" if row.serious_harm_risk else "no",
            notices,
        )
    console.print(table)


@incidents_app.command("add")
def incidents_add(
    information: Annotated[str, typer.Option("--information", help="Information concerned.")],
    circumstances: Annotated[str, typer.Option("--circumstances", help="What happened.")],
    discovered: Annotated[str, typer.Option("--discovered", help="YYYY-MM-DD.")],
    org: OrgOption = None,
    occurred: Annotated[str | None, typer.Option("--occurred", help="YYYY-MM-DD.")] = None,
    people: Annotated[int | None, typer.Option("--people", min=0)] = None,
    serious: Annotated[
        bool, typer.Option("--serious-risk", help="A risk of serious harm.")
    ] = False,
    assessment: Annotated[str | None, typer.Option("--assessment")] = None,
    measures: Annotated[str | None, typer.Option("--measures")] = None,
) -> None:
    """Add an incident to the register."""
    from services.records.incidents import NewIncident, record_incident

    incident = _validated(
        NewIncident,
        {
            "information_concerned": information,
            "circumstances": circumstances,
            "discovered_on": discovered,
            "occurred_on": occurred,
            "people_affected": people,
            "serious_harm_risk": serious,
            "risk_assessment": assessment,
            "measures_taken": measures,
        },
    )
    with open_session() as session:
        row = record_incident(session, _operator(), incident, organisation=org)
    owed = " — notices to the Commission and the people owed" if row.notices_owed else ""
    console.print(f"incident {row.id} recorded{owed}")
