"""The record of each import: started, counted, finished, failed or interrupted."""

from __future__ import annotations

import os
import socket

from sqlalchemy import Table, select, update
from sqlalchemy.engine import Engine

from core.models import DataImport
from core.models.base import utc_now

IMPORTS: Table = DataImport.__table__  # type: ignore[attr-defined]


def start_import(engine: Engine, kind: str, source_file: str) -> int:
    """Record the start of an import, with the host and process running it; return its id."""
    with engine.begin() as connection:
        result = connection.execute(
            IMPORTS.insert().values(
                kind=kind,
                source_file=source_file[:1000],
                started_at=utc_now(),
                status="running",
                rows_read=0,
                rows_imported=0,
                duplicates=0,
                rows_refused=0,
                host=socket.gethostname()[:255],
                pid=os.getpid(),
            )
        )
        return int(result.inserted_primary_key[0])


def mark_interrupted(engine: Engine) -> int:
    """Mark "running" imports of this host whose process is gone as interrupted.

    A killed import cannot record its own end; the next import notices. Its committed batches
    stay, and running the same command again completes it without duplicates.
    """
    host = socket.gethostname()[:255]
    with engine.begin() as connection:
        running = connection.execute(
            select(IMPORTS.c.id, IMPORTS.c.pid).where(
                IMPORTS.c.status == "running", IMPORTS.c.host == host
            )
        ).all()
        gone = [import_id for import_id, pid in running if pid is None or not _alive(pid)]
        if gone:
            connection.execute(
                update(IMPORTS)
                .where(IMPORTS.c.id.in_(gone))
                .values(
                    status="interrupted",
                    finished_at=utc_now(),
                    message="the process ended before the import finished (killed?); its"
                    " committed batches are kept: run the same import again to complete it",
                )
            )
    return len(gone)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def finish_import(engine: Engine, import_id: int, status: str, message: str | None = None) -> None:
    """Record how an import ended."""
    with engine.begin() as connection:
        connection.execute(
            update(IMPORTS)
            .where(IMPORTS.c.id == import_id)
            .values(status=status, finished_at=utc_now(), message=message and message[:2000])
        )
