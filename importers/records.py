"""The plain rows importers yield: a store price, a reference value, or a refused row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from core.observations import ProductFacts, StoreFacts, content_hash

# Stores and products as sources name them are core's: the observation writer takes them as are.
StoreRef = StoreFacts
ProductRef = ProductFacts


@dataclass(slots=True)
class PriceRow:
    """One store price read from a file, with its provenance."""

    store: StoreRef
    product: ProductRef
    price: Decimal
    observed_at: datetime
    raw_price_text: str
    source_url: str
    row_number: int
    currency: str = "CAD"
    price_per: str = "unit"
    price_kind: str = "regular"
    available: bool = True
    multibuy_quantity: int = 1
    sheet: str | None = None
    surveyor: str | None = None
    regular_price: Decimal | None = None
    # Set by the survey: the row was priced for this basket item, so the product matches it.
    item_code: str | None = None

    def content_hash(self) -> str:
        """Return the content hash of core's recipe (a crawled copy of this price has it too)."""
        return content_hash(
            self.store.code,
            self.product.chain,
            self.product.sku,
            self.observed_at,
            self.price_kind,
            self.price,
            self.currency,
            self.price_per,
            self.available,
        )


@dataclass
class ReferenceRow:
    """One month of an official series (a StatCan price or index)."""

    table_id: str
    kind: str
    region: str
    product: str
    uom: str
    period: str
    value: Decimal | None
    row_number: int
    status: str | None = None
    symbol: str | None = None
    vector: str | None = None
    coordinate: str | None = None
    size: Decimal | None = None
    size_unit: str | None = None
    price_per: str | None = None
    item_code: str | None = None

    def series_key(self) -> tuple[str, str, str, str]:
        """Return what identifies the series this value belongs to."""
        return (self.table_id, self.region, self.product, self.uom)


@dataclass
class Refusal:
    """A row not imported: where it was, what is wrong, and the row as read."""

    row_number: int
    reason: str
    detail: str
    raw: dict[str, Any] = field(default_factory=dict)
    sheet: str | None = None
    column: str | None = None


ImportedRow = PriceRow | ReferenceRow | Refusal
