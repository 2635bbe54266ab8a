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
        # Small ranges (database ids, item numbers): a table of the range replaces a hash.
        if high - low <= max(4 * len(values), 1 << 20):
            from basket.price_kernels import small_range_codes

            # Signed: Numba's unsigned minus signed is a float, no index.
            signed = values.astype("int64") if values.dtype.kind == "u" else values
            codes, distinct = small_range_codes(signed, low, high)
            return _Encoded(codes, pd.Series(distinct.astype(values.dtype)))
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
    # Compiled on first use: importing Numba costs every command that never computes.
    from basket.price_kernels import judge_against_medians

    price, refusal = _item_prices(observations)
    store, item, period = (_encode(observations[key]) for key in STORE_PRICE_KEYS)
    with_ids = "observation_id" in observations.columns
    # Comparable prices: same item and period, converted (a NaN price is not counted).
    outlier, judged_median = judge_against_medians(
        item.codes,
        period.codes,
        period.size,
        item.size * period.size,
        price,
        protocol.outlier_minimum_prices,
        float(protocol.outlier_ratio),
        with_ids,
    )
    usable = ~outlier & np.isfinite(price)
    usable &= (item.codes >= 0) & (period.codes >= 0) & (store.codes >= 0)
    usable &= _usable_kinds(observations, protocol)
    if refusal is not None:
        usable &= refusal == ""
    store_prices = _lowest_per_store(observations, usable, price, store, item, period)
    judged = pd.DataFrame(columns=["observation_id", "outlier", "judged_median", "refusal"])
    if with_ids:
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
    id_values = None if ids is None else ids.to_numpy()
    cells = store.size * item.size * period.size
    lowest_in = _lowest_in_dense_cells if cells <= DENSE_CELLS else _lowest_in_sorted_cells
    keys, lowest, chosen = lowest_in(usable, price, store, item, period, id_values)
    frame = pd.DataFrame(
        {
            "store_id": store.decode(keys // (period.size * item.size)),
            "item_id": item.decode(keys // period.size % item.size),
            "period": period.decode(keys % period.size),
            "item_price": lowest,
        }
    )
    if id_values is None or chosen is None:
        return frame
    return frame.assign(observation_id=chosen.astype(id_values.dtype))


# Each returns the keys of the cells priced ((store * items + item) * periods + period, in
# order), their lowest prices and the observation behind each (of equal prices, the smallest
# id; None without ids).
def _lowest_in_dense_cells(
    usable: np.ndarray,
    price: np.ndarray,
    store: _Encoded,
    item: _Encoded,
    period: _Encoded,
    ids: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    from basket.price_kernels import lowest_in_cells

    cells = store.size * item.size * period.size
    lowest, chosen = lowest_in_cells(
        store.codes,
        item.codes,
        period.codes,
        item.size,
        period.size,
        cells,
        price,
        usable,
        np.empty(0, "int64") if ids is None else ids.astype("int64", copy=False),
    )
    keys = np.flatnonzero(lowest < np.inf)
    return keys, lowest[keys], None if ids is None else chosen[keys]


def _lowest_in_sorted_cells(
    usable: np.ndarray,
    price: np.ndarray,
    store: _Encoded,
    item: _Encoded,
    period: _Encoded,
    ids: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    # Too many cells for a dense grid: the keys of the rows used are compacted by sorting.
    key = (store.codes[usable].astype("int64") * item.size + item.codes[usable]) * period.size
    key += period.codes[usable]
    price = price[usable]
    keys, slot = np.unique(key, return_inverse=True)
    lowest = np.full(len(keys), np.inf)
    np.minimum.at(lowest, slot, price)
    if ids is None:
        return keys, lowest, None
    ids_used = ids[usable]
    lowest_row = price == lowest[slot]
    chosen = np.full(len(keys), np.iinfo(ids_used.dtype).max, dtype=ids_used.dtype)
    np.minimum.at(chosen, slot[lowest_row], ids_used[lowest_row])
    return keys, lowest, chosen


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
