"""What importers bring in: import runs, refused rows, observation provenance, reference series."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Numeric, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.models.base import money_field, quantity_field, timestamp_field, utc_now


class DataImport(SQLModel, table=True):
    """One run of an importer over one file, with what it counted."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16, index=True)  # survey, statcan, openprices, flyers, csv
    source_file: str = Field(max_length=1000)
    started_at: datetime = timestamp_field(default_factory=utc_now)
    finished_at: datetime | None = timestamp_field(default=None)
    # running, succeeded, rejected, failed or interrupted (its process died)
    status: str = Field(default="running", max_length=16)
    rows_read: int = 0
    rows_imported: int = 0
    duplicates: int = 0
    rows_refused: int = 0
    message: str | None = Field(default=None, max_length=2000)
    # Who runs it: a "running" import whose process is gone was killed (see mark_interrupted).
    host: str | None = Field(default=None, max_length=255)
    pid: int | None = None


class RefusedRow(SQLModel, table=True):
    """A source row an importer did not take, with the reason and the row as it was."""

    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="dataimport.id", index=True)
    sheet: str | None = Field(default=None, max_length=100)
    row_number: int
    column: str | None = Field(default=None, max_length=100)
    reason: str = Field(max_length=64)  # a short code, counted in the summary
    detail: str = Field(max_length=1000)
    raw: str = Field(sa_type=Text)  # JSON of the source row


class ObservationSource(SQLModel, table=True):
    """Where an imported price observation came from: file, sheet, row and surveyor."""

    # Keyed by the observation's content hash so batches insert both without reading ids back.
    content_hash: str = Field(
        max_length=64, primary_key=True, foreign_key="priceobservation.content_hash"
    )
    import_id: int = Field(foreign_key="dataimport.id", index=True)
    source_file: str = Field(max_length=1000)
    sheet: str | None = Field(default=None, max_length=100)
    row_number: int
    surveyor: str | None = Field(default=None, max_length=120)
    brand: str | None = Field(default=None, max_length=120)
    # The regular price printed beside a sale price (flyers, Open Prices discounts).
    regular_price: Decimal | None = money_field(default=None)


class ReferenceSeries(SQLModel, table=True):
    """An official series kept apart from store prices: a product or index in one region."""

    __table_args__ = (UniqueConstraint("table_id", "region", "product", "uom"),)

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(default="statcan", max_length=32)
    table_id: str = Field(max_length=16)  # e.g. 18-10-0245-01
    kind: str = Field(max_length=8)  # price or index
    method: str = Field(default="statcan", max_length=16)
    region: str = Field(max_length=200)  # the GEO as published, commas and all
    product: str = Field(max_length=300)
    uom: str = Field(max_length=64)
    vector: str | None = Field(default=None, max_length=32)
    coordinate: str | None = Field(default=None, max_length=64)  # text: "6.10" is not 6.1
    size: Decimal | None = quantity_field(default=None)
    size_unit: str | None = Field(default=None, max_length=8)
    price_per: str | None = Field(default=None, max_length=4)
    item_code: str | None = Field(default=None, max_length=64, index=True)


class ReferenceValue(SQLModel, table=True):
    """One month of a reference series; a missing value stays missing, never zero."""

    __table_args__ = (UniqueConstraint("series_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    series_id: int = Field(foreign_key="referenceseries.id", index=True)
    period: str = Field(max_length=7, index=True)  # YYYY-MM
    value: Decimal | None = Field(default=None, sa_type=Numeric(14, 4))
    status: str | None = Field(default=None, max_length=8)  # e.g. ".." not available
    symbol: str | None = Field(default=None, max_length=8)
    import_id: int = Field(foreign_key="dataimport.id", index=True)
