"""`ppne db backup` and `ppne db restore`: the whole database to one file and back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cli.database import database_url

console = Console()


def backup_command(
    out: Annotated[
        Path | None, typer.Option(help="File to write (default out/backups/ppne-<time>.dump)")
    ] = None,
) -> None:
    """Back up the database (pg_dump custom format, or SQLite's online backup)."""
    from core.settings import get_settings
    from services.backup import back_up, default_backup_path

    url = database_url()
    written = back_up(url, out or default_backup_path(get_settings().out_dir, url))
    console.print(f"{written.dialect} backup written: {written.path} ({written.bytes:,} bytes)")


def restore_command(
    backup: Annotated[Path, typer.Argument(help="A file written by `ppne db backup`")],
) -> None:
    """Restore a backup into the configured database, which must be empty."""
    from core.migrate import current_revision
    from services.backup import restore

    url = database_url()
    restore(url, backup)
    console.print(f"restored {backup}; database at revision {current_revision(url)}")
