"""Open Prices (Open Food Facts): API v1 JSON pages, JSON Lines, CSV or Parquet exports."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.regions import ELSEWHERE
from importers.base import Importer, open_text
from importers.readings import read_day, slug, to_decimal
from importers.records import ImportedRow, PriceRow, ProductRef, Refusal, StoreRef

PRICE_PER = {"UNIT": "unit", "KILOGRAM": "kg", "LITRE": "L", "": "unit", "NONE": "unit"}


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        number = 0
        # Row groups in batches: a Parquet export of millions of prices never sits in memory.
        for batch in pq.ParquetFile(path).iter_batches(batch_size=10_000):
            for record in batch.to_pylist():
                number += 1
                yield number, record
    elif suffix == ".csv":
        with open_text(path) as handle:
            reader = csv.DictReader(handle)
            for record in reader:
                yield reader.line_num, dict(record)
    elif suffix in (".jsonl", ".ndjson"):
        with open_text(path) as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield number, json.loads(line)
    else:
        # An API page holds at most one page of items (size <= 100): reading it whole is fine.
        with open_text(path) as handle:
            data = json.load(handle)
        items = data.get("items", []) if isinstance(data, dict) else data
        yield from enumerate(items, start=1)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


class OpenPricesImporter(Importer):
    """Prices with their own currency; non-CAD prices are kept and never costed."""

    kind = "openprices"

    def rows(self) -> Iterator[ImportedRow]:
        """Yield a price or a refusal per Open Prices item."""
        for number, item in _records(self.path):
            yield self._read(number, item)

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
        currency = _text(item.get("currency")).upper()
        if len(currency) != 3:
            return Refusal(number, "no_currency", f"currency {currency!r}", item, column="currency")
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
