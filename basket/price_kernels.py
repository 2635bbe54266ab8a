"""The passes over every observation, compiled with Numba: key codes, medians, lowest prices.

basket/dense_prices.py says what they compute; here each is a loop over the rows, which NumPy
could only express as several passes (a sort for the medians, a scatter for the lowest
prices) costing seconds at ten million rows. Compiled on first use and cached beside this
file (Numba loading them costs about a second once per process).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def small_range_codes(  # pragma: no cover - compiled; tests call it through the engine
    values: np.ndarray, low: int, high: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return each value's code, its rank among the distinct values, and those values.

    For integers spanning a small range (database ids, item numbers), where a table of the
    range replaces a hash table.
    """
    present = np.zeros(high - low + 1, np.bool_)
    for value in values:
        present[value - low] = True
    position = np.full(len(present), -1, np.int32)
    distinct = np.empty(int(present.sum()), np.int64)
    rank = 0
    for offset in range(len(present)):
        if present[offset]:
            position[offset] = rank
            distinct[rank] = offset + low
            rank += 1
    codes = np.empty(len(values), np.int32)
    for n in range(len(values)):
        codes[n] = position[values[n] - low]
    return codes, distinct


@njit(cache=True, nogil=True)
def _group_of(item: int, period: int, periods: int) -> int:  # pragma: no cover - compiled
    return item * periods + period if item >= 0 and period >= 0 else -1


@njit(cache=True, nogil=True)
def judge_against_medians(  # pragma: no cover - compiled; tests call it through the engine
    item: np.ndarray,
    period: np.ndarray,
    periods: int,
    groups: int,
    price: np.ndarray,
    minimum: int,
    ratio: float,
    with_medians: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Return each row's outlier flag and the median it was judged against (NaN: not
    judged; an empty array unless `with_medians`).

    A group is an item in a period (item * periods + period); a row with a missing code
    (-1) or a NaN price counts in no group. A group with fewer than `minimum` prices judges
    nothing; the median of an even count is the mean of the two middle prices, as pandas
    takes it.
    """
    rows = len(price)
    starts = np.zeros(groups + 1, np.int64)
    for n in range(rows):
        g = _group_of(item[n], period[n], periods)
        if g >= 0 and not np.isnan(price[n]):
            starts[g + 1] += 1
    counts = starts[1:].copy()
    starts = np.cumsum(starts)
    # A counting sort: each group's prices side by side, in one pass.
    ordered = np.empty(starts[-1])
    filled = starts[:-1].copy()
    for n in range(rows):
        g = _group_of(item[n], period[n], periods)
        if g >= 0 and not np.isnan(price[n]):
            ordered[filled[g]] = price[n]
            filled[g] += 1
    medians = np.full(groups, np.nan)
    for g in range(groups):
        if counts[g] >= minimum and counts[g] > 0:
            medians[g] = np.median(ordered[starts[g] : starts[g + 1]])
    outlier = np.zeros(rows, np.bool_)
    judged = np.full(rows if with_medians else 0, np.nan)
    for n in range(rows):
        g = _group_of(item[n], period[n], periods)
        if g >= 0 and not np.isnan(medians[g]):
            median = medians[g]
            if with_medians:
                judged[n] = median
            outlier[n] = price[n] > ratio * median or price[n] < median / ratio
    return outlier, judged


@njit(cache=True, nogil=True)
def lowest_in_cells(  # pragma: no cover - compiled; tests call it through the engine
    store: np.ndarray,
    item: np.ndarray,
    period: np.ndarray,
    items: int,
    periods: int,
    cells: int,
    price: np.ndarray,
    usable: np.ndarray,
    ids: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the lowest usable price of each store-item-period cell (inf where none) and
    the id of the row behind it, the smallest id of equal prices (ids may be empty)."""
    lowest = np.full(cells, np.inf)
    with_ids = len(ids) > 0
    chosen = np.full(cells if with_ids else 0, np.iinfo(np.int64).max, np.int64)
    for n in range(len(price)):
        if not usable[n]:
            continue
        cell = (store[n] * items + item[n]) * periods + period[n]
        value = price[n]
        if value < lowest[cell]:
            lowest[cell] = value
            if with_ids:
                chosen[cell] = ids[n]
        elif with_ids and value == lowest[cell] and ids[n] < chosen[cell]:
            chosen[cell] = ids[n]
    return lowest, chosen
