"""Merging two files of one person: everything of the merged file moves to the kept one.

The tables to move are found from the schema's foreign keys to client.id, so a table added
later is moved too without touching this module. The merged file keeps its row, closed and
pointing to the kept one; the audit log is not rewritten (it keeps the client id as a number,
and is append-only), so both histories stay readable.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Column,
    CursorResult,
    Table,
    UniqueConstraint,
    and_,
    exists,
    func,
    select,
    update,
)
from sqlmodel import Session

from core.errors import N_, InvalidInput
from core.models import Client, metadata
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.client_models import MergeResult
from services.records.clients import client_view, writable
from services.records.scope import client_for


def client_references() -> list[tuple[Table, Column[int]]]:
    """Every (table, column) with a foreign key to client.id, in a stable order."""
    found = []
    for table in metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table.name == Client.__tablename__ and key.column.name == "id":
                found.append((table, key.parent))
    return sorted(found, key=lambda pair: (pair[0].name, pair[1].name))


def _unique_partners(table: Table, column: Column[int]) -> list[list[str]]:
    """The other columns of each unique constraint or index that includes `column`."""
    groups = [
        [c.name for c in constraint.columns]
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
    ]
    groups += [[c.name for c in index.columns] for index in table.indexes if index.unique]
    return [
        [name for name in group if name != column.name] for group in groups if column.name in group
    ]


def _move(
    session: Session, table: Table, column: Column[int], keep_id: int, merged_id: int
) -> tuple[int, int]:
    """Point `column` from the merged client to the kept one; return (moved, left).

    A row that would repeat one the kept client already has under a unique constraint (both
    files attended the same session) stays on the merged file rather than fail the merge.
    """
    condition = column == merged_id
    for partners in _unique_partners(table, column):
        twin = table.alias("twin")
        condition = and_(
            condition,
            ~exists().where(
                twin.c[column.name] == keep_id,
                *[twin.c[name] == table.c[name] for name in partners],
            ),
        )
    moved = session.execute(update(table).where(condition).values({column.name: keep_id}))
    assert isinstance(moved, CursorResult)
    left = session.execute(select(func.count()).select_from(table).where(column == merged_id))
    return moved.rowcount or 0, int(left.scalar_one())


def merge_clients(session: Session, actor: Actor, keep_id: int, merged_id: int) -> MergeResult:
    """Merge file `merged_id` into `keep_id` (same organisation); one "merge" audit row.

    Raises:
        NotFound: either file is outside her organisations.
        InvalidInput: the same file twice, two organisations, or a file already merged.
    """
    if keep_id == merged_id:
        raise InvalidInput(N_("a file cannot be merged into itself"))
    keep = client_for(session, actor, keep_id, Permission.CLIENTS_WRITE)
    merged = client_for(session, actor, merged_id, Permission.CLIENTS_WRITE)
    if keep.organisation_id != merged.organisation_id:
        raise InvalidInput(N_("only files of the same organisation can be merged"))
    writable(keep)
    writable(merged)
    moved: dict[str, int] = {}
    left: dict[str, int] = {}
    for table, column in client_references():
        label = table.name if column.name == "client_id" else f"{table.name}.{column.name}"
        count, remaining = _move(session, table, column, keep_id, merged_id)
        if count:
            moved[label] = count
        if remaining:
            left[label] = remaining
    # The bulk updates bypassed the identity map: reload what was loaded before them.
    session.expire_all()
    merged = client_for(session, actor, merged_id, Permission.CLIENTS_WRITE)
    keep = client_for(session, actor, keep_id, Permission.CLIENTS_WRITE)
    merged.merged_into_id = keep.id
    merged.status = "closed"
    merged.status_reason = f"merged into {keep.file_number}"[:200]
    merged.closed_on = date.today()
    session.add(merged)
    summary = ", ".join(f"{name} {count}" for name, count in moved.items()) or "nothing"
    audit(
        session,
        actor,
        "merge",
        "client",
        record_id=merged.id,
        client=keep,
        detail=f"{merged.file_number} into {keep.file_number}; moved: {summary}"
        + (f"; left: {left}" if left else ""),
    )
    session.commit()
    session.refresh(keep)
    return MergeResult(
        kept=client_view(session, actor, keep),
        merged_id=merged_id,
        merged_file_number=merged.file_number,
        moved=moved,
        left=left,
    )
