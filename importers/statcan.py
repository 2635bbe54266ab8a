"""Statistics Canada tables 18-10-0245-01 (average prices) and 18-10-0004-01 (food CPI)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from core.errors import InvalidInput
from importers.base import Importer, open_text
from importers.readings import read_size
from importers.records import ImportedRow, ReferenceRow, Refusal
from importers.source_rules import period_problem, reference_value_problem

PRICES_TABLE = "18-10-0245-01"
CPI_TABLE = "18-10-0004-01"
TABLES = {PRICES_TABLE: "price", CPI_TABLE: "index"}
MAPPING_FILE = resources.files("importers") / "data" / "statcan_items.csv"
# "Beef stewing cuts, per kilogram 4" and "Tofu, 350 grams  5": footnote numbers at the end.
FOOTNOTES = re.compile(r"(?:\s+\d{1,2})+\s*$")
TABLE_LINE = re.compile(r"(\d{2}-\d{2}-\d{4}-\d{2})")
VALUE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*([A-Za-z]?)\s*$")


@lru_cache(maxsize=1)
def product_items() -> dict[str, str]:
    """Return the shipped mapping of StatCan products to basket item codes."""
    with MAPPING_FILE.open(encoding="utf-8") as handle:
        return {row["statcan_product"]: row["item_code"] for row in csv.DictReader(handle)}


@lru_cache(maxsize=512)
def product_size(product: str) -> tuple[Decimal | None, str | None, str | None]:
    """Return (size, unit, price_per) of a product name like "Milk, 2 litres"."""
    described = product.rsplit(",", 1)[-1].strip()
    bracket = re.search(r"\(([^)]*)\)", product)
    if described.startswith("per "):
        # "per kilogram" is a price per kilogram: size 1 kg, priced per kg.
        size, unit = read_size("1 " + described[4:])
        return size, unit, {"g": "kg", "mL": "L"}.get(unit or "", "unit")
    size, unit = read_size(described)
    if size is None and bracket:
        size, unit = read_size(bracket.group(1))
    return size, unit, "unit" if size is not None else None


def detect_layout(path: Path, encoding: str | None = None) -> str:
    """Tell "full" (REF_DATE, GEO... one value a row) from "displayed" (months as columns)."""
    with open_text(path, encoding) as handle:
        first = handle.readline()
    return "full" if "REF_DATE" in first else "displayed"


def detect_table(path: Path, layout: str, encoding: str | None = None) -> str:
    """Find the table id in the file (or its name) so nobody has to say it."""
    with open_text(path, encoding) as handle:
        head = [handle.readline() for _ in range(12)]
    if layout == "displayed":
        for line in head:
            if line.strip('"').startswith("Table:"):
                match = TABLE_LINE.search(line)
                if match:
                    return match.group(1)
    if "Products and product groups" in head[0] or "2002=100" in "".join(head):
        return CPI_TABLE
    digits = re.sub(r"\D", "", path.name)
    if digits.startswith("18100004"):
        return CPI_TABLE
    return PRICES_TABLE


class StatcanImporter(Importer):
    """Reference series from a StatCan CSV, in either layout; values ".." stay missing."""

    kind = "statcan"

    def __init__(
        self, path: Path, *, layout: str | None = None, table: str | None = None, **options: Any
    ) -> None:
        super().__init__(path, **options)
        self.layout = layout or detect_layout(self.path, self.encoding)
        if self.layout not in ("full", "displayed"):
            raise InvalidInput(f"unknown layout {self.layout!r}: full or displayed")
        self.table = table or detect_table(self.path, self.layout, self.encoding)
        if self.table not in TABLES:
            raise InvalidInput(f"unsupported table {self.table!r}: {sorted(TABLES)}")

    def rows(self) -> Iterator[ImportedRow]:
        """Yield one reference value per product, region and month."""
        if self.layout == "full":
            yield from self._full_rows()
        else:
            yield from self._displayed_rows()

    def _reference(
        self, line: int, region: str, product: str, uom: str, period: str, text: str, status: str
    ) -> ImportedRow:
        match = VALUE.match(text or "")
        value = Decimal(match.group(1)) if match else None
        symbol = match.group(2) if match and match.group(2) else None
        # "1e60" or "inf" are numbers the pattern does not take: judge them, not keep them.
        written = value if value is not None else _number(text)
        implausible = reference_value_problem(written) if written is not None else None
        if implausible:
            raw = {"GEO": region, "Products": product, "period": period, "VALUE": text}
            return Refusal(line, "implausible_value", implausible, raw, column="VALUE")
        if value is None and not status:
            status = (text or "..").strip() or ".."
        size, unit, price_per = (
            product_size(product) if TABLES[self.table] == "price" else (None,) * 3
        )
        return ReferenceRow(
            table_id=self.table,
            kind=TABLES[self.table],
            region=region,
            product=product,
            uom=uom,
            period=period,
            value=value,
            row_number=line,
            status=status or None,
            symbol=symbol,
            size=size,
            size_unit=unit,
            price_per=price_per,
            item_code=product_items().get(product),
        )

    def _full_rows(self) -> Iterator[ImportedRow]:
        with open_text(self.path, self.encoding) as handle:
            reader = csv.DictReader(handle)
            product_column = next(
                (name for name in reader.fieldnames or [] if name.startswith("Products")), None
            )
            if product_column is None or "REF_DATE" not in (reader.fieldnames or []):
                raise InvalidInput(f"{self.path}: no REF_DATE or Products column")
            for row in reader:
                line = reader.line_num
                if row.get(product_column) is None or None in row:
                    # A cut-off line (or one with extra cells): a short or long row, not a crash.
                    yield Refusal(line, "wrong_column_count", _cells_detail(row), _plain(row))
                    continue
                period = (row.get("REF_DATE") or "").strip()[:7]
                wrong_period = period_problem(period)
                if wrong_period:
                    yield Refusal(line, "unreadable_date", wrong_period, row, column="REF_DATE")
                    continue
                reference = self._reference(
                    line,
                    row.get("GEO", ""),
                    row[product_column],
                    row.get("UOM", ""),
                    period,
                    row.get("VALUE", ""),
                    (row.get("STATUS") or "").strip(),
                )
                if isinstance(reference, ReferenceRow):
                    reference.vector = row.get("VECTOR") or None
                    reference.coordinate = row.get("COORDINATE") or None
                yield reference

    def _displayed_rows(self) -> Iterator[ImportedRow]:
        region, uom, months = "", "", []
        with open_text(self.path, self.encoding) as handle:
            for line, cells in enumerate(csv.reader(handle), start=1):
                if not cells or not any(cell.strip() for cell in cells):
                    if months:
                        break  # the table ended: footnotes follow
                    continue
                first = cells[0].strip()
                if first == "Geography" and len(cells) > 1:
                    region = cells[1].strip()
                elif first in ("Products", "Products and product groups"):
                    months = [_month(cell) for cell in cells[1:]]
                elif months and not first and len(cells) > 1 and cells[1].strip():
                    uom = cells[1].strip()
                elif months:
                    product = FOOTNOTES.sub("", first).strip()
                    for month, text in zip(months, cells[1:], strict=False):
                        if month:
                            yield self._reference(line, region, product, uom, month, text, "")


def _number(text: str | None) -> Decimal | None:
    try:
        return Decimal((text or "").strip())
    except ArithmeticError:
        return None


def _cells_detail(row: dict[Any, Any]) -> str:
    missing = sum(1 for key, value in row.items() if key is not None and value is None)
    extra = len(row.get(None) or [])
    return f"{missing} cells missing" if missing else f"{extra} cells more than the header"


def _plain(row: dict[Any, Any]) -> dict[str, Any]:
    return {str(key): value for key, value in row.items()}


def _month(text: str) -> str | None:
    try:
        return datetime.strptime(text.strip(), "%B %Y").strftime("%Y-%m")
    except ValueError:
        return None
