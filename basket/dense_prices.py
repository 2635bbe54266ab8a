"""The engine's fast path: store and regional prices computed on integer codes with NumPy.

The same rules as basket/outliers.py, basket/store_prices.py and basket/regional.py (they stay
the readable statement of the method, and the tests hold the two to the same answers), but
without a pandas groupby over every observation: ten million observations are turned into
small integer codes once, and each rule becomes a sort, a bincount or a matrix product.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from basket.protocol import CostingProtocol
from basket.regional import regional_item_prices
from basket.store_prices import STORE_PRICE_KEYS, lowest_price_per_store
from basket.units import purchase_size_prices

# Above this many store-item-period cells the dense grids would cost more memory than the
# rows they replace: store prices then compact their keys by sorting, regional prices fall
# back to the pandas rule.
DENSE_CELLS = 40_000_000
# Codes of one key column fit 32 bits; keys combining several columns are widened to 64.
CODE = "int32"


@dataclass(frozen=True)
class StorePrices:
    """What the observations give: each store's lowest usable prices, and what was judged."""

    store_prices: pd.DataFrame  # store_id, item_id, period, item_price [, observation_id]
    outliers: int  # observations flagged and left out
    judged: pd.DataFrame  # observation_id, outlier, judged_median, refusal (empty without ids)


@dataclass(frozen=True)
class _Encoded:
    """A key column as integer codes (-1 where missing) into its sorted distinct values."""

    codes: np.ndarray
    values: pd.Series  # the distinct values, in the column's dtype, in sorted order

    @property
    def size(self) -> int:
        return len(self.values)

    def decode(self, codes: np.ndarray) -> pd.Series:
        return self.values.iloc[codes].reset_index(drop=True)


def _encode(column: pd.Series) -> _Encoded:
    """Return the column as codes; sorted as groupby(sort=True) sorts (categories in order)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        every = pd.Categorical.from_codes(np.arange(len(column.cat.categories)), dtype=column.dtype)
        return _Encoded(column.cat.codes.to_numpy().astype(CODE), pd.Series(every))
    values = column.to_numpy()
    if values.dtype.kind in "iu" and len(values):
        low, high = int(values.min()), int(values.max())
        # Small ranges (database ids, item numbers): a bincount replaces a hash table.
        if high - low <= max(4 * len(values), 1 << 20):
            offset = values - low if low >= 0 else values.astype("int64") - low
            present = np.bincount(offset) > 0
            position = (np.cumsum(present) - 1).astype(CODE)
            distinct = (np.flatnonzero(present) + low).astype(values.dtype)
            return _Encoded(position[offset], pd.Series(distinct))
    codes, uniques = pd.factorize(column, sort=True)
    return _Encoded(np.asarray(codes, dtype=CODE), pd.Series(uniques, dtype=column.dtype))


def _item_prices(observations: pd.DataFrame) -> tuple[np.ndarray, np.ndarray | None]:
    """Return each observation's price of one purchase size, and refusals (None: none)."""
    if "price_per" in observations.columns or "purchase_unit" in observations.columns:
        columns = ["price", "product_size", "purchase_size", "price_per", "purchase_unit"]
        converted = purchase_size_prices(observations[observations.columns.intersection(columns)])
        refusal = converted["refusal"].fillna("").to_numpy(dtype=object)
        return converted["item_price"].to_numpy(dtype="float64"), refusal
    # Every price is a package price: the same product as basket/units.py, in one step.
    with np.errstate(invalid="ignore", divide="ignore"):
        return (
            observations["price"].to_numpy(dtype="float64")
            * observations["purchase_size"].to_numpy(dtype="float64")
            / observations["product_size"].to_numpy(dtype="float64")
        ), None


def _group_medians(group: np.ndarray, price: np.ndarray, groups: int) -> np.ndarray:
    """Return the median price of each group (NaN for an empty group); prices are finite."""
    # Sixteen-bit codes take NumPy's radix sort, several times faster than a comparison sort.
    small = group.astype("uint16") if groups <= 1 << 16 else group
    order = np.argsort(small, kind="stable")
    ordered = price[order]
    counts = np.bincount(group, minlength=groups)
    ends = np.cumsum(counts)
    medians = np.full(groups, np.nan)
    for n in np.flatnonzero(counts):
        values = ordered[ends[n] - counts[n] : ends[n]]
        half = len(values) // 2
        if len(values) % 2:
            medians[n] = np.partition(values, half)[half]
        else:
            # The mean of the two middle prices, as pandas' median takes it.
            pair = np.partition(values, (half - 1, half))
            medians[n] = (pair[half - 1] + pair[half]) / 2
    return medians


def _usable_kinds(observations: pd.DataFrame, protocol: CostingProtocol) -> np.ndarray | bool:
    """Return which observations are of a price kind the protocol uses (regular when absent)."""
    if "price_kind" not in observations.columns:
        return "regular" in protocol.price_kinds
    kinds = observations["price_kind"]
    if isinstance(kinds.dtype, pd.CategoricalDtype):
        allowed = np.append(kinds.cat.categories.isin(protocol.price_kinds), False)
        return allowed[kinds.cat.codes.to_numpy()]  # code -1 (missing) reads the False
    return kinds.isin(protocol.price_kinds).to_numpy()


def lowest_usable_prices(observations: pd.DataFrame, protocol: CostingProtocol) -> StorePrices:
    """Return each store's lowest usable price per item and period, and the outliers judged.

    The rules of normalised_prices, flag_outliers, usable_observations and
    lowest_price_per_store, chained; the columns are theirs (basket/engine.py EngineInputs).
    """
    price, refusal = _item_prices(observations)
    store, item, period = (_encode(observations[key]) for key in STORE_PRICE_KEYS)
    # Comparable prices: same item and period, converted (a NaN price is not counted).
    keyed = (item.codes >= 0) & (period.codes >= 0)
    groups = item.size * period.size
    group = np.where(keyed, item.codes.astype("int64") * period.size + period.codes, -1)
    counted = keyed & ~np.isnan(price)
    # Ten million rows: every copy counts against peak memory, so none when all are counted.
    every = bool(counted.all())
    count = np.bincount(group if every else group[counted], minlength=groups)
    median = _group_medians(
        group if every else group[counted], price if every else price[counted], groups
    )
    enough = np.append(count >= protocol.outlier_minimum_prices, False)[group]
    judged_median = np.where(enough, np.append(median, np.nan)[group], np.nan)
    del group, counted
    ratio = protocol.outlier_ratio
    with np.errstate(invalid="ignore"):
        outlier = enough & ((price > ratio * judged_median) | (price < judged_median / ratio))

    usable = ~outlier & np.isfinite(price) & keyed & (store.codes >= 0)
    usable &= _usable_kinds(observations, protocol)
    if refusal is not None:
        usable &= refusal == ""
    store_prices = _lowest_per_store(observations, usable, price, store, item, period)
    judged = pd.DataFrame(columns=["observation_id", "outlier", "judged_median", "refusal"])
    if "observation_id" in observations.columns:
        judged = pd.DataFrame(
            {
                "observation_id": observations["observation_id"].to_numpy(),
                "outlier": outlier,
                "judged_median": judged_median,
                "refusal": refusal if refusal is not None else np.full(len(price), "", object),
            }
        )
    return StorePrices(store_prices, int(outlier.sum()), judged)


def _lowest_per_store(
    observations: pd.DataFrame,
    usable: np.ndarray,
    price: np.ndarray,
    store: _Encoded,
    item: _Encoded,
    period: _Encoded,
) -> pd.DataFrame:
    """Return lowest_price_per_store's frame from the usable rows' codes."""
    ids = observations["observation_id"] if "observation_id" in observations.columns else None
    if ids is not None and ids.dtype.kind not in "iu":
        # Missing ids sort last in the pandas rule: keep it for such data.
        rows = observations[usable].assign(item_price=price[usable])
        return lowest_price_per_store(rows)
    cells = store.size * item.size * period.size
    key = (store.codes[usable].astype("int64") * item.size + item.codes[usable]) * period.size
    key += period.codes[usable]
    price = price[usable]
    if cells <= DENSE_CELLS:
        present = np.bincount(key, minlength=cells) > 0
        keys = np.flatnonzero(present)
        slot = (np.cumsum(present) - 1)[key]
    else:
        keys, slot = np.unique(key, return_inverse=True)
    lowest = np.full(len(keys), np.inf)
    np.minimum.at(lowest, slot, price)
    period_code = keys % period.size
    item_code = keys // period.size % item.size
    frame = pd.DataFrame(
        {
            "store_id": store.decode(keys // (period.size * item.size)),
            "item_id": item.decode(item_code),
            "period": period.decode(period_code),
            "item_price": lowest,
        }
    )
    if ids is None:
        return frame
    # The observation behind the lowest price; of equal prices, the smallest id.
    ids_used = ids.to_numpy()[usable]
    lowest_row = price == lowest[slot]
    chosen = np.full(len(keys), np.iinfo(ids_used.dtype).max, dtype=ids_used.dtype)
    np.minimum.at(chosen, slot[lowest_row], ids_used[lowest_row])
    return frame.assign(observation_id=chosen)


def dense_regional_item_prices(
    store_prices: pd.DataFrame, store_regions: pd.DataFrame, protocol: CostingProtocol
) -> pd.DataFrame:
    """Return regional_item_prices' frame: the mean over each region's stores as one product.

    A region's stores are a row of a region x store matrix, so every region's sums and
    counts are two matrix products; the median rule, or a grid too large, takes pandas.
    """
    store, item, period = (_encode(store_prices[key]) for key in STORE_PRICE_KEYS)
    cells = store.size * item.size * period.size
    if protocol.regional_statistic != "mean" or cells > DENSE_CELLS or store_prices.empty:
        return regional_item_prices(store_prices, store_regions, protocol)
    prices = np.zeros((store.size, item.size * period.size))
    priced = np.zeros((store.size, item.size * period.size))
    column = item.codes.astype("int64") * period.size + period.codes
    prices[store.codes, column] = store_prices["item_price"].to_numpy(dtype="float64")
    priced[store.codes, column] = 1.0
    if priced.sum() != len(store_prices):  # not one price per store, item and period
        return regional_item_prices(store_prices, store_regions, protocol)
    regions = _encode(store_regions["region_id"].astype("int64"))
    # Stores of store_regions that priced nothing have no column: they add nothing.
    held = store.values.searchsorted(store_regions["store_id"].to_numpy())
    held = np.minimum(held, store.size - 1)
    known = store.values.to_numpy()[held] == store_regions["store_id"].to_numpy()
    membership = np.zeros((regions.size, store.size))
    # A pair listed twice counts twice, as the pandas rule's layers do.
    np.add.at(membership, (regions.codes[known], held[known]), 1.0)
    sums = membership @ prices
    stores = membership @ priced
    region_code, cell = np.nonzero(stores)
    return pd.DataFrame(
        {
            "region_id": regions.decode(region_code),
            "item_id": item.decode(cell // period.size),
            "period": period.decode(cell % period.size),
            "item_price": sums[region_code, cell] / stores[region_code, cell],
            "stores": stores[region_code, cell].astype("int64"),
        }
    )
