"""The one way to write a price observation: its identity, its store and product, the insert."""

from core.observations.bulk import insert_tuples
from core.observations.identity import canonical_price, content_hash
from core.observations.rows import (
    OBSERVATION_COLUMNS,
    PRODUCT_COLUMNS,
    ObservationRows,
    ProductFacts,
    StoreFacts,
    sqlite_time,
)
from core.observations.writer import ObservationWriter, WriteCounts

__all__ = [
    "OBSERVATION_COLUMNS",
    "PRODUCT_COLUMNS",
    "ObservationRows",
    "ObservationWriter",
    "ProductFacts",
    "StoreFacts",
    "WriteCounts",
    "canonical_price",
    "content_hash",
    "insert_tuples",
    "sqlite_time",
]
