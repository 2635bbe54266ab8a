"""Any CSV described by a small TOML mapping file: which column is the price, size, store..."""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.errors import InvalidInput
from importers.base import Importer, open_text
from importers.readings import derived_sku, read_day, read_price, read_size, slug
from importers.records import ImportedRow, PriceRow, ProductRef, Refusal, StoreRef

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
        self._region = mapping.defaults.get("region", "montreal")
        self._currency = mapping.defaults.get("currency", "CAD")
        self._file_name = self.path.name  # a Path computes it on every call, once per row

    def prepare(self) -> None:
        """Load the joined file (a small product table) into memory."""
        mapping = self.mapping
        if mapping.join_file is None or mapping.join_on is None:
            return
        with open_text(mapping.join_file, self.encoding) as handle:
            for row in csv.DictReader(handle, delimiter=mapping.delimiter):
                self._joined[row.get(mapping.join_on, "")] = row

    def rows(self) -> Iterator[ImportedRow]:
        """Yield a price or a refusal for each row of the file."""
        with open_text(self.path, self.encoding) as handle:
            reader = csv.reader(handle, delimiter=self.mapping.delimiter)
            header = next(reader, [])
            if self._joined:
                yield from self._joined_rows(reader, header)
                return
            absent = sorted(set(self.mapping.columns.values()) - set(header))
            if absent:
                raise InvalidInput(f"{self.path}: mapped columns {absent} are not in the header")
            # Column positions, not a dict per row: on millions of rows the dict costs more
            # than the insert. A dict is built only for a refused row, to keep it as it was.
            pick = _picker(header, self.mapping)
            width = len(header)
            for values in reader:
                line = reader.line_num
                if len(values) != width:
                    raw = dict(zip(header, values, strict=False))
                    detail = f"{len(values)} columns, the header has {width}"
                    yield Refusal(line, "wrong_column_count", detail, raw)
                    continue
                yield self._read(line, pick(values), header, values)

    def _joined_rows(self, reader: Any, header: list[str]) -> Iterator[ImportedRow]:
        join_on = self.mapping.join_on or ""
        for values in reader:
            line = reader.line_num
            row = dict(zip(header, values, strict=False))
            extra = self._joined.get(row.get(join_on, ""))
            if extra is None:
                yield Refusal(line, "join_missing", f"no joined row for {join_on}", row)
                continue
            merged = {**extra, **row}
            names, merged_values = list(merged), list(merged.values())
            yield self._read(
                line, _picker(names, self.mapping)(merged_values), names, merged_values
            )

    def _read(
        self, line: int, fields: tuple[str, ...], header: list[str], values: list[str]
    ) -> ImportedRow:
        price_text, name, size_text, store_name, chain, day_text, brand, sku, kind_text = fields
        if not name:
            return self._refuse(line, "no_name", "no product name", header, values, "name")
        price, price_per, reason = _price(price_text)
        if price is None:
            detail = f"{price_text!r}: {reason}"
            return self._refuse(line, "unreadable_price", detail, header, values, "price")
        observed_at = read_day(day_text)
        if observed_at is None:
            detail = f"date {day_text!r}"
            return self._refuse(line, "unreadable_date", detail, header, values, "date")
        kind_text = kind_text or "regular"
        kind = self.mapping.price_kinds.get(kind_text, kind_text)
        if kind not in KINDS:
            detail = f"price kind {kind_text!r}"
            return self._refuse(line, "unknown_price_kind", detail, header, values, "price_kind")
        chain = chain or store_name
        size, unit = read_size(size_text)
        return PriceRow(
            store=self._store(store_name, chain),
            product=_product(
                chain, sku or derived_sku(name, size_text), name, brand or None, size, unit
            ),
            price=price,
            price_per=price_per,
            price_kind=kind,
            observed_at=observed_at,
            raw_price_text=price_text,
            source_url=f"file:{self._file_name}#{line}",
            row_number=line,
            currency=self._currency,
        )

    def _refuse(
        self, line: int, reason: str, detail: str, header: list[str], values: list[str], key: str
    ) -> Refusal:
        raw = dict(zip(header, values, strict=False))
        return Refusal(line, reason, detail, raw, column=self.mapping.columns.get(key))

    @lru_cache(maxsize=1024)  # noqa: B019 (an importer lives for one file)
    def _store(self, name: str, chain: str) -> StoreRef:
        return StoreRef(code=slug(name), chain=chain, name=name, region_code=self._region)


def _picker(header: list[str], mapping: Mapping) -> Callable[[list[str]], tuple[str, ...]]:
    """Return a function giving a row's values in FIELDS order, stripped, defaults filled in."""
    positions = {name: index for index, name in enumerate(header)}
    plan = [
        (positions.get(mapping.columns.get(key, "")), mapping.defaults.get(key, ""))
        for key in FIELDS
    ]

    def pick(values: list[str]) -> tuple[str, ...]:
        return tuple(
            [
                (values[index].strip() or default) if index is not None else default
                for index, default in plan
            ]
        )

    return pick


@lru_cache(maxsize=65536)
def _price(text: str) -> tuple[Decimal | None, str, str | None]:
    # Files repeat the same few thousand prices: each text is read once.
    return read_price(text)


@lru_cache(maxsize=65536)
def _product(
    chain: str, sku: str, name: str, brand: str | None, size: Decimal | None, unit: str | None
) -> ProductRef:
    # Files repeat the same products on many rows: build each one once.
    return ProductRef(chain=chain, sku=sku, name=name, brand=brand, size=size, size_unit=unit)
