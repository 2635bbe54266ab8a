"""All tables, imported here so that Alembic and the application see one metadata."""

from core.models.base import metadata
from core.models.basket import AgeSexGroup, BasketItem, BasketVersion, WeeklyQuantity
from core.models.collection import CollectionRun, PriceObservation, ProductMatch, StoreProduct
from core.models.costs import BasketCost
from core.models.engine import ItemRegionPrice, ItemStorePrice, SeriesBreak
from core.models.geo import Region, Store
from core.models.imports import (
    DataImport,
    ObservationSource,
    ReferenceSeries,
    ReferenceValue,
    RefusedRow,
)
from core.models.quarantine import ChosenProduct, QuarantinedItem

__all__ = [
    "AgeSexGroup",
    "BasketCost",
    "BasketItem",
    "BasketVersion",
    "ChosenProduct",
    "CollectionRun",
    "DataImport",
    "ItemRegionPrice",
    "ItemStorePrice",
    "ObservationSource",
    "PriceObservation",
    "ProductMatch",
    "QuarantinedItem",
    "ReferenceSeries",
    "ReferenceValue",
    "RefusedRow",
    "Region",
    "SeriesBreak",
    "Store",
    "StoreProduct",
    "WeeklyQuantity",
    "metadata",
]
