"""The in-store survey: a sheet per period and stores, filled in by hand, then validated."""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from core.db import session_scope
from core.errors import InvalidInput
from core.models import BasketItem, Region, Store
from core.queries.basket import latest_version
from core.settings import get_settings
from importers.base import Importer, open_text
from importers.readings import NOON, derived_sku, read_day, read_price, read_size
from importers.records import ImportedRow, PriceRow, ProductRef, Refusal, StoreRef
from importers.spreadsheet_cells import csv_line, make_inert, read_csv_cell
from importers.xlsx_safety import MAX_EXPANDED_BYTES, MAX_ROWS, check_xlsx, check_xlsx_directory

# (key, French label, English label): line 1 of the sheet is French, line 2 English.
COLUMNS = [
    ("period", "Période", "Period (YYYY-MM)"),
    ("store_code", "Code du magasin", "Store code"),
    ("store_name", "Magasin", "Store"),
    ("item_code", "Code de l'article", "Item code"),
    ("item_name", "Article", "Item"),
    ("specification", "Format recherché", "Size to look for"),
    ("price", "Prix ($)", "Price ($)"),
    ("size_found", "Format trouvé", "Size found"),
    ("brand", "Marque", "Brand"),
    ("price_kind", "Régulier ou solde", "Regular or sale"),
    ("not_available", "Non disponible (x)", "Not available (x)"),
    ("surveyor", "Enquêteur·rice", "Surveyor"),
    ("date", "Date (AAAA-MM-JJ)", "Date (YYYY-MM-DD)"),
]
KEYS = [key for key, _, _ in COLUMNS]
_LABELS = {label.casefold(): key for key, fr, en in COLUMNS for label in (key, fr, en)}
KINDS = {
    "": "regular",
    "régulier": "regular",
    "regulier": "regular",
    "regular": "regular",
    "r": "regular",
    "solde": "sale",
    "sale": "sale",
    "s": "sale",
    "spécial": "sale",
}
YES = {"x", "oui", "o", "yes", "y", "1", "true", "vrai"}
SHEET = "relevé"


@dataclass(frozen=True)
class SurveyItem:
    """What the survey needs of a basket item."""

    code: str
    name_fr: str
    purchase_size: Decimal
    unit: str
    size_min: Decimal | None
    size_max: Decimal | None

    def specification(self) -> str:
        """Say in French which size to look for."""
        low = self.size_min if self.size_min is not None else self.purchase_size
        high = self.size_max if self.size_max is not None else self.purchase_size
        return f"{self.purchase_size:g} {self.unit} (accepté : {low:g} à {high:g} {self.unit})"


def survey_items(session: Session) -> dict[str, SurveyItem]:
    """Return the newest basket's items by code."""
    version = latest_version(session)
    items = session.exec(select(BasketItem).where(BasketItem.version_id == version.id)).all()
    return {
        item.code: SurveyItem(
            item.code,
            item.name_fr,
            item.purchase_size,
            item.purchase_unit,
            item.size_min,
            item.size_max,
        )
        for item in items
    }


def survey_stores(session: Session) -> dict[str, StoreRef]:
    """Return every store by code, as the survey names them."""
    rows = session.exec(select(Store, Region.code).join(Region, Region.id == Store.region_id)).all()
    return {
        store.code: StoreRef(store.code, store.chain, store.name, region_code, banner=store.banner)
        for store, region_code in rows
    }


def template_rows(period: str, store_codes: list[str], url: str | None = None) -> list[list[str]]:
    """Return the sheet's lines: French labels, English labels, one line per store and item."""
    with session_scope(url or get_settings().database_url) as session:
        items = survey_items(session)
        stores = survey_stores(session)
    unknown = [code for code in store_codes if code not in stores]
    if unknown:
        raise InvalidInput(f"unknown store codes {unknown}; known: {sorted(stores)[:20]}")
    lines = [[fr for _, fr, _ in COLUMNS], [en for _, _, en in COLUMNS]]
    for code in store_codes:
        for item in items.values():
            lines.append(
                [period, code, stores[code].name, item.code, item.name_fr, item.specification()]
                + [""] * (len(COLUMNS) - 6)
            )
    return lines


def write_template(
    path: Path, period: str, store_codes: list[str], fmt: str, url: str | None = None
) -> int:
    """Write the survey sheet as xlsx or csv; return the number of lines to fill in."""
    try:
        datetime.strptime(period, "%Y-%m")
    except ValueError as error:
        raise InvalidInput(f"period {period!r} is not YYYY-MM") from error
    lines = template_rows(period, store_codes, url)
    if fmt == "csv":
        with open(path, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(csv_line(line) for line in lines)
    elif fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = SHEET
        for line in lines:
            sheet.append(line)
        for row in sheet.iter_rows():
            for cell in row:
                make_inert(cell)  # a store named "=HYPERLINK(...)" stays text
        sheet.freeze_panes = "A3"
        book.save(path)
    else:
        raise InvalidInput(f"format {fmt!r}: xlsx or csv")
    return len(lines) - 2


def _is_workbook(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm")


class Formula(str):
    """A cell holding a formula: its value is whatever the sheet computes, so it is refused."""


def _sheet_lines(
    path: Path, name: str, encoding: str | None = None
) -> Iterator[tuple[str | None, int, list[Any]]]:
    if _is_workbook(path):
        from openpyxl import load_workbook

        try:
            # data_only=False: a formula shows as one, instead of a cached value or nothing.
            book = load_workbook(path, read_only=True, data_only=False)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
            raise InvalidInput(
                f"{name}: not a readable xlsx file ({type(error).__name__})"
            ) from error
        try:
            for sheet in book.worksheets:
                for number, cells in enumerate(sheet.iter_rows(), start=1):
                    yield sheet.title, number, [_xlsx_value(cell) for cell in cells]
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as error:
            raise InvalidInput(
                f"{name}: a sheet of the xlsx is unreadable ({type(error).__name__})"
            ) from error
        finally:
            book.close()
    else:
        with open_text(path, encoding) as handle:
            for number, values in enumerate(csv.reader(handle), start=1):
                yield None, number, [read_csv_cell(value) for value in values]


def _xlsx_value(cell: Any) -> Any:
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f":
        return Formula(value if isinstance(value, str) else "=?")
    return value


def _check_text(path: Path, name: str) -> None:
    with open(path, "rb") as handle:
        start = handle.read(8192)
    # UTF-16 has zero bytes in every line; with its byte-order mark it is text.
    if b"\0" in start and not start.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InvalidInput(f"{name}: a binary file, not a CSV sheet")


def _check_line_count(path: Path, name: str) -> None:
    # Lines, not rows: a quoted cell may hold a line break, so rows are never more than lines.
    # Counted in chunks and stopped at the limit, so a huge file is refused after a few MB.
    lines = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
            if lines > MAX_ROWS:
                raise InvalidInput(f"{name}: over {MAX_ROWS:,} lines, the limit for a survey sheet")


def check_sheet_envelope(path: Path, name: str, max_expanded: int = MAX_EXPANDED_BYTES) -> None:
    """Refuse what is plainly not a sheet at a glance: an xlsx from its zip directory alone, a
    CSV from its first 8 KB. Cheap enough for the API server to run before an import starts.

    Raises:
        InvalidInput: saying what is wrong, with the name the sheet was sent under.
    """
    if _is_workbook(path):
        check_xlsx_directory(path, max_expanded, name)
    else:
        _check_text(path, name)


def check_sheet_safety(path: Path, name: str, max_expanded: int = MAX_EXPANDED_BYTES) -> None:
    """Refuse a sheet that is not what it claims before any row is read: an xlsx that is not
    a workbook or expands past `max_expanded` bytes, a CSV that is binary; either with more
    than MAX_ROWS rows.

    Raises:
        InvalidInput: saying what is wrong, with the name the sheet was sent under.
    """
    if _is_workbook(path):
        check_xlsx(path, max_expanded, name)
    else:
        _check_text(path, name)
        _check_line_count(path, name)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Formula):
        return value
    return str(value).strip()


class SurveyImporter(Importer):
    """Survey rows, each validated; nothing goes in while a row is refused, unless asked."""

    kind = "survey"
    all_or_nothing = True

    def prepare(self) -> None:
        """Load the basket items and stores the rows are checked against."""
        limit = self.options.get("max_expanded_bytes", MAX_EXPANDED_BYTES)
        check_sheet_safety(self.path, Path(self.source_name).name, limit)
        with session_scope(self.url) as session:
            self.items = survey_items(session)
            self.stores = survey_stores(session)

    def rows(self) -> Iterator[ImportedRow]:
        """Yield a price or a refusal for every filled line of every sheet."""
        positions: dict[str | None, dict[str, int]] = {}
        for sheet, number, values in _sheet_lines(
            self.path, Path(self.source_name).name, self.encoding
        ):
            cells = [_cell(value) for value in values]
            keys = [_LABELS.get(cell.casefold()) for cell in cells]
            if "price" in keys and "store_code" in keys:
                positions[sheet] = {key: index for index, key in enumerate(keys) if key}
                continue  # a label line (French, English or keys)
            if sheet not in positions or not any(cells):
                continue
            row = {
                key: cells[index] if index < len(cells) else ""
                for key, index in positions[sheet].items()
            }
            formulas = [
                key
                for key, index in positions[sheet].items()
                if index < len(cells) and isinstance(cells[index], Formula)
            ]
            if formulas:
                detail = f"{formulas[0]} holds the formula {cells[positions[sheet][formulas[0]]]!r}"
                yield Refusal(
                    number,
                    "formula_cell",
                    detail + ": type the value itself",
                    dict(row),
                    sheet=sheet,
                    column=formulas[0],
                )
                continue
            if not row.get("price") and not row.get("not_available"):
                continue  # a line nobody filled in: not surveyed, nothing to say
            yield self._read(sheet, number, row)

    def _read(self, sheet: str | None, number: int, row: dict[str, str]) -> ImportedRow:
        def refuse(reason: str, column: str, detail: str) -> Refusal:
            return Refusal(number, reason, detail, dict(row), sheet=sheet, column=column)

        store = self.stores.get(row.get("store_code", ""))
        if store is None:
            return refuse("unknown_store", "store_code", f"unknown store {row.get('store_code')!r}")
        item = self.items.get(row.get("item_code", ""))
        if item is None:
            return refuse("unknown_item", "item_code", f"unknown item {row.get('item_code')!r}")
        surveyor = row.get("surveyor", "")
        if not surveyor:
            return refuse("missing_surveyor", "surveyor", "who surveyed this line?")
        period = row.get("period", "")
        day = read_day(row.get("date", ""))
        if day is None:
            return refuse("unreadable_date", "date", f"date {row.get('date')!r} is not YYYY-MM-DD")
        if day.strftime("%Y-%m") != period:
            return refuse("date_outside_period", "date", f"{day:%Y-%m-%d} is not in {period!r}")
        kind = KINDS.get(row.get("price_kind", "").casefold())
        if kind is None:
            return refuse("unknown_price_kind", "price_kind", f"{row.get('price_kind')!r}")
        available = row.get("not_available", "").casefold() not in YES
        price = Decimal("0")
        if available:
            read, _, reason = read_price(row.get("price", ""))
            if read is None or read <= 0:
                return refuse("unreadable_price", "price", f"{row.get('price')!r}: {reason}")
            price = read
        size_text = row.get("size_found", "") or f"{item.purchase_size} {item.unit}"
        size, unit = read_size(size_text)
        if size is None:
            return refuse("unreadable_size", "size_found", f"size {size_text!r}")
        low = item.size_min if item.size_min is not None else item.purchase_size
        high = item.size_max if item.size_max is not None else item.purchase_size
        if unit != item.unit or not low <= size <= high:
            return refuse(
                "size_out_of_range", "size_found", f"{size_text!r}: wanted {item.specification()}"
            )
        brand = row.get("brand", "")
        return PriceRow(
            store=store,
            product=ProductRef(
                chain=store.chain,
                sku=derived_sku("survey", item.code, size, unit, brand),
                name=f"{item.name_fr} {brand}".strip(),
                brand=brand or None,
                size=size,
                size_unit=unit,
            ),
            price=price,
            price_kind=kind,
            available=available,
            observed_at=datetime.combine(day.date(), NOON),
            raw_price_text=row.get("price", ""),
            source_url=f"survey:{Path(self.source_name).name}#{sheet or 'csv'}!{number}",
            row_number=number,
            sheet=sheet or "csv",
            surveyor=surveyor,
            item_code=item.code,
        )
