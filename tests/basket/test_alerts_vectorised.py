"""The vectorised price_alerts scores as the per-series reference (alps_score, robust_score)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from basket.alerts import (
    ALERT_COLUMNS,
    ALPS_BANDS,
    ALPS_MINIMUM_MONTHS,
    ROBUST_BANDS,
    ROBUST_MINIMUM_CHANGES,
    alps_score,
    band,
    price_alerts,
    robust_score,
)
from basket.periods import period_index

FIRST_MONTH = 2019 * 12  # January 2019, as a running month


def reference_alerts(prices: pd.DataFrame, period: str) -> pd.DataFrame:
    """The scoring before vectorisation: one pass and one fit per (entity, item) series."""
    upto = prices[prices["period"] <= period].assign(month=lambda f: period_index(f["period"]))
    rows = []
    for (entity, item), series in upto.groupby(["entity_id", "item_id"], sort=True):
        series = series.sort_values("month")
        if series["period"].iloc[-1] != period:
            continue
        months = series["month"].to_numpy()
        values = series["item_price"].to_numpy(dtype="float64")
        if len(values) >= ALPS_MINIMUM_MONTHS:
            rows.append((entity, item, period, "alps", len(values), alps_score(months, values)))
        elif len(values) >= ROBUST_MINIMUM_CHANGES + 2:
            rows.append((entity, item, period, "robust", len(values), robust_score(values)))
    frame = pd.DataFrame(rows, columns=ALERT_COLUMNS[:-1])
    thresholds = {"alps": ALPS_BANDS, "robust": ROBUST_BANDS}
    bands = [
        str(band(np.array([score]), thresholds[method])[0])
        for method, score in zip(frame["method"], frame["score"], strict=True)
    ]
    return frame.assign(band=pd.Series(bands, dtype=object)).astype({"band": str})


def month_label(month: int) -> str:
    return f"{month // 12}-{month % 12 + 1:02d}"


def random_series(rng: np.random.Generator, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Return the running months and prices of one series of a kind: short, long, flat, gaps."""
    length = int(rng.integers(1, 30) if kind == "short" else rng.integers(30, 70))
    months = FIRST_MONTH + rng.integers(0, 12) + np.arange(length)
    if kind == "gaps":  # a month in three missing, at random
        months = months[rng.random(length) > 0.33]
    if kind == "flat":
        return months, np.full(len(months), round(float(rng.uniform(0.5, 20)), 2))
    seasonal = 0.1 * np.sin(2 * np.pi * (months % 12) / 12 + rng.uniform(0, 6))
    walk = np.cumsum(rng.normal(0.002, rng.choice([0.0005, 0.02, 0.1]), len(months)))
    prices = rng.uniform(1, 15) * np.exp(seasonal + walk)
    if rng.random() < 0.3:  # a spike at the end
        prices[-1] *= rng.uniform(1.1, 2.0)
    return months, np.round(prices, 2) if rng.random() < 0.5 else prices


def random_world(seed: int, series: int) -> pd.DataFrame:
    """Return the prices of many random series, in shuffled row order."""
    rng = np.random.default_rng(seed)
    frames = []
    for number in range(series):
        kind = str(rng.choice(["short", "long", "flat", "gaps"], p=[0.3, 0.3, 0.1, 0.3]))
        months, prices = random_series(rng, kind)
        frames.append(
            pd.DataFrame(
                {
                    "entity_id": int(rng.integers(1, 9)) * 1000 + number,
                    "item_id": int(rng.integers(1, 40)),
                    "period": [month_label(m) for m in months],
                    "item_price": prices,
                }
            )
        )
    world = pd.concat(frames, ignore_index=True)
    return world.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def assert_same_alerts(found: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Same rows, methods, lengths and bands exactly; scores to 1e-9 relative.

    The 1e-9 absolute floor is for scores that are rounding noise around 0 (a last price
    alone in its calendar month is fitted exactly by its dummy): both give about 1e-13.
    """
    assert_frame_equal(found.drop(columns="score"), expected.drop(columns="score"))
    np.testing.assert_allclose(
        found["score"].to_numpy(float), expected["score"].to_numpy(float), rtol=1e-9, atol=1e-9
    )


@pytest.mark.parametrize("seed", range(12))
def test_random_worlds_score_as_the_reference(seed: int) -> None:
    world = random_world(seed, series=60)
    methods = set()
    for month in (FIRST_MONTH + 20, FIRST_MONTH + 45, FIRST_MONTH + 60, FIRST_MONTH + 80):
        period = month_label(month)
        expected = reference_alerts(world, period)
        assert_same_alerts(price_alerts(world, period), expected)
        methods |= set(expected["method"])
    assert methods == {"alps", "robust"}  # both methods were compared


def test_a_single_series_of_each_kind_scores_as_the_reference() -> None:
    rng = np.random.default_rng(7)
    for kind in ("short", "long", "flat", "gaps"):
        for _ in range(10):
            months, prices = random_series(rng, kind)
            frame = pd.DataFrame(
                {
                    "entity_id": 1,
                    "item_id": 2,
                    "period": [month_label(m) for m in months],
                    "item_price": prices,
                }
            )
            period = month_label(int(months[-1]))
            assert_same_alerts(price_alerts(frame, period), reference_alerts(frame, period))


def test_a_flat_series_is_normal_not_a_rounding_noise_crisis() -> None:
    months = FIRST_MONTH + np.arange(40)
    frame = pd.DataFrame(
        {"entity_id": 1, "item_id": 2, "period": [month_label(m) for m in months]}
    ).assign(item_price=2.49)
    alerts = price_alerts(frame, month_label(int(months[-1])))
    assert alerts[["method", "score", "band"]].values.tolist() == [["alps", 0.0, "normal"]]
    assert alps_score(months, frame["item_price"].to_numpy()) == 0.0


def test_empty_input_and_no_series_priced_in_the_month() -> None:
    empty = pd.DataFrame({"entity_id": [], "item_id": [], "period": [], "item_price": []})
    empty = empty.astype({"period": object})
    assert_frame_equal(price_alerts(empty, "2026-01"), reference_alerts(empty, "2026-01"))
    world = random_world(3, series=10)
    assert price_alerts(world, "2001-01").empty
    unpriced = month_label(FIRST_MONTH + 200)  # after every series ended
    assert_frame_equal(price_alerts(world, unpriced), reference_alerts(world, unpriced))


def test_alps_series_fitted_in_small_batches_score_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = random_world(5, series=60)
    period = month_label(FIRST_MONTH + 45)
    whole = price_alerts(world, period)
    monkeypatch.setattr("basket.alerts.ALPS_BATCH", 3)
    batched = price_alerts(world, period)
    alps_lengths = batched.loc[batched["method"] == "alps", "months"]
    assert alps_lengths.value_counts().max() > 3  # a length fitted in more than one batch
    assert_same_alerts(batched, reference_alerts(world, period))
    assert_same_alerts(batched, whole)
