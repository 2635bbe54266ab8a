"""Every row of a client's file, found from the tables' foreign keys rather than a typed list.

A table holding a foreign key to `client` (or to a row already found, such as a distribution
line to its distribution) belongs to the file; so a table added later is exported and purged
without anyone remembering to list it. The audit log has no foreign key (it outlives a
destroyed file) and is read apart by the export.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, delete, select
from sqlmodel import Session

import core.models  # noqa: F401  (every table registered on the metadata before it is read)
from core.models.base import metadata

CLIENT_TABLE = "client"
# The column shown beside a foreign key to a table outside the file (a staff member's email,
# a program's code, a group session's title), first one the parent table has.
LABEL_COLUMNS = ("email", "code", "slug", "title", "name")


@dataclass(frozen=True)
class Link:
    """A foreign key from `table.column` to `parent.id`, followed from parent rows to children."""

    table: str
    column: str
    parent: str


def client_links() -> list[Link]:
    """Every foreign key that reaches a client's rows, directly or through another of them.

    Includes `client.merged_into_id`: a file merged into hers is the same person's.
    """
    tables = metadata.tables
    reached = {CLIENT_TABLE}
    links: list[Link] = []
    changed = True
    while changed:
        changed = False
        for table in tables.values():
            for key in table.foreign_keys:
                parent = key.column.table.name
                link = Link(table.name, key.parent.name, parent)
                if parent in reached and link not in links:
                    links.append(link)
                    reached.add(table.name)
                    changed = True
    return links


def client_tables() -> list[str]:
    """The names of the tables that hold part of a client's file, parents before children."""
    names = {CLIENT_TABLE} | {link.table for link in client_links()}
    return [table.name for table in metadata.sorted_tables if table.name in names]


def _table(name: str) -> Table:
    return metadata.tables[name]


def file_row_ids(session: Session, client_id: int) -> dict[str, set[int]]:
    """The ids of every row of her file, table by table (every file table is a key)."""
    found: dict[str, set[int]] = {name: set() for name in client_tables()}
    found[CLIENT_TABLE].add(client_id)
    links = client_links()
    changed = True
    while changed:  # until no link adds a row: merged files and rows of rows are reached too
        changed = False
        for link in links:
            parents = found[link.parent]
            if not parents:
                continue
            table = _table(link.table)
            ids = set(
                session.execute(
                    select(table.c.id).where(table.c[link.column].in_(sorted(parents)))
                ).scalars()
            )
            if not ids <= found[link.table]:
                found[link.table] |= ids
                changed = True
    return found


def _label_column(table: Table) -> str | None:
    return next((name for name in LABEL_COLUMNS if name in table.c), None)


def file_rows(session: Session, client_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row of her file as dictionaries, each foreign key to an outside table labelled.

    A key to a table outside the file gets a `<column minus _id>_<label>` beside it, e.g.
    `staff_email`, `program_code`, `group_session_title`, so the export reads on its own.
    """
    file_tables = set(client_tables())
    rows: dict[str, list[dict[str, Any]]] = {}
    for name, ids in file_row_ids(session, client_id).items():
        table = _table(name)
        result = session.execute(
            select(table).where(table.c.id.in_(sorted(ids))).order_by(table.c.id)
        )
        records = [dict(row._mapping) for row in result] if ids else []
        for key in table.foreign_keys:
            parent = key.column.table
            label = _label_column(parent)
            if parent.name in file_tables or label is None:
                continue
            column = key.parent.name
            wanted = sorted({r[column] for r in records if r[column] is not None})
            labels = dict(
                session.execute(
                    select(parent.c.id, parent.c[label]).where(parent.c.id.in_(wanted))
                ).all()
            )
            for record in records:
                record[f"{column.removesuffix('_id')}_{label}"] = labels.get(record[column])
        rows[name] = records
    return rows


def delete_file_rows(session: Session, found: dict[str, set[int]]) -> dict[str, int]:
    """Delete the rows found by `file_row_ids`, children before parents; return counts."""
    counts: dict[str, int] = {}
    for table in reversed(metadata.sorted_tables):
        ids = found.get(table.name)
        if not ids:
            continue
        if table.name == CLIENT_TABLE:
            # Merged files point to hers: unlink them first so one statement drops them all.
            session.execute(
                table.update().where(table.c.id.in_(sorted(ids))).values(merged_into_id=None)
            )
        session.execute(delete(table).where(table.c.id.in_(sorted(ids))))
        counts[table.name] = len(ids)
    return counts
