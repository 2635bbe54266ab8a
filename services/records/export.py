"""Give a person her file (Law 25 s. 27 access, s. 3.3 portability): JSON and one CSV a table.

Everything of hers goes out: her client row, every row of every table reaching her through a
foreign key (found from the metadata, see client_rows), and the audit of who read or changed
her file, with their emails. Written to a folder (not a zip): `export.json` plus `<table>.csv`,
UTF-8, dates and times in ISO 8601, amounts as decimal text. Clinical rows go out too: the
right of access covers them, and answering it is the privacy officer's role.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, select

from core.errors import N_, InvalidInput, NotFound
from core.models import AuditEvent, Client, Organisation, User
from core.models.base import metadata, utc_now
from services.access.actor import Actor
from services.access.organisations import organisation_by_slug
from services.access.roles import Permission
from services.records.audit import audit
from services.records.client_rows import file_rows
from services.records.scope import client_for

FORMAT = "ppne-client-export/1"
AUDIT_TABLE = "auditevent"


class ClientExport(BaseModel):
    """A client's whole file: each table's rows (every file table present, even empty)."""

    format: str = FORMAT
    exported_at: datetime
    organisation: str
    client_id: int
    file_number: str
    tables: dict[str, list[dict[str, Any]]]


class ExportFiles(BaseModel):
    """Where an export was written, and how many rows each table gave."""

    folder: Path
    json_file: Path
    csv_files: list[Path]
    rows: dict[str, int]


def find_client(session: Session, actor: Actor, reference: str, org: str | None) -> int:
    """The id of the client named by a file number (or, failing that, an id) on the CLI.

    Raises:
        NotFound: no such file number in the organisation(s), and no such id.
        InvalidInput: the file number exists in several organisations and none was named.
    """
    query = select(Client.id, Client.organisation_id).where(Client.file_number == reference)
    if org is not None:
        query = query.where(Client.organisation_id == organisation_by_slug(session, org).id)
    found = session.exec(query).all()
    if len(found) > 1:
        raise InvalidInput(
            N_("file %(reference)s exists in several organisations: name one (--org)"),
            reference=reference,
        )
    if found:
        client_id = found[0][0]
        assert client_id is not None
        return client_id
    if reference.isdigit():
        return int(reference)
    raise NotFound(f"no client file {reference}")


def client_export(session: Session, actor: Actor, client_id: int) -> ClientExport:
    """Return a client's whole file, audited as one "export" row.

    Raises:
        NotFound: no such client, or another organisation's.
        Forbidden: her organisation's, but the caller's role lacks privacy:manage (audited).
    """
    client = client_for(session, actor, client_id, Permission.PRIVACY_MANAGE)
    tables = file_rows(session, client_id)
    tables[AUDIT_TABLE] = _audit_of(session, client)
    organisation = session.get(Organisation, client.organisation_id)
    assert organisation is not None and client.id is not None
    counts = ", ".join(f"{name} {len(rows)}" for name, rows in tables.items() if rows)
    audit(session, actor, "export", "client", record_id=client.id, client=client, detail=counts)
    session.commit()
    return ClientExport(
        exported_at=utc_now(),
        organisation=organisation.slug,
        client_id=client.id,
        file_number=client.file_number,
        tables={name: [_plain_row(row) for row in rows] for name, rows in tables.items()},
    )


def export_client(session: Session, actor: Actor, client_id: int, out_dir: Path) -> ExportFiles:
    """Write a client's whole file under `out_dir`, in a folder of its own; return the paths."""
    export = client_export(session, actor, client_id)
    stamp = export.exported_at.strftime("%Y%m%dT%H%M%SZ")
    safe_number = re.sub(r"[^A-Za-z0-9_-]", "_", export.file_number)
    folder = out_dir / f"export-{export.organisation}-{safe_number}-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    json_file = folder / "export.json"
    json_file.write_text(
        json.dumps(export.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    csv_files = [_write_csv(folder, name, rows) for name, rows in export.tables.items()]
    return ExportFiles(
        folder=folder,
        json_file=json_file,
        csv_files=csv_files,
        rows={name: len(rows) for name, rows in export.tables.items()},
    )


def _audit_of(session: Session, client: Client) -> list[dict[str, Any]]:
    """Who read or changed her file, with their emails (the operator by her login).

    Only rows of her organisation since her file was opened: SQLite may give a destroyed
    file's id to the next file, and the destroyed file's audit is not hers.
    """
    found = session.exec(
        select(AuditEvent, User.email)
        .join(User, col(User.id) == col(AuditEvent.user_id), isouter=True)
        .where(
            AuditEvent.client_id == client.id,
            AuditEvent.organisation_id == client.organisation_id,
            AuditEvent.at >= client.created_at,
        )
        .order_by(col(AuditEvent.id))
    ).all()
    return [{**event.model_dump(), "user_email": email or event.source} for event, email in found]


def _plain(value: Any) -> Any:
    """A value JSON and CSV both carry as is: ISO dates, decimal text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _plain_row(row: dict[str, Any]) -> dict[str, Any]:
    return {key: _plain(value) for key, value in row.items()}


def _write_csv(folder: Path, name: str, rows: list[dict[str, Any]]) -> Path:
    """One table as CSV (UTF-8 with BOM, so spreadsheets read the accents); the table's
    columns as headers even if it has no rows, true/false for booleans."""
    columns = [column.name for column in metadata.tables[name].c]
    for row in rows:
        columns.extend(key for key in row if key not in columns)
    path = folder / f"{name}.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {k: str(v).lower() if isinstance(v, bool) else v for k, v in row.items()}
            )
    return path
