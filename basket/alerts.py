"""Price-spike alerts: WFP's ALPS with 36+ monthly prices, a robust z-score on shorter series.

`price_alerts` scores every series at once (numpy, batched by series length); `alps_score`
and `robust_score` score one series the same way and are the reference the tests compare to.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from basket.periods import period_index

# ALPS bands (WFP 2014): normal < 0.25 <= stress < 1 <= alert < 2 <= crisis.
ALPS_BANDS = (0.25, 1.0, 2.0)
ALPS_MINIMUM_MONTHS = 36
# A linear trend and 11 month dummies (January is the intercept's month).
ALPS_PARAMETERS = 13
# Residuals this small against the prices are rounding noise of an exact fit (a flat or
# straight series): their ratio would be a random score, so the score is 0.
ALPS_EXACT_FIT = 1e-9
# Series fitted per numpy call: 4096 series of 60 months hold about 25 MB a design.
ALPS_BATCH = 4096
# Robust bands on the z of the log change (a project choice, see docs/engine.md).
ROBUST_BANDS = (2.0, 3.0, 4.0)
ROBUST_WINDOW = 12
ROBUST_MINIMUM_CHANGES = 6
# 1.4826 x MAD estimates a standard deviation; the floor keeps flat series from dividing by 0.
MAD_SCALE, MAD_FLOOR = 1.4826, 0.005
BAND_NAMES = np.array(["normal", "stress", "alert", "crisis"])
ALERT_COLUMNS = ["entity_id", "item_id", "period", "method", "months", "score", "band"]


def band(scores: np.ndarray, thresholds: tuple[float, float, float]) -> np.ndarray:
    """Return the band name of each score given the stress, alert and crisis thresholds."""
    return BAND_NAMES[np.searchsorted(np.asarray(thresholds), scores, side="right")]


def alps_designs(months: np.ndarray) -> np.ndarray:
    """Return the ALPS design matrix of each row of running months: (series, months, 13).

    Columns: 1, months since the first, then a dummy for each calendar month but January.
    """
    months = np.atleast_2d(months)
    trend = (months - months[:, :1]).astype(float)
    dummies = (months[..., None] % 12 == np.arange(1, 12)).astype(float)
    return np.concatenate([np.ones_like(trend)[..., None], trend[..., None], dummies], axis=2)


def alps_score(months: np.ndarray, prices: np.ndarray) -> float:
    """Return the ALPS score of the last price: its residual over the residuals' deviation.

    The series is fitted with a linear trend plus 12 month dummies (least squares).

    Args:
        months: running month numbers (period_index), increasing.
        prices: the prices of those months.
    """
    design = alps_designs(months)[0]
    coefficients, *_ = np.linalg.lstsq(design, prices, rcond=None)
    residuals = prices - design @ coefficients
    deviation = residuals.std(ddof=design.shape[1]) if len(prices) > design.shape[1] else 0.0
    exact = deviation <= ALPS_EXACT_FIT * np.abs(prices).max()
    return 0.0 if exact else float(residuals[-1] / deviation)


def robust_score(prices: np.ndarray) -> float:
    """Return the z of the last log change against the median and MAD of the changes before."""
    changes = np.diff(np.log(prices))
    history = changes[:-1][-ROBUST_WINDOW:]
    median = np.median(history)
    mad = max(np.median(np.abs(history - median)) * MAD_SCALE, MAD_FLOOR)
    return float((changes[-1] - median) / mad)


def price_alerts(prices: pd.DataFrame, period: str) -> pd.DataFrame:
    """Return an alert for every series priced in the period: ALPS if long enough, else robust.

    Args:
        prices: entity_id (a store or a region), item_id, period (YYYY-MM), item_price;
            one price per series and month.

    Returns:
        ALERT_COLUMNS, by entity_id then item_id; method alps or robust; series too short
        for either are left out.
    """
    upto = prices[prices["period"] <= period]
    if upto.empty:
        return _no_alerts()
    # Each distinct period parsed once; rows ordered by series then month (stable, as the
    # group-by and sort the per-series scoring did), in numpy rather than in the frame.
    codes, labels = pd.factorize(upto["period"])
    months = period_index(pd.Series(labels))[codes]
    order = np.lexsort((months, upto["item_id"].to_numpy(), upto["entity_id"].to_numpy()))
    entities = upto["entity_id"].to_numpy()[order]
    items = upto["item_id"].to_numpy()[order]
    starts = np.flatnonzero(
        np.r_[True, (entities[1:] != entities[:-1]) | (items[1:] != items[:-1])]
    )
    ends = np.r_[starts[1:], len(upto)].astype(np.int64)
    lengths = ends - starts
    # Sorted by month, a series is priced in the period when its last price is.
    priced = (np.asarray(labels) == period)[codes[order]][ends - 1]
    alps = priced & (lengths >= ALPS_MINIMUM_MONTHS)
    robust = priced & ~alps & (lengths >= ROBUST_MINIMUM_CHANGES + 2)
    if not (alps | robust).any():
        return _no_alerts()
    values = upto["item_price"].to_numpy(dtype="float64")[order]
    scores = np.zeros(len(starts))
    scores[alps] = alps_scores(months[order], values, ends[alps], lengths[alps])
    scores[robust] = robust_scores(values, ends[robust], lengths[robust])
    kept = alps | robust
    method = np.where(alps[kept], "alps", "robust")
    bands = np.where(alps[kept], band(scores[kept], ALPS_BANDS), band(scores[kept], ROBUST_BANDS))
    return pd.DataFrame(
        {
            "entity_id": entities[starts[kept]],
            "item_id": items[starts[kept]],
            "period": period,
            "method": method,
            "months": lengths[kept].astype(np.int64),
            "score": scores[kept],
            "band": bands,
        },
        columns=ALERT_COLUMNS,
    ).astype({"period": str, "method": str, "band": str})


def _no_alerts() -> pd.DataFrame:
    return pd.DataFrame(columns=ALERT_COLUMNS).astype({"band": str})


def _windows(ends: np.ndarray, size: int) -> np.ndarray:
    """Return the positions of the last `size` values of each series (one row a series)."""
    return ends[:, None] - size + np.arange(size)


def robust_scores(prices: np.ndarray, ends: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Return robust_score of many series at once, batched by the size of their history.

    Args:
        prices: the prices of all series, each series contiguous and ordered by month.
        ends: the position after each series' last price.
        lengths: each series' number of prices (at least ROBUST_MINIMUM_CHANGES + 2).
    """
    logs = np.log(prices)
    scores = np.empty(len(ends))
    history_sizes = np.minimum(lengths - 2, ROBUST_WINDOW)
    for size in np.unique(history_sizes):  # at most 7 sizes, not one pass per series
        chosen = history_sizes == size
        changes = np.diff(logs[_windows(ends[chosen], int(size) + 2)], axis=1)
        history = changes[:, :-1]
        median = np.median(history, axis=1)
        spread = np.median(np.abs(history - median[:, None]), axis=1) * MAD_SCALE
        scores[chosen] = (changes[:, -1] - median) / np.maximum(spread, MAD_FLOOR)
    return scores


def alps_scores(
    months: np.ndarray, prices: np.ndarray, ends: np.ndarray, lengths: np.ndarray
) -> np.ndarray:
    """Return alps_score of many series at once: one batched SVD per series length.

    The least squares are solved as numpy's lstsq does (SVD, singular values below
    eps x rows x the largest taken as 0), so months missing from a series give the same fit.

    Args:
        months, prices: those of all series, each series contiguous and ordered by month.
        ends: the position after each series' last price.
        lengths: each series' number of prices (more than ALPS_PARAMETERS).
    """
    scores = np.empty(len(ends))
    for size in np.unique(lengths):
        same_length = np.flatnonzero(lengths == size)
        # Bounded batches: a design is series x months x 13 floats, and so is the SVD's.
        for chosen in np.array_split(same_length, -(-len(same_length) // ALPS_BATCH)):
            at = _windows(ends[chosen], int(size))
            scores[chosen] = _alps_batch(months[at], prices[at])
    return scores


def _alps_batch(months: np.ndarray, prices: np.ndarray) -> np.ndarray:
    """Return the ALPS scores of series of one length: rows of months and of prices."""
    design = alps_designs(months)
    left, singular, right = np.linalg.svd(design, full_matrices=False)
    cutoff = np.finfo(float).eps * max(months.shape[1], ALPS_PARAMETERS) * singular[:, :1]
    inverse = np.divide(1.0, singular, out=np.zeros_like(singular), where=singular > cutoff)
    projected = np.einsum("snk,sn->sk", left, prices) * inverse
    coefficients = np.einsum("skp,sk->sp", right, projected)
    residuals = prices - np.einsum("snp,sp->sn", design, coefficients)
    deviation = residuals.std(axis=1, ddof=ALPS_PARAMETERS)
    exact = deviation <= ALPS_EXACT_FIT * np.abs(prices).max(axis=1)
    last = residuals[:, -1]
    return np.divide(last, deviation, out=np.zeros_like(last), where=~exact)
