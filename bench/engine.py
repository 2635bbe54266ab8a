"""`ppne bench engine`: the engine against hand-written DuckDB SQL on seeded synthetic data."""

from __future__ import annotations

import resource
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

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
from core.migrate import upgrade
from core.queries.basket import weekly_quantities_frame
from core.queries.engine_inputs import engine_observations_frame
from core.queries.geo import region_tree_frame, store_regions_frame, stores_frame


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
    engine_compute_s: float
    duckdb_compute_s: float
    ratio_engine_to_duckdb: float
    new_month_s: float
    peak_memory_mb: float
    family_cost_difference: float
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


def run_bench(observations: int = 10_000_000, seed: int = 2026) -> BenchReport:
    """Generate, load, run the engine and DuckDB on the same data; time one new month."""
    protocol = NFB.with_changes(reference_family=("group_00", "group_01", "group_02", "group_03"))
    started = time.perf_counter()
    inputs, months = synthetic_data(observations, seed)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "observations.parquet"
        inputs.observations.to_parquet(path)
        generate_s = time.perf_counter() - started
        # Only the copy read back is kept, as if loaded from storage.
        inputs = EngineInputs(
            pd.DataFrame(),
            inputs.stores,
            inputs.store_regions,
            inputs.regions,
            inputs.quantities,
            ITEMS,
        )
        started = time.perf_counter()
        frame = pd.read_parquet(path)
        load_s = time.perf_counter() - started
    inputs = EngineInputs(
        frame, inputs.stores, inputs.store_regions, inputs.regions, inputs.quantities, ITEMS
    )

    started = time.perf_counter()
    result = compute_basket(inputs, protocol)
    engine_s = time.perf_counter() - started

    last = frame["period"].cat.categories[MONTHS - 1]
    new_rows = frame[months["month"].to_numpy() == MONTHS - 1]
    earlier = observed_history(result.region_prices)
    window = sorted(set(earlier["period"]) - {last})[-protocol.carry_forward_periods :]
    history = earlier[earlier["period"].isin(window)]
    new_inputs = EngineInputs(
        new_rows.assign(period=new_rows["period"].astype(str)),
        inputs.stores,
        inputs.store_regions,
        inputs.regions,
        inputs.quantities,
        ITEMS,
    )
    started = time.perf_counter()
    added = compute_basket(new_inputs, protocol, history=history)
    new_month_s = time.perf_counter() - started
    peak = _peak_mb()

    tables = {
        "observations": frame.drop(columns="period").assign(t=months["month"].to_numpy()),
        "stores": inputs.stores,
        "store_regions": inputs.store_regions,
        "regions": depth_table(inputs.regions),
        "quantities": inputs.quantities,
    }
    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    for name, table in tables.items():
        connection.register(name, table)
    sql = duckdb_sql(protocol, MONTHS, int(tables["regions"]["depth"].max()))
    started = time.perf_counter()
    duck = connection.execute(sql).df()
    duckdb_s = time.perf_counter() - started
    connection.close()
    peak = max(peak, _peak_mb())

    family = result.costs[result.costs["scope"] == "family"]
    engine_last = family[family["period"] == last].set_index("region_id")["weekly_cost"]
    added_last = added.costs[added.costs["scope"] == "family"].set_index("region_id")
    duck_last = duck[duck["t"] == MONTHS - 1].set_index("region_id")["family_cost"]
    difference = max(
        float((engine_last - duck_last.reindex(engine_last.index)).abs().max()),
        float((engine_last - added_last["weekly_cost"].reindex(engine_last.index)).abs().max()),
    )
    return BenchReport(
        observations=observations,
        items=ITEMS,
        stores=STORES,
        months=MONTHS,
        regions=len(inputs.regions),
        groups=GROUPS,
        generate_s=round(generate_s, 2),
        load_s=round(load_s, 2),
        engine_compute_s=round(engine_s, 2),
        duckdb_compute_s=round(duckdb_s, 2),
        ratio_engine_to_duckdb=round(engine_s / duckdb_s, 2),
        new_month_s=round(new_month_s, 2),
        peak_memory_mb=round(peak, 1),
        family_cost_difference=difference,
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


def report_dict(report: BenchReport) -> dict[str, float | int]:
    """Return the report as a plain dictionary for --json."""
    return asdict(report)


def measure(observations: int, seed: int, database_rows: int) -> dict[str, float | int]:
    """Run the synthetic benchmark, then the database load unless `database_rows` is 0."""
    measured = run_bench(observations, seed)
    if database_rows > 0:
        measured = replace(measured, **database_load(database_rows, seed))
    return report_dict(measured)
