"""`ppne import ...`: bring survey sheets, StatCan tables, Open Prices, flyers and CSV in."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from cli.database import database_url, open_session
from core.errors import PpneError

if TYPE_CHECKING:
    from services.imports import ImportSummary

# The importers (pandas, SQLAlchemy) load inside the commands, so `ppne --help` starts fast.

import_app = typer.Typer(
    help="Import files: survey, StatCan, Open Prices, flyers, CSV.", no_args_is_help=True
)
console = Console()
FileArg = Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="File to import")]
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        help="Text encoding, e.g. cp1252 or utf-16 (detected if omitted: BOM, UTF-8, cp1252)"
    ),
]


def _import(kind: str, file: Path, accept_valid: bool = True, **options: Any) -> ImportSummary:
    """Run one import and print its counts in one line."""
    from core.observations.gate import PriceBounds
    from core.settings import get_settings
    from services.imports import import_file

    settings = get_settings()
    summary = import_file(
        database_url(),
        kind,
        file,
        accept_valid=accept_valid,
        progress=sys.stderr.isatty(),
        price_bounds=PriceBounds(settings.price_min, settings.price_max),
        **options,
    )
    reasons = ", ".join(
        f"{reason} {count}" for reason, count in summary.refused_by_reason.most_common()
    )
    console.print(
        f"import {summary.import_id} ({summary.kind}) {summary.status}: "
        f"{summary.rows_read} rows read, {summary.imported} imported, "
        f"{summary.duplicates} duplicates skipped, {summary.refused} refused"
        + (f" ({reasons})" if reasons else "")
    )
    return summary


@import_app.command("survey")
def import_survey(
    file: FileArg,
    accept_valid: Annotated[
        bool, typer.Option("--accept-valid", help="Import valid rows even if some are refused")
    ] = False,
    encoding: EncodingOpt = None,
) -> None:
    """Validate a filled survey sheet (xlsx or csv) and import it."""
    summary = _import("survey", file, accept_valid, encoding=encoding)
    for refusal in summary.refusals[:50]:
        where = f"{refusal.sheet or ''} row {refusal.row_number}, column {refusal.column}"
        console.print(f"  {where}: {refusal.reason}: {refusal.detail}")
    if summary.status == "rejected":
        raise PpneError(
            f"{summary.refused} rows refused: nothing imported (fix them, or --accept-valid)"
        )


@import_app.command("statcan")
def import_statcan(
    file: FileArg,
    layout: Annotated[
        str | None, typer.Option(help="full or displayed (detected if omitted)")
    ] = None,
    table: Annotated[str | None, typer.Option(help="18-10-0245-01 or 18-10-0004-01")] = None,
    encoding: EncodingOpt = None,
) -> None:
    """Import a Statistics Canada table as reference series."""
    _import("statcan", file, layout=layout, table=table, encoding=encoding)


@import_app.command("openprices")
def import_openprices(file: FileArg, encoding: EncodingOpt = None) -> None:
    """Import Open Prices (API JSON page, JSON Lines, CSV or Parquet export)."""
    _import("openprices", file, encoding=encoding)


@import_app.command("flyers")
def import_flyers(
    file: FileArg,
    region: Annotated[str, typer.Option(help="Region code of the flyer's stores")] = "montreal",
    encoding: EncodingOpt = None,
) -> None:
    """Import a flyer export; its prices are stored as sale prices."""
    _import("flyers", file, region=region, encoding=encoding)


@import_app.command("csv")
def import_csv(
    file: FileArg,
    mapping: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="TOML mapping file")],
    encoding: EncodingOpt = None,
) -> None:
    """Import any CSV whose columns a mapping file describes."""
    _import("csv", file, mapping=mapping, encoding=encoding)


@import_app.command("list")
def import_list() -> None:
    """Show past imports with their counts (a killed one shows as interrupted)."""
    from rich.table import Table

    from services.imports import list_imports

    imports = list_imports(database_url())
    table = Table(title="Imports")
    for header in ("id", "kind", "status", "started", "read", "imported", "duplicates",
                   "refused", "file", "message"):  # fmt: skip
        table.add_column(header)
    for item in imports:
        table.add_row(
            str(item.import_id),
            item.kind,
            item.status,
            f"{item.started_at:%Y-%m-%d %H:%M}",
            str(item.rows_read),
            str(item.rows_imported),
            str(item.duplicates),
            str(item.rows_refused),
            item.source_file,
            item.message or "",
        )
    # Piped into a file or another tool, the table keeps whole words instead of wrapping.
    (console if sys.stdout.isatty() else Console(width=200)).print(table)


@import_app.command("refused")
def import_refused(
    import_id: int,
    output: Annotated[Path | None, typer.Option(help="Write the refused rows to this CSV")] = None,
) -> None:
    """List an import's refused rows with their reasons, or export them as CSV."""
    from services.imports import export_refusals, import_refusals

    with open_session() as session:
        if output is not None:
            count = export_refusals(session, import_id, output)
            console.print(f"{count} refused rows written to {output}")
            return
        rows = import_refusals(session, import_id)
    for row in rows:
        where = f"{row.sheet or ''} row {row.row_number} [{row.column or ''}]"
        console.print(
            f"{where} {row.reason}: {row.detail} {json.loads(row.raw)}",
            markup=False,
            highlight=False,
        )
    console.print(f"{len(rows)} refused rows")
