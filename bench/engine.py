"""`ppne bench engine`: the engine against hand-written DuckDB SQL on seeded synthetic data."""

from __future__ import annotations

import json
import resource
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import typer
from sqlalchemy import select

from basket.engine import EngineInputs, compute_basket, observed_history
from basket.protocol import NFB, CostingProtocol
from core.basket_definitions import ensure_reference_basket
from core.db import dispose_engines, session_scope
from core.migrate import upgrade
from core.models import PriceObservation, ProductMatch, Region, Store, StoreProduct
from core.queries.basket import basket_items_frame, weekly_quantities_frame
from core.queries.engine_inputs import engine_observations_frame
from core.queries.geo import region_tree_frame, store_regions_frame, stores_frame
from core.regions import ensure_regions
from core.writers.columns import insert_columns

ITEMS, STORES, MONTHS, GROUPS = 60, 400, 120, 20
# Synthetic hierarchy: province > metro > 4 cities > 20 boroughs > 80 neighbourhoods.
FANOUT = (1, 1, 4, 5, 4)


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


def synthetic_regions() -> pd.DataFrame:
    """Return region_id, parent_id of the synthetic hierarchy, parents first."""
    rows: list[tuple[int, int | None]] = []
    level: list[int | None] = [None]
    for fanout in FANOUT:
        children = []
        for parent in level:
            for _ in range(fanout):
                rows.append((len(rows) + 1, parent))
                children.append(len(rows))
        level = list(children)
    return pd.DataFrame(rows, columns=["region_id", "parent_id"]).astype({"parent_id": "Int64"})


def synthetic_data(observations: int, seed: int = 2026) -> tuple[EngineInputs, pd.DataFrame]:
    """Return engine inputs with `observations` seeded prices, and the month of each row.

    Items x stores x months = 60 x 400 x 120; each store-item-month gets a Poisson number
    of products, so about 3% of them have no price and the engine must impute.
    """
    rng = np.random.default_rng(seed)
    regions = synthetic_regions()
    parents = dict(zip(regions["region_id"], regions["parent_id"], strict=True))
    leaves = regions["region_id"].to_numpy()[-80:]
    store_leaf = leaves[rng.integers(0, len(leaves), STORES)]
    store_regions = []
    for store, leaf in enumerate(store_leaf, 1):
        current = leaf
        while current is not None and not pd.isna(current):
            store_regions.append((store, int(current)))
            current = parents[current]
    kinds = rng.choice(
        np.array(["regular", "discount", "convenience", "warehouse"]),
        STORES,
        p=[0.62, 0.30, 0.05, 0.03],
    )
    stores = pd.DataFrame({"store_id": np.arange(1, STORES + 1), "kind": kinds})

    combo = rng.integers(0, ITEMS * STORES * MONTHS, observations)
    item = (combo % ITEMS).astype("int32")
    store = (combo // ITEMS % STORES).astype("int32")
    month = (combo // (ITEMS * STORES)).astype("int16")
    base = rng.uniform(1.5, 15.0, ITEMS)
    store_level = rng.uniform(0.9, 1.15, STORES)
    inflation = 1.0025 ** np.arange(MONTHS)
    purchase_size = rng.choice(np.array([1.0, 500.0, 1000.0, 2000.0]), ITEMS)
    size_ratio = rng.choice(np.array([0.5, 1.0, 2.0]), observations)
    noise = rng.lognormal(0.0, 0.08, observations)
    price = base[item] * store_level[store] * inflation[month] * size_ratio * noise
    spikes = rng.random(observations) < 0.001  # keyed in wrong: ten times the price
    price = np.where(spikes, price * 10, price).round(2)
    labels = [str(p) for p in pd.period_range("2015-01", periods=MONTHS, freq="M")]
    frame = pd.DataFrame(
        {
            "store_id": store + 1,
            "item_id": item + 1,
            "period": pd.Categorical.from_codes(month, categories=labels),
            "price": price,
            "product_size": purchase_size[item] * size_ratio,
            "purchase_size": purchase_size[item],
            "price_kind": pd.Categorical.from_codes(
                rng.choice(3, observations, p=[0.85, 0.10, 0.05]),
                categories=["regular", "sale", "member"],
            ),
        }
    )
    quantities = pd.DataFrame(
        [
            (i + 1, f"group_{g:02d}", float(rng.uniform(0, 2) * purchase_size[i]), purchase_size[i])
            for i in range(ITEMS)
            for g in range(GROUPS)
        ],
        columns=["item_id", "group_code", "weekly_amount", "purchase_size"],
    )
    inputs = EngineInputs(
        observations=frame,
        stores=stores,
        store_regions=pd.DataFrame(store_regions, columns=["store_id", "region_id"]),
        regions=regions,
        quantities=quantities,
        items_total=ITEMS,
    )
    return inputs, pd.DataFrame({"month": month})


def _depth_table(regions: pd.DataFrame) -> pd.DataFrame:
    parents = dict(zip(regions["region_id"], regions["parent_id"], strict=True))
    depths = []
    for region in regions["region_id"]:
        depth, current = 0, parents[region]
        while current is not None and not pd.isna(current):
            depth, current = depth + 1, parents[current]
        depths.append(depth)
    return regions.assign(depth=depths)


def duckdb_sql(protocol: CostingProtocol, months: int, depth: int) -> str:
    """Return the hand-written SQL doing what the engine does, family cost per region-month."""
    kinds = ", ".join(f"'{kind}'" for kind in protocol.excluded_store_kinds)
    price_kinds = ", ".join(f"'{kind}'" for kind in protocol.price_kinds)
    family = ", ".join(f"'{code}'" for code in protocol.reference_family)
    ratio, k = protocol.outlier_ratio, protocol.carry_forward_periods
    factor = dict(protocol.size_factors).get(len(protocol.reference_family), 1.0)
    levels = [
        "level0 AS (SELECT cf.region_id, item_id, t, price, carried AS imputed FROM cf "
        "JOIN regions r ON r.region_id = cf.region_id WHERE r.depth = 0)"
    ]
    for d in range(1, depth + 1):
        levels.append(
            f"level{d} AS (SELECT cf.region_id, cf.item_id, cf.t,"
            f" coalesce(cf.price, p.price) AS price,"
            f" cf.carried OR (cf.price IS NULL AND p.price IS NOT NULL) AS imputed"
            f" FROM cf JOIN regions r ON r.region_id = cf.region_id AND r.depth = {d}"
            f" LEFT JOIN level{d - 1} p ON p.region_id = r.parent_id"
            f" AND p.item_id = cf.item_id AND p.t = cf.t)"
        )
    union = " UNION ALL ".join(f"SELECT * FROM level{d}" for d in range(depth + 1))
    return f"""
WITH obs AS (
  SELECT store_id, item_id, t, price_kind, price * purchase_size / product_size AS item_price
  FROM observations),
med AS (SELECT item_id, t, median(item_price) AS m, count(*) AS n FROM obs GROUP BY item_id, t),
usable AS (
  SELECT o.* FROM obs o JOIN med USING (item_id, t)
  WHERE NOT (n >= {protocol.outlier_minimum_prices}
             AND (item_price > {ratio} * m OR item_price < m / {ratio}))
    AND price_kind IN ({price_kinds})),
store_prices AS (
  SELECT store_id, item_id, t, min(item_price) AS item_price FROM usable
  GROUP BY store_id, item_id, t),
eligible AS (
  SELECT sp.* FROM store_prices sp JOIN stores s USING (store_id) WHERE s.kind NOT IN ({kinds})),
region_prices AS (
  SELECT region_id, item_id, t, avg(item_price) AS item_price, count(*) AS stores
  FROM eligible JOIN store_regions USING (store_id) GROUP BY region_id, item_id, t),
store_counts AS (
  SELECT region_id, t, count(DISTINCT store_id) AS stores_priced
  FROM eligible JOIN store_regions USING (store_id) GROUP BY region_id, t),
costed AS (
  SELECT DISTINCT region_id FROM store_regions JOIN stores USING (store_id)
  WHERE kind NOT IN ({kinds})),
grid AS (
  SELECT c.region_id, i.item_id, m.range AS t FROM costed c,
  (SELECT DISTINCT item_id FROM region_prices) i, range(0, {months}) m),
filled AS (
  SELECT g.region_id, g.item_id, g.t, rp.item_price,
    last_value(rp.item_price IGNORE NULLS) OVER w AS last_price,
    last_value(CASE WHEN rp.item_price IS NOT NULL THEN g.t END IGNORE NULLS) OVER w AS last_t
  FROM grid g LEFT JOIN region_prices rp USING (region_id, item_id, t)
  WINDOW w AS (PARTITION BY g.region_id, g.item_id ORDER BY g.t
               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)),
cf AS (
  SELECT region_id, item_id, t,
    CASE WHEN t - last_t <= {k} THEN last_price END AS price,
    item_price IS NULL AND t - last_t <= {k} AS carried
  FROM filled),
{", ".join(levels)},
final AS ({union}),
group_costs AS (
  SELECT f.region_id, f.t, q.group_code,
    sum(f.price * q.weekly_amount / q.purchase_size) AS weekly_cost,
    sum(CASE WHEN f.imputed THEN f.price * q.weekly_amount / q.purchase_size ELSE 0 END)
      AS imputed_cost
  FROM final f JOIN quantities q USING (item_id) WHERE f.price IS NOT NULL
  GROUP BY f.region_id, f.t, q.group_code)
SELECT g.region_id, g.t, sum(g.weekly_cost) * {factor} AS family_cost,
  sum(g.imputed_cost) / sum(g.weekly_cost) AS imputed_share, any_value(s.stores_priced) AS stores
FROM group_costs g LEFT JOIN store_counts s USING (region_id, t)
WHERE g.group_code IN ({family})
GROUP BY g.region_id, g.t ORDER BY g.region_id, g.t
"""


def _peak_mb() -> float:
    # Linux reports ru_maxrss in kilobytes; tracemalloc would slow the run several times.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_bench(observations: int = 10_000_000, seed: int = 2026) -> BenchReport:
    """Generate, load, run the engine and DuckDB on the same data; time one new month."""
    import duckdb

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
        "regions": _depth_table(inputs.regions),
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


def write_synthetic_observations(url: str, rows: int, seed: int = 2026) -> int:
    """Fill a migrated database with the shipped regions and basket, 400 stores and `rows`
    seeded observations of matched products over 24 months; return the basket version id."""
    rng = np.random.default_rng(seed)
    with session_scope(url) as session:
        ensure_regions(session)
        version = ensure_reference_basket(session)
        assert version.id is not None
        items = basket_items_frame(session, version.id)
        # Stores go in the regions that hold no other region.
        parents = select(Region.parent_id).where(Region.parent_id.is_not(None))
        leaves = session.execute(select(Region.id).where(Region.id.not_in(parents))).scalars().all()
        store_rows = [
            Store(code=f"bench-{n}", chain=f"chain-{n % 5}", banner="bench", name=f"Store {n}",
                  region_id=int(leaves[n % len(leaves)]),
                  kind=str(rng.choice(["regular", "discount", "convenience"], p=[0.65, 0.3, 0.05])))
            for n in range(STORES)
        ]  # fmt: skip
        session.add_all(store_rows)
        products = [
            StoreProduct(chain="bench", sku=f"{item.code}-{n}", name=item.code,
                         size=item.purchase_size * ratio, size_unit=item.purchase_unit)
            for item in items.itertuples()
            for n, ratio in enumerate((0.5, 1.0, 2.0))
        ]  # fmt: skip
        session.add_all(products)
        session.flush()
        session.add_all(
            ProductMatch(store_product_id=p.id, item_id=int(item_id), method="rule")
            for p, item_id in zip(products, np.repeat(items["item_id"].to_numpy(), 3), strict=True)
        )
        store_ids = np.array([store.id for store in store_rows])
        product_ids = np.array([product.id for product in products])
        sizes = np.array([float(product.size or 1) for product in products])
        base = rng.uniform(1.5, 15.0, len(products)) * sizes / sizes.mean()
        days = pd.date_range("2024-01-05", periods=24, freq="MS", tz="UTC") + pd.Timedelta(days=4)
        collected = days[-1].to_pydatetime()
        # In chunks, so that a large run does not hold every row's tuple at once.
        for start in range(0, rows, 200_000):
            n = min(200_000, rows - start)
            product = rng.integers(0, len(products), n)
            month = rng.integers(0, len(days), n)
            price = (base[product] * (1.0025**month) * rng.lognormal(0, 0.08, n)).round(2)
            kinds = rng.choice(np.array(["regular", "sale", "member"]), n, p=[0.85, 0.1, 0.05])
            insert_columns(
                session,
                PriceObservation.__table__,
                {
                    "store_id": store_ids[rng.integers(0, STORES, n)].tolist(),
                    "store_product_id": product_ids[product].tolist(),
                    "price": price.tolist(),
                    "currency": ["CAD"] * n,
                    "price_per": ["unit"] * n,
                    "price_kind": kinds.tolist(),
                    "multibuy_quantity": [1] * n,
                    "available": [True] * n,
                    "observed_at": [days[m].to_pydatetime() for m in month.tolist()],
                    "collected_at": [collected] * n,
                    "source_url": ["https://bench.invalid/"] * n,
                    "collector": ["bench"] * n,
                    "method": ["api"] * n,
                    "raw_price_text": [f"{p:.2f}" for p in price.tolist()],
                    "content_hash": [f"bench-{start + i}" for i in range(n)],
                    "status": ["ok"] * n,
                },
            )
        session.commit()
        return version.id


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


bench_app = typer.Typer(help="Benchmarks.", no_args_is_help=True)


@bench_app.command("engine")
def bench_engine(
    observations: int = typer.Option(10_000_000, help="Synthetic price observations"),
    seed: int = typer.Option(2026, help="Seed of the synthetic data"),
    database_rows: int = typer.Option(
        1_000_000, help="Observations to load from a temporary SQLite database (0: skip)"
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON"),
) -> None:
    """Time a full recompute with the engine and with DuckDB SQL, and one new month; time
    loading observations from a database and costing them, apart."""
    measured = run_bench(observations, seed)
    if database_rows > 0:
        measured = replace(measured, **database_load(database_rows, seed))
    report = report_dict(measured)
    if as_json:
        typer.echo(json.dumps(report))
        return
    for name, value in report.items():
        typer.echo(f"{name}: {value}")
