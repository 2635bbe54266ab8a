"""Time the alerts `ppne compute` stores, and reading them against fitting them on request.

Run: .venv/bin/python tests/api/bench_stored_alerts.py 50000 (synthetic observations of 400
stores over 24 months, in a temporary SQLite file). Not collected by pytest (no test_ name).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from bench.synthetic import write_synthetic_observations
from core.db import dispose_engines, session_scope
from core.migrate import upgrade
from core.settings import get_settings
from services.alerts import BANDS, price_alerts, store_alerts, stored_alerts
from services.costing import compute_costs
from services.protocol import costing_protocol


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
        dispose_engines()
    print(
        f"rows={rows} months={len(months)} compute_s={compute_s:.2f} "
        f"store_alerts_s={alerts_s:.2f} ({alerts_s / compute_s:.0%} of compute) "
        f"alerts_stored={stored} fit_latest_month_store_s={fit_s:.3f} "
        f"read_stored_s={read_s:.3f} fit/read={fit_s / read_s:.0f}x "
        f"same_count={len(fitted) == len(read.rows)}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
