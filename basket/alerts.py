"""Price-spike alerts: WFP's ALPS with 36+ monthly prices, a robust z-score on shorter series."""

from __future__ import annotations

import numpy as np
import pandas as pd

from basket.periods import period_index

# ALPS bands (WFP 2014): normal < 0.25 <= stress < 1 <= alert < 2 <= crisis.
ALPS_BANDS = (0.25, 1.0, 2.0)
ALPS_MINIMUM_MONTHS = 36
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


def alps_score(months: np.ndarray, prices: np.ndarray) -> float:
    """Return the ALPS score of the last price: its residual over the residuals' deviation.

    The series is fitted with a linear trend plus 12 month dummies (least squares).

    Args:
        months: running month numbers (period_index), increasing.
        prices: the prices of those months.
    """
    calendar = months % 12
    design = np.column_stack(
        [np.ones(len(months)), months - months[0]]
        + [(calendar == m).astype(float) for m in range(1, 12)]
    )
    coefficients, *_ = np.linalg.lstsq(design, prices, rcond=None)
    residuals = prices - design @ coefficients
    deviation = residuals.std(ddof=design.shape[1]) if len(prices) > design.shape[1] else 0.0
    return float(residuals[-1] / deviation) if deviation > 0 else 0.0


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
        prices: entity_id (a store or a region), item_id, period (YYYY-MM), item_price.

    Returns:
        ALERT_COLUMNS; method alps or robust; series too short for either are left out.
    """
    upto = prices[prices["period"] <= period].assign(month=lambda f: period_index(f["period"]))
    rows = []
    for (entity, item), series in upto.groupby(["entity_id", "item_id"], sort=True):
        series = series.sort_values("month")
        if series["period"].iloc[-1] != period:
            continue
        months = series["month"].to_numpy()
        values = series["item_price"].to_numpy(dtype="float64")
        if len(values) >= ALPS_MINIMUM_MONTHS:
            score = alps_score(months, values)
            rows.append((entity, item, period, "alps", len(values), score))
        elif len(values) >= ROBUST_MINIMUM_CHANGES + 2:
            rows.append((entity, item, period, "robust", len(values), robust_score(values)))
    frame = pd.DataFrame(rows, columns=ALERT_COLUMNS[:-1])
    thresholds = {"alps": ALPS_BANDS, "robust": ROBUST_BANDS}
    bands = [
        str(band(np.array([score]), thresholds[method])[0])
        for method, score in zip(frame["method"], frame["score"], strict=True)
    ]
    return frame.assign(band=pd.Series(bands, dtype=object)).astype({"band": str})
