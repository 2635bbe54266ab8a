"""Time the alerts `ppne compute` stores, and reading them against fitting them on request.

Run: .venv/bin/python tests/api/bench_stored_alerts.py 50000 (synthetic observations of 400
stores over 24 months, in a temporary SQLite file). Not collected by pytest (no test_ name).
It also scores the frames store_alerts scores (every month, both levels) with the per-series
reference loop of tests/basket/test_alerts_vectorised.py and with basket's vectorised
price_alerts, in the same run, and prints both times.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path
from types import ModuleType

import pandas as pd
from sqlmodel import Session

from basket.alerts import price_alerts as score_price_alerts
from bench.synthetic import write_synthetic_observations
from core.db import dispose_engines, session_scope
from core.migrate import upgrade
from core.queries.basket import version_for_period
from core.settings import get_settings
from services.alerts import (
    BANDS,
    LEVELS,
    _scorable,
    _series,
    price_alerts,
    store_alerts,
    stored_alerts,
)
from services.costing import compute_costs
from services.protocol import costing_protocol


def reference_module() -> ModuleType:
    """Return tests/basket/test_alerts_vectorised.py: its per-series reference loop, random
    worlds and comparison (tests are no package)."""
    path = Path(__file__).parents[1] / "basket" / "test_alerts_vectorised.py"
    spec = spec_from_file_location("alerts_reference", path)
    assert spec is not None and spec.loader is not None
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def scoring_frames(session: Session, months: list[str]) -> list[tuple[pd.DataFrame, str]]:
    """Return the (prices, month) pairs store_alerts scores: every month, both levels."""
    frames = []
    for month in months:
        version = version_for_period(session, month)
        assert version.id is not None
        for level in LEVELS:
            frames.append((_scorable(_series(session, version.id, level).prices, month), month))
    return frames


def compare_scoring(frames: list[tuple[pd.DataFrame, str]], reference: ModuleType) -> str:
    """Score the frames with the per-series loop then the vectorised function; return both
    times, and check the alerts are the same."""
    timings, results = [], []
    for scorer in (reference.reference_alerts, score_price_alerts):
        start = time.perf_counter()
        results.append([scorer(prices, month) for prices, month in frames])
        timings.append(time.perf_counter() - start)
    for found, expected in zip(results[1], results[0], strict=True):
        reference.assert_same_alerts(found, expected)
    methods = pd.concat(results[1])["method"].value_counts().to_dict()
    return (
        f"{len(frames)} frames ({sum(len(f) for f, _ in frames)} prices, alerts {methods}): "
        f"per_series_loop_s={timings[0]:.2f} vectorised_s={timings[1]:.3f} "
        f"speedup={timings[0] / timings[1]:.0f}x same_alerts=True"
    )


def main(rows: int) -> None:
    """Print the timings of one run on `rows` synthetic observations."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        os.environ["PPNE_DATABASE_URL"] = url
        get_settings.cache_clear()
        upgrade(url)
        write_synthetic_observations(url, rows)
        with session_scope(url) as session:
            start = time.perf_counter()
            summary = compute_costs(session, costing_protocol(get_settings()))
            compute_s = time.perf_counter() - start  # alerts stored included
            months = [p for p in summary.periods if "Q" not in p]
            start = time.perf_counter()
            stored = store_alerts(session, months)
            alerts_s = time.perf_counter() - start
            session.commit()
            start = time.perf_counter()
            fitted = price_alerts(session, months[-1], "store", all_bands=True)
            fit_s = time.perf_counter() - start
            start = time.perf_counter()
            read = stored_alerts(session, months[-1], "store", BANDS)
            read_s = time.perf_counter() - start
            reference = reference_module()
            stored_scoring = compare_scoring(scoring_frames(session, months), reference)
        dispose_engines()
    print(
        f"rows={rows} months={len(months)} compute_s={compute_s:.2f} "
        f"store_alerts_s={alerts_s:.2f} ({alerts_s / compute_s:.0%} of compute) "
        f"alerts_stored={stored} fit_latest_month_store_s={fit_s:.3f} "
        f"read_stored_s={read_s:.3f} fit/read={fit_s / read_s:.0f}x "
        f"same_count={len(fitted) == len(read.rows)}"
    )
    print(f"scoring what store_alerts scores: {stored_scoring}")
    # The synthetic world has 24 months, too few for ALPS: random worlds of series up to 70
    # months (the tests' own) time both methods.
    world = reference.random_world(seed=1, series=rows // 25)
    periods = [reference.month_label(reference.FIRST_MONTH + 40 + m) for m in range(6)]
    print(f"scoring a random world: {compare_scoring([(world, p) for p in periods], reference)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
