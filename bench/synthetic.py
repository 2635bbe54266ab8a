"""Seeded synthetic prices for the engine benchmark: as engine inputs, or written to a database."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import select

from basket.engine import EngineInputs
from core.basket_definitions import ensure_reference_basket
from core.db import session_scope
from core.models import PriceObservation, ProductMatch, Region, Store, StoreProduct
from core.queries.basket import basket_items_frame
from core.regions import ensure_regions
from core.writers.columns import insert_columns

ITEMS, STORES, MONTHS, GROUPS = 60, 400, 120, 20
# Synthetic hierarchy: province > metro > 4 cities > 20 boroughs > 80 neighbourhoods.
FANOUT = (1, 1, 4, 5, 4)


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
            # A cent at least: the engine skips a stored 0.00 as the price gate refuses it.
            price = np.maximum(price, 0.01)
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
