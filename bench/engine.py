"""`ppne bench engine`: the engine against hand-written DuckDB SQL on seeded synthetic data."""

from __future__ import annotations

import resource
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from statistics import median
from typing import TypeVar

import duckdb
import pandas as pd

from basket.engine import EngineInputs, compute_basket, observed_history
from basket.protocol import NFB
from bench.duckdb_reference import depth_table, duckdb_sql
from bench.synthetic import (
    GROUPS,
    ITEMS,
    MONTHS,
    STORES,
    synthetic_data,
    write_synthetic_observations,
)
from core.db import dispose_engines, session_scope
from core.errors import InvalidInput
from core.migrate import upgrade
from core.queries.basket import weekly_quantities_frame
from core.queries.engine_inputs import engine_observations_frame
from core.queries.geo import region_tree_frame, store_regions_frame, stores_frame

T = TypeVar("T")
WARM_UP_ROWS = 10_000


@dataclass(frozen=True)
class BenchReport:
    """Timings in seconds and memory in megabytes of one benchmark run."""

    observations: int
    items: int
    stores: int
    months: int
    regions: int
    groups: int
    generate_s: float
    load_s: float
    engine_compute_s: float  # the median of engine_runs_s
    duckdb_compute_s: float  # the median of duckdb_runs_s
    ratio_engine_to_duckdb: float  # of the medians
    new_month_s: float
    peak_memory_mb: float  # the whole process, DuckDB's side included
    family_cost_difference: float
    # Each side runs `runs` times, taking turns, so that both meet the same load.
    engine_runs_s: tuple[float, ...] = ()
    duckdb_runs_s: tuple[float, ...] = ()
    ratio_runs: tuple[float, ...] = ()  # engine / DuckDB, run by run
    engine_peak_memory_mb: float = 0.0  # before DuckDB ran: generation, load and engine
    # Each side's first run in the process, on WARM_UP_ROWS rows, before the timed runs: the
    # engine's includes Numba loading its compiled kernels, paid once per process.
    engine_warm_up_s: float = 0.0
    duckdb_warm_up_s: float = 0.0
    # Observations written to a temporary SQLite database, then loaded through core/queries.py
    # and costed: load and compute apart (0 rows: not measured).
    database_rows: int = 0
    database_write_s: float = 0.0
    database_load_s: float = 0.0
    database_rows_per_s: float = 0.0
    database_compute_s: float = 0.0


def _peak_mb() -> float:
    # Linux reports ru_maxrss in kilobytes; tracemalloc would slow the run several times.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(run: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = run()
    return result, time.perf_counter() - started


def _family_costs(costs: pd.DataFrame, period: str) -> pd.Series:
    family = costs[(costs["scope"] == "family") & (costs["period"] == period)]
    return family.set_index("region_id")["weekly_cost"]


def _duckdb_costs(tables: dict[str, pd.DataFrame], sql: str) -> pd.DataFrame:
    # A connection per run: DuckDB's memory goes with it, not onto the engine's next run.
    with duckdb.connect() as connection:
        connection.execute("SET enable_progress_bar = false")
        for name, table in tables.items():
            connection.register(name, table)
        return connection.execute(sql).df()


def run_bench(observations: int = 10_000_000, seed: int = 2026, runs: int = 3) -> BenchReport:
    """Generate, load, run the engine and DuckDB `runs` times each on the same data (their
    medians count); time one new month."""
    if runs < 1:
        raise InvalidInput(f"runs must be at least 1, not {runs}")
    protocol = NFB.with_changes(reference_family=("group_00", "group_01", "group_02", "group_03"))
    started = time.perf_counter()
    inputs, months = synthetic_data(observations, seed)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "observations.parquet"
        inputs.observations.to_parquet(path)
        generate_s = time.perf_counter() - started
        # Only the copy read back is kept, as if loaded from storage.
        inputs = replace(inputs, observations=pd.DataFrame())
        frame, load_s = _timed(lambda: pd.read_parquet(path))
    inputs = replace(inputs, observations=frame)

    # Each side once on a few rows, so that the timed runs time the work, not the start.
    sample = replace(inputs, observations=frame.iloc[:WARM_UP_ROWS])
    engine_warm_up_s = _timed(lambda: compute_basket(sample, protocol))[1]
    # The engine first, alone, for its peak memory; then the two sides take turns.
    result, engine_s = _timed(lambda: compute_basket(inputs, protocol))
    last = frame["period"].cat.categories[MONTHS - 1]
    new_rows = frame[months["month"].to_numpy() == MONTHS - 1]
    earlier = observed_history(result.region_prices)
    window = sorted(set(earlier["period"]) - {last})[-protocol.carry_forward_periods :]
    new_inputs = replace(
        inputs, observations=new_rows.assign(period=new_rows["period"].astype(str))
    )
    history = earlier[earlier["period"].isin(window)]
    added, new_month_s = _timed(lambda: compute_basket(new_inputs, protocol, history=history))
    engine_peak = _peak_mb()
    # Only the last month's family costs are compared: the rest is let go before DuckDB runs.
    engine_last = _family_costs(result.costs, last)
    added_last = _family_costs(added.costs, last).reindex(engine_last.index)
    del result, added, earlier

    tables = {
        "observations": frame.drop(columns="period").assign(t=months["month"].to_numpy()),
        "stores": inputs.stores,
        "store_regions": inputs.store_regions,
        "regions": depth_table(inputs.regions),
        "quantities": inputs.quantities,
    }
    sql = duckdb_sql(protocol, MONTHS, int(tables["regions"]["depth"].max()))
    few = {**tables, "observations": tables["observations"].iloc[:WARM_UP_ROWS]}
    duckdb_warm_up_s = _timed(lambda: _duckdb_costs(few, sql))[1]
    duck, duckdb_s = _timed(lambda: _duckdb_costs(tables, sql))
    duck_last = duck[duck["t"] == MONTHS - 1].set_index("region_id")["family_cost"]
    engine_runs, duckdb_runs = [engine_s], [duckdb_s]
    for _ in range(runs - 1):
        engine_runs.append(_timed(lambda: compute_basket(inputs, protocol))[1])
        duckdb_runs.append(_timed(lambda: _duckdb_costs(tables, sql))[1])
    peak = max(engine_peak, _peak_mb())

    difference = max(
        float((engine_last - duck_last.reindex(engine_last.index)).abs().max()),
        float((engine_last - added_last).abs().max()),
    )
    engine_median, duckdb_median = median(engine_runs), median(duckdb_runs)
    return BenchReport(
        observations=observations,
        items=ITEMS,
        stores=STORES,
        months=MONTHS,
        regions=len(inputs.regions),
        groups=GROUPS,
        generate_s=round(generate_s, 2),
        load_s=round(load_s, 2),
        engine_compute_s=round(engine_median, 2),
        duckdb_compute_s=round(duckdb_median, 2),
        ratio_engine_to_duckdb=round(engine_median / duckdb_median, 2),
        new_month_s=round(new_month_s, 2),
        peak_memory_mb=round(peak, 1),
        family_cost_difference=difference,
        engine_runs_s=tuple(round(s, 2) for s in engine_runs),
        duckdb_runs_s=tuple(round(s, 2) for s in duckdb_runs),
        ratio_runs=tuple(round(e / d, 2) for e, d in zip(engine_runs, duckdb_runs, strict=True)),
        engine_peak_memory_mb=round(engine_peak, 1),
        engine_warm_up_s=round(engine_warm_up_s, 2),
        duckdb_warm_up_s=round(duckdb_warm_up_s, 2),
    )


def database_load(rows: int, seed: int = 2026, url: str | None = None) -> dict[str, float | int]:
    """Time loading `rows` observations from a database through core/queries.py, then costing.

    A temporary SQLite file unless `url` names a migrated, empty database.
    """
    with tempfile.TemporaryDirectory() as folder:
        url = url or f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        started = time.perf_counter()
        version_id = write_synthetic_observations(url, rows, seed)
        write_s = time.perf_counter() - started
        dispose_engines()  # a cold connection, as a separate `ppne compute` would have
        started = time.perf_counter()
        with session_scope(url) as session:
            observations = engine_observations_frame(session, version_id)
            load_s = time.perf_counter() - started
            inputs = EngineInputs(
                observations,
                stores_frame(session)[["store_id", "kind"]],
                store_regions_frame(session),
                region_tree_frame(session)[["region_id", "parent_id"]],
                weekly_quantities_frame(session, version_id),
                items_total=int(observations["item_id"].nunique()),
            )
        started = time.perf_counter()
        compute_basket(inputs)
        compute_s = time.perf_counter() - started
        dispose_engines()
    return {
        "database_rows": len(observations),
        "database_write_s": round(write_s, 2),
        "database_load_s": round(load_s, 2),
        "database_rows_per_s": round(len(observations) / load_s),
        "database_compute_s": round(compute_s, 2),
    }


def report_dict(report: BenchReport) -> dict[str, float | int | list[float]]:
    """Return the report as a plain dictionary for --json (the runs as lists)."""
    return {
        name: list(value) if isinstance(value, tuple) else value
        for name, value in asdict(report).items()
    }


def measure(
    observations: int, seed: int, database_rows: int, runs: int = 3
) -> dict[str, float | int | list[float]]:
    """Run the synthetic benchmark, then the database load unless `database_rows` is 0."""
    measured = run_bench(observations, seed, runs)
    if database_rows > 0:
        measured = replace(measured, **database_load(database_rows, seed))
    return report_dict(measured)
