"""The `ppne normalise` commands: normalise a CSV of price strings, and measure the normaliser."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TextIO

import typer

from core.errors import InvalidInput
from core.normaliser import ParsedPrice, measure, parse_price
from importers.spreadsheet_cells import csv_cell

normalise_app = typer.Typer(
    help="Normalise price strings into exact amounts.", no_args_is_help=True
)

OUTPUT_COLUMNS = [
    "raw_string",
    "amount",
    "currency",
    "quantity",
    "per_quantity",
    "per_unit",
    "price_per_kg",
    "price_per_l",
    "kind",
    "status",
    "reason",
]


@contextmanager
def _rows(path: Path) -> Iterator[csv.DictReader[str]]:
    """Open a CSV and check it has a raw_string column."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise InvalidInput(f"cannot read {path}: {error.strerror}") from None
    with handle:
        reader = csv.DictReader(handle)
        if "raw_string" not in (reader.fieldnames or []):
            raise InvalidInput(
                f"{path}: no raw_string column (columns: {', '.join(reader.fieldnames or [])})"
            )
        yield reader


@contextmanager
def _destination(output: Path | None) -> Iterator[TextIO]:
    """Yield the output file, or standard output when none is given."""
    if output is None:
        yield sys.stdout
        return
    with output.open("w", newline="", encoding="utf-8") as handle:
        yield handle


def _row(price: ParsedPrice) -> dict[str, object]:
    """Return the output columns for one parsed price (empty cells for None)."""
    values = {column: getattr(price, column, None) for column in OUTPUT_COLUMNS[1:]}
    values["raw_string"] = price.raw
    return {key: "" if value is None else value for key, value in values.items()}


@normalise_app.command("prices")
def prices(
    file: Annotated[Path, typer.Argument(help="CSV with a raw_string column.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    currency: Annotated[
        str, typer.Option(help="Currency of a bare '$' or a number alone.")
    ] = "CAD",
) -> None:
    """Normalise every raw_string row by row, keeping rejected ones with their reason."""
    with _rows(file) as reader, _destination(output) as handle:
        writer = csv.DictWriter(handle, fieldnames=OUTPUT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for record in reader:
            row = _row(parse_price(record["raw_string"] or "", default_currency=currency))
            # A raw string such as "=HYPERLINK(...)" must not become a live formula.
            writer.writerow({name: csv_cell(value) for name, value in row.items()})


@normalise_app.command("measure")
def measure_command(
    file: Annotated[
        Path, typer.Argument(help="CSV with raw_string, expected_amount, expected_currency.")
    ],
) -> None:
    """Count correct, rejected and wrong readings against expected answers; list every wrong one."""
    with _rows(file) as reader:
        result = measure(reader)
    share = len(result.wrong) / result.total if result.total else 0.0
    typer.echo(
        f"{result.total} strings: {result.correct} correct, {result.rejected} rejected, "
        f"{len(result.wrong)} wrong ({share:.2%})"
    )
    for wrong in result.wrong:
        got = wrong.got
        typer.echo(
            f"wrong: {wrong.raw!r} expected {wrong.expected_amount or 'no price'} "
            f"{wrong.expected_currency} got {got.amount} {got.currency} ({got.kind})"
        )
