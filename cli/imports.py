"""`ppne import ...`: bring survey sheets, StatCan tables, Open Prices, flyers and CSV in."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from core.db import get_engine, session_scope
from core.errors import NotFound, PpneError
from core.models import DataImport, RefusedRow
from core.settings import get_settings
from importers.base import Importer, ImportSummary, run_import
from importers.flyers import FlyerImporter
from importers.generic_csv import GenericCsvImporter, Mapping
from importers.openprices import OpenPricesImporter
from importers.runs import mark_interrupted
from importers.statcan import StatcanImporter
from importers.survey import SurveyImporter

import_app = typer.Typer(
    help="Import files: survey, StatCan, Open Prices, flyers, CSV.", no_args_is_help=True
)
console = Console()
FileArg = Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="File to import")]


def _run(importer: Importer, accept_valid: bool = True) -> ImportSummary:
    summary = run_import(importer, accept_valid=accept_valid, progress=sys.stderr.isatty())
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
) -> None:
    """Validate a filled survey sheet (xlsx or csv) and import it."""
    summary = _run(SurveyImporter(file), accept_valid)
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
) -> None:
    """Import a Statistics Canada table as reference series."""
    _run(StatcanImporter(file, layout=layout, table=table))


@import_app.command("openprices")
def import_openprices(file: FileArg) -> None:
    """Import Open Prices (API JSON page, JSON Lines, CSV or Parquet export)."""
    _run(OpenPricesImporter(file))


@import_app.command("flyers")
def import_flyers(
    file: FileArg,
    region: Annotated[str, typer.Option(help="Region code of the flyer's stores")] = "montreal",
) -> None:
    """Import a flyer export; its prices are stored as sale prices."""
    _run(FlyerImporter(file, region=region))


@import_app.command("csv")
def import_csv(
    file: FileArg,
    mapping: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="TOML mapping file")],
) -> None:
    """Import any CSV whose columns a mapping file describes."""
    _run(GenericCsvImporter(file, Mapping.load(mapping)))


@import_app.command("list")
def import_list() -> None:
    """Show past imports with their counts (a killed one shows as interrupted)."""
    url = get_settings().database_url
    mark_interrupted(get_engine(url))
    with session_scope(url) as session:
        imports = session.execute(select(DataImport).order_by(DataImport.id)).scalars().all()
    table = Table(title="Imports")
    for header in (
        "id",
        "kind",
        "status",
        "started",
        "read",
        "imported",
        "duplicates",
        "refused",
        "file",
        "message",
    ):
        table.add_column(header)
    for item in imports:
        table.add_row(
            str(item.id),
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
    with session_scope(get_settings().database_url) as session:
        if session.get(DataImport, import_id) is None:
            raise NotFound(f"no import {import_id}")
        rows = (
            session.execute(
                select(RefusedRow).where(RefusedRow.import_id == import_id).order_by(RefusedRow.id)
            )
            .scalars()
            .all()
        )
    if output is not None:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["sheet", "row", "column", "reason", "detail", "raw"])
            for row in rows:
                writer.writerow(
                    [
                        row.sheet or "",
                        row.row_number,
                        row.column or "",
                        row.reason,
                        row.detail,
                        row.raw,
                    ]
                )
        console.print(f"{len(rows)} refused rows written to {output}")
        return
    for row in rows:
        raw = json.loads(row.raw)
        where = f"{row.sheet or ''} row {row.row_number} [{row.column or ''}]"
        console.print(
            f"{where} {row.reason}: {row.detail} {raw}",
            markup=False,
            highlight=False,
        )
    console.print(f"{len(rows)} refused rows")
