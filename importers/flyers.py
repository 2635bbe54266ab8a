"""Flyer exports (Flipp-like CSV): bilingual names "FR | EN", sale and regular prices, "N/A"."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from core.normaliser import parse_price
from importers.base import Importer, csv_records
from importers.readings import derived_sku, read_day, read_size, slug
from importers.records import ImportedRow, PriceRow, ProductRef, Refusal, StoreRef

MISSING = {"", "N/A", "NA", "n/a"}


def _clean(text: str | None) -> str:
    text = (text or "").strip()
    return "" if text in MISSING else text


def _amount(text: str) -> tuple[Decimal | None, str, str | None]:
    parsed = parse_price(text)
    if parsed.status != "ok" or parsed.amount is None:
        return None, "unit", parsed.reason or "unreadable"
    if parsed.currency not in (None, "CAD"):
        # A flyer in euros or US dollars is not a Montreal price: never store it as CAD.
        return None, "unit", f"price in {parsed.currency}, not CAD"
    # A price per lb or per 100 g is stored per kg (never its amount as if per kg).
    amount, price_per = parsed.stored_price()
    return amount, price_per, None


class FlyerImporter(Importer):
    """Flyer prices are sale prices and are stored as such, with the regular price beside."""

    kind = "flyers"

    def __init__(self, path: Path, *, region: str = "montreal", **options: Any) -> None:
        super().__init__(path, **options)
        self.region = region

    def rows(self) -> Iterator[ImportedRow]:
        """Yield a sale price or a refusal per flyer item."""
        for line, row in csv_records(self.path, encoding=self.encoding):
            yield self._read(line, row)

    def _read(self, line: int, row: dict[str, str]) -> ImportedRow:
        name = _clean(row.get("productName"))
        if not name:
            return Refusal(line, "no_name", "no product name", row, column="productName")
        sale_text = _clean(row.get("salePrice"))
        if not sale_text:
            return Refusal(line, "no_price", "no sale price (N/A)", row, column="salePrice")
        price, price_per, reason = _amount(sale_text)
        if price is None:
            code = "not_cad" if reason and reason.endswith("not CAD") else "unreadable_price"
            return Refusal(line, code, f"{sale_text!r}: {reason}", row, column="salePrice")
        observed_at = read_day(row.get("validFrom") or "")
        if observed_at is None:
            return Refusal(line, "unreadable_date", f"validFrom {row.get('validFrom')!r}", row)
        regular_text = _clean(row.get("regularPrice"))
        regular, regular_per, regular_reason = (
            _amount(regular_text) if regular_text else (None, price_per, None)
        )
        if regular_text and regular is None:
            detail = f"{regular_text!r}: {regular_reason}"
            return Refusal(line, "unreadable_price", detail, row, column="regularPrice")
        if regular is not None and regular_per == price_per and regular < price:
            detail = f"regular {regular_text!r} is below the sale price {sale_text!r}"
            return Refusal(line, "regular_below_sale", detail, row, column="regularPrice")
        size_text = _clean(row.get("unitSize"))
        size, unit = read_size(size_text)
        chain = _clean(row.get("storeName")) or "unknown"
        postal = _clean(row.get("postalCode"))
        address = _clean(row.get("storeAddress"))
        store_code = f"flyer-{slug(chain)}-{slug(address or postal or 'area')}"
        return PriceRow(
            store=StoreRef(
                code=store_code[:64],
                chain=chain,
                name=f"{chain} ({address or postal})",
                region_code=self.region,
                address=address or None,
                postal_code=postal[:10] or None,
            ),
            product=ProductRef(
                chain=chain,
                sku=derived_sku(name, size_text),
                name=name,  # both languages kept: matching reads the French words
                brand=_clean(row.get("brand")) or None,
                size=size,
                size_unit=unit,
            ),
            price=price,
            price_per=price_per,
            price_kind="sale",
            regular_price=regular,
            observed_at=observed_at,
            raw_price_text=sale_text,
            source_url=f"flyer:{_clean(row.get('flyerId'))}#{line}",
            row_number=line,
        )
