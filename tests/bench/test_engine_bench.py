"""`ppne bench engine` at a small size: three runs a side, their medians, costs against DuckDB."""

from __future__ import annotations

from statistics import median

import pytest
from typer.testing import CliRunner

from bench.engine import run_bench
from cli.main import app
from core.errors import InvalidInput

pytestmark = pytest.mark.slow


def test_each_side_runs_three_times_and_the_medians_count() -> None:
    report = run_bench(observations=20_000, seed=7)
    assert len(report.engine_runs_s) == len(report.duckdb_runs_s) == 3
    assert report.engine_compute_s == pytest.approx(median(report.engine_runs_s), abs=0.01)
    assert report.duckdb_compute_s == pytest.approx(median(report.duckdb_runs_s), abs=0.01)
    # Each run is printed to the hundredth of a second and its ratio from the unrounded
    # times: at this size a run takes a few hundredths, so the ratio is checked against the
    # range the rounded times allow, not recomputed from them.
    for ratio, engine_s, duckdb_s in zip(
        report.ratio_runs, report.engine_runs_s, report.duckdb_runs_s, strict=True
    ):
        low = (engine_s - 0.005) / (duckdb_s + 0.005) - 0.005
        high = (engine_s + 0.005) / max(duckdb_s - 0.005, 1e-9) + 0.005
        assert low <= ratio <= high, (ratio, engine_s, duckdb_s)
    # The engine, the hand-written SQL and the one new month agree to the cent.
    assert report.family_cost_difference < 0.005
    assert 0 < report.engine_peak_memory_mb <= report.peak_memory_mb


def test_a_run_count_below_one_is_refused() -> None:
    with pytest.raises(InvalidInput, match="runs must be at least 1, not 0"):
        run_bench(observations=1_000, runs=0)


def test_the_command_prints_the_runs_and_their_medians() -> None:
    result = CliRunner().invoke(
        app, ["bench", "engine", "--observations", "20000", "--database-rows", "0"]
    )
    assert result.exit_code == 0, result.output
    for name in ("engine_runs_s: [", "duckdb_runs_s: [", "ratio_runs: [", "peak_memory_mb: "):
        assert name in result.output
