"""Any CSV described by a small TOML mapping file: which column is the price, size, store..."""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from collectors.importers.base import Importer, open_text
from collectors.importers.normalise import derived_sku, read_day, read_price, read_size, slug
from collectors.importers.records import ImportedRow, PriceRow, ProductRef, Refusal, StoreRef
from core.errors import InvalidInput

FIELDS = ("price", "name", "size", "store", "chain", "date", "brand", "sku", "price_kind")
KINDS = {"regular", "sale", "member"}


@dataclass(frozen=True)
class Mapping:
    """What each column means, constants for what the file lacks, and an optional join."""

    columns: dict[str, str]
    defaults: dict[str, str]
    price_kinds: dict[str, str] = field(default_factory=dict)
    join_file: Path | None = None
    join_on: str | None = None
    delimiter: str = ","

    @classmethod
    def load(cls, path: Path) -> Mapping:
        """Read a mapping file; say which key is wrong when it is."""
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise InvalidInput(f"mapping file {path}: {error}") from error
        columns = {str(k): str(v) for k, v in data.get("columns", {}).items()}
        defaults = {str(k): str(v) for k, v in data.get("defaults", {}).items()}
        unknown = sorted(set(columns) - set(FIELDS))
        if unknown:
            raise InvalidInput(f"mapping file {path}: unknown column keys {unknown}")
        for needed in ("price", "name"):
            if needed not in columns:
                raise InvalidInput(f"mapping file {path}: [columns] needs {needed!r}")
        for needed in ("store", "date"):
            if needed not in columns and needed not in defaults:
                raise InvalidInput(f"mapping file {path}: give {needed!r} a column or a default")
        join = data.get("join", {})
        return cls(
            columns=columns,
            defaults=defaults,
            price_kinds={str(k): str(v) for k, v in data.get("price_kinds", {}).items()},
            join_file=(Path(path).parent / join["file"]) if join.get("file") else None,
            join_on=join.get("on"),
            delimiter=str(data.get("csv", {}).get("delimiter", ",")),
        )


class GenericCsvImporter(Importer):
    """Store prices from a CSV whose columns a mapping file names."""

    kind = "csv"

    def __init__(self, path: Path, mapping: Mapping, **options: Any) -> None:
        super().__init__(path, **options)
        self.mapping = mapping
        self._joined: dict[str, dict[str, str]] = {}

    def prepare(self) -> None:
        """Load the joined file (a small product table) into memory."""
        mapping = self.mapping
        if mapping.join_file is None or mapping.join_on is None:
            return
        with open_text(mapping.join_file) as handle:
            for row in csv.DictReader(handle, delimiter=mapping.delimiter):
                self._joined[row.get(mapping.join_on, "")] = row

    def rows(self) -> Iterator[ImportedRow]:
        """Yield a price or a refusal for each row of the file."""
        join_on = self.mapping.join_on
        with open_text(self.path) as handle:
            reader = csv.reader(handle, delimiter=self.mapping.delimiter)
            header = next(reader, [])
            # Plain lists and column positions: a dict per row costs more than the insert.
            positions = {name: index for index, name in enumerate(header)}
            for values in reader:
                line = reader.line_num
                row = dict(zip(header, values, strict=False))
                if self._joined and join_on:
                    extra = self._joined.get(row.get(join_on, ""))
                    if extra is None:
                        yield Refusal(line, "join_missing", f"no joined row for {join_on}", row)
                        continue
                    row = {**extra, **row}
                elif len(values) != len(positions):
                    yield Refusal(line, "wrong_column_count", f"{len(values)} columns", row)
                    continue
                yield self._read(line, row)

    @lru_cache(maxsize=1024)  # noqa: B019 (an importer lives for one file)
    def _store(self, name: str, chain: str) -> StoreRef:
        region = self.mapping.defaults.get("region", "montreal")
        return StoreRef(code=slug(name), chain=chain, name=name, region_code=region)

    def _value(self, row: dict[str, str], key: str) -> str:
        column = self.mapping.columns.get(key)
        if column is not None:
            value = row.get(column)
            if value:
                value = value.strip()
                if value:
                    return value
        return self.mapping.defaults.get(key, "")

    def _read(self, line: int, row: dict[str, str]) -> ImportedRow:
        value = self._value
        price_text, name = value(row, "price"), value(row, "name")
        if not name:
            return Refusal(
                line, "no_name", "no product name", row, column=self.mapping.columns["name"]
            )
        price, price_per, reason = read_price(price_text)
        if price is None:
            return Refusal(
                line,
                "unreadable_price",
                f"{price_text!r}: {reason}",
                row,
                column=self.mapping.columns["price"],
            )
        observed_at = read_day(value(row, "date"))
        if observed_at is None:
            return Refusal(
                line,
                "unreadable_date",
                f"date {value(row, 'date')!r}",
                row,
                column=self.mapping.columns.get("date"),
            )
        kind_text = value(row, "price_kind") or "regular"
        kind = self.mapping.price_kinds.get(kind_text, kind_text)
        if kind not in KINDS:
            return Refusal(line, "unknown_price_kind", f"price kind {kind_text!r}", row)
        store_name = value(row, "store")
        chain = value(row, "chain") or store_name
        size_text = value(row, "size")
        size, unit = read_size(size_text)
        sku = value(row, "sku") or derived_sku(name, size_text)
        return PriceRow(
            store=StoreRef(
                code=slug(store_name),
                chain=chain,
                name=store_name,
                region_code=self.mapping.defaults.get("region", "montreal"),
            ),
            product=ProductRef(
                chain=chain,
                sku=sku,
                name=name,
                brand=value(row, "brand") or None,
                size=size,
                size_unit=unit,
            ),
            price=price,
            price_per=price_per,
            price_kind=kind,
            observed_at=observed_at,
            raw_price_text=price_text,
            source_url=f"file:{self.path.name}#{line}",
            row_number=line,
            currency=self.mapping.defaults.get("currency", "CAD"),
        )


@lru_cache(maxsize=65536)
def _product(
    chain: str, sku: str, name: str, brand: str | None, size: Decimal | None, unit: str | None
) -> ProductRef:
    # Files repeat the same products on many rows: build each one once.
    return ProductRef(chain=chain, sku=sku, name=name, brand=brand, size=size, size_unit=unit)
