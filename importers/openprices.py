"""Open Prices (Open Food Facts): API v1 JSON pages, JSON Lines, CSV or Parquet exports."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.errors import InvalidInput
from core.regions import ELSEWHERE
from importers.base import Importer, open_text
from importers.readings import read_day, slug, to_decimal
from importers.records import ImportedRow, PriceRow, ProductRef, Refusal, StoreRef
from importers.source_rules import currency_problem, future_problem

PRICE_PER = {"UNIT": "unit", "KILOGRAM": "kg", "LITRE": "L", "": "unit", "NONE": "unit"}


class BadRecord:
    """A record that could not be read as an object, with why."""

    def __init__(self, detail: str, raw: Any) -> None:
        self.detail = detail
        self.raw = raw


def _records(path: Path, encoding: str | None) -> Iterator[tuple[int, Any]]:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        yield from _parquet_records(path)
    elif suffix == ".csv":
        with open_text(path, encoding) as handle:
            reader = csv.DictReader(handle)
            for record in reader:
                yield reader.line_num, dict(record)
    elif suffix in (".jsonl", ".ndjson"):
        with open_text(path, encoding) as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield number, _json_line(line)
    else:
        # An API page holds at most one page of items (size <= 100): reading it whole is fine.
        with open_text(path, encoding) as handle:
            try:
                data = json.loads(handle.read())
            except (ValueError, RecursionError) as error:
                raise InvalidInput(f"{path.name}: not a JSON document ({_why(error)})") from error
        items = data.get("items", []) if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise InvalidInput(f"{path.name}: no list of items (an Open Prices page has 'items')")
        yield from enumerate(items, start=1)


def _parquet_records(path: Path) -> Iterator[tuple[int, Any]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    number = 0
    try:
        # Row groups in batches: a Parquet export of millions of prices never sits in memory.
        for batch in pq.ParquetFile(path).iter_batches(batch_size=10_000):
            for record in batch.to_pylist():
                number += 1
                yield number, record
    except (pa.ArrowException, OSError) as error:
        raise InvalidInput(f"{path.name}: not a readable Parquet file ({error})") from error


def _json_line(line: str) -> Any:
    try:
        return json.loads(line)
    except (ValueError, RecursionError) as error:
        return BadRecord(f"line is not JSON ({_why(error)})", {"line": line[:500]})


def _why(error: BaseException) -> str:
    return "nested too deep" if isinstance(error, RecursionError) else str(error)[:120]


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


class OpenPricesImporter(Importer):
    """Prices with their own currency; non-CAD prices are kept and never costed."""

    kind = "openprices"

    def rows(self) -> Iterator[ImportedRow]:
        """Yield a price or a refusal per Open Prices item."""
        for number, item in _records(self.path, self.encoding):
            if isinstance(item, BadRecord):
                yield Refusal(number, "malformed_record", item.detail, item.raw)
            elif not isinstance(item, dict):
                detail = f"a {type(item).__name__}, not an object"
                yield Refusal(number, "malformed_record", detail, {"item": repr(item)[:500]})
            else:
                try:
                    yield self._read(number, item)
                except (AttributeError, TypeError, ValueError, ArithmeticError) as error:
                    # A field of the wrong kind (a location that is a list...): this row only.
                    yield Refusal(number, "malformed_record", f"{type(error).__name__}", item)

    def _read(self, number: int, item: dict[str, Any]) -> ImportedRow:
        price = to_decimal(_text(item.get("price")))
        if price is None:
            return Refusal(
                number, "unreadable_price", f"price {item.get('price')!r}", item, column="price"
            )
        observed_at = read_day(_text(item.get("date")))
        if observed_at is None:
            return Refusal(
                number, "unreadable_date", f"date {item.get('date')!r}", item, column="date"
            )
        future = future_problem(observed_at)
        if future:
            return Refusal(number, "future_date", future, item, column="date")
        currency = _text(item.get("currency")).upper()
        if len(currency) != 3:
            return Refusal(number, "no_currency", f"currency {currency!r}", item, column="currency")
        unknown = currency_problem(currency)
        if unknown:
            return Refusal(number, "unknown_currency", unknown, item, column="currency")
        per = PRICE_PER.get(_text(item.get("price_per")).upper())
        if per is None:
            return Refusal(
                number, "unknown_price_per", f"price_per {item.get('price_per')!r}", item
            )
        code = _text(item.get("product_code")) or _text(item.get("category_tag"))
        if not code:
            return Refusal(number, "no_product", "neither product_code nor category_tag", item)
        discounted = str(item.get("price_is_discounted")).lower() in ("true", "1")
        return PriceRow(
            store=self._store(item),
            product=ProductRef(
                chain="openprices",
                sku=code[:64],
                name=_text(item.get("product_name")) or code,
                gtin=code if code.isdigit() and len(code) <= 14 else None,
            ),
            price=price,
            currency=currency,
            price_per=per,
            price_kind="sale" if discounted else "regular",
            regular_price=to_decimal(_text(item.get("price_without_discount"))),
            observed_at=observed_at,
            raw_price_text=_text(item.get("price")),
            source_url=f"openprices:proof/{_text(item.get('proof_id'))}#price/{_text(item.get('id'))}",
            row_number=number,
        )

    @staticmethod
    def _store(item: dict[str, Any]) -> StoreRef:
        location = item.get("location") or {}
        osm_id = _text(item.get("location_osm_id")) or "unknown"
        osm_type = _text(item.get("location_osm_type")).lower()
        name = _text(location.get("osm_name")) or f"OSM {osm_id}"
        city = _text(location.get("osm_address_city")).casefold()
        in_montreal = _text(location.get("osm_address_country_code")) == "CA" and "montr" in city
        return StoreRef(
            code=f"osm-{osm_type + '-' if osm_type else ''}{osm_id}",
            chain=slug(name),
            name=name,
            region_code="montreal" if in_montreal else ELSEWHERE[0],
            address=_text(location.get("osm_display_name"))[:300] or None,
            postal_code=_text(location.get("osm_address_postcode"))[:10] or None,
        )
