"""The `ppne audit` command: the audit log, newest first, as a table (the operator reads it)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console

console = Console()


def audit_command(
    org: Annotated[str | None, typer.Option("--org", help="Only this organisation.")] = None,
    client: Annotated[
        str | None, typer.Option("--client", help="A file number, or a client id.")
    ] = None,
    user: Annotated[str | None, typer.Option("--user", help="The email of an account.")] = None,
    since: Annotated[
        datetime | None, typer.Option("--since", help="From this date or time (ISO).")
    ] = None,
    action: Annotated[
        str | None, typer.Option("--action", help="read, create, update, export, purge...")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500, help="Rows to show.")] = 50,
) -> None:
    """List the audit log: who read or changed which file, when, from where."""
    from rich.table import Table

    from cli.database import open_session
    from core.models import Client
    from services.access.actor import Actor
    from services.records.audit_log import AuditFilters, list_audit
    from services.records.export import find_client

    actor = Actor.command_line()
    filters = AuditFilters(organisation=org, user_email=user, since=since, action=action)
    with open_session() as session:
        if client is not None:
            # A file number first; digits that are no file number are an id (a destroyed
            # file's audit is found by its id only).
            client_id = find_client(session, actor, client, org)
            found = session.get(Client, client_id)
            if found is not None and found.file_number == client:
                # By number: a destroyed file whose id SQLite gave again stays out.
                filters.file_number = client
            else:
                filters.client_id = client_id
        page = list_audit(session, actor, filters, limit=limit)
    table = Table(title=f"Journal d'audit ({len(page.rows)} lignes)")
    for header in ("id", "when (UTC)", "who", "action", "record", "client", "source", "detail"):
        table.add_column(header)
    for row in page.rows:
        table.add_row(
            str(row.id),
            row.at.strftime("%Y-%m-%d %H:%M:%S"),
            row.who,
            row.action,
            f"{row.record_type} {row.record_id}" if row.record_id else row.record_type,
            row.file_number or (f"#{row.client_id}" if row.client_id else ""),
            row.source,
            row.detail or "",
        )
    console.print(table)
    if page.next_before is not None:
        console.print(
            f"more rows: narrow the filters or raise --limit (next before {page.next_before})"
        )
