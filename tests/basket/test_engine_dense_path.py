"""The engine's fast path against the rules it replaces (kept here as oracles), on random worlds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import basket.dense_prices as dense_prices
import basket.engine as engine
from basket.coverage import IMPUTED, PUBLISHED, WARNING, WITHHELD, gravest, join_reasons
from basket.dense_prices import (
    StorePrices,
    dense_regional_item_prices,
    lowest_usable_prices,
)
from basket.engine import EngineInputs, compute_basket
from basket.outliers import flag_outliers, judged_observations, normalised_prices
from basket.protocol import NFB, CostingProtocol
from basket.regional import regional_item_prices
from basket.store_prices import lowest_price_per_store, usable_observations

REGIONS_NAMED = ("qc", "mtl", "qbc", "lachine", "verdun", "limoilou", "sillery")
# Province 1 > cities 2, 3 > neighbourhoods 4, 5 (in 2) and 6, 7 (in 3); 7 holds no store.
REGIONS = pd.DataFrame(
    {"region_id": [1, 2, 3, 4, 5, 6, 7], "parent_id": [None, 1, 1, 2, 2, 3, 3]}
).astype({"parent_id": "Int64"})
CHAINS = {1: [1], 2: [2, 1], 3: [3, 1], 4: [4, 2, 1], 5: [5, 2, 1], 6: [6, 3, 1]}
PROTOCOLS = [
    NFB.with_changes(reference_family=("a", "b")),
    NFB.with_changes(
        reference_family=("a", "a", "b"),
        minimum_stores=2,
        price_kinds=("regular", "sale"),
        single_child_parent="withhold",
    ),
    NFB.with_changes(
        reference_family=("b",),
        frequency="quarter",
        carry_forward_periods=0,
        below_minimum="withhold",
        withhold_below_share=0.5,
    ),
    NFB.with_changes(reference_family=("a", "b"), regional_statistic="median", outlier_ratio=1.5),
]


def random_world(seed: int) -> EngineInputs:
    """Return a small world with ties, spikes, refused and missing prices, as the seed says."""
    rng = np.random.default_rng(seed)
    stores = int(rng.integers(2, 12))
    items = int(rng.integers(1, 6))
    months = [f"2026-{m:02d}" for m in range(1, int(rng.integers(2, 8)))]
    rows = int(rng.integers(20, 400))
    store_region = {s: int(rng.choice(list(CHAINS))) for s in range(1, stores + 1)}
    store_regions = pd.DataFrame(
        [(s, r) for s, leaf in store_region.items() for r in CHAINS[leaf]],
        columns=["store_id", "region_id"],
    )
    kinds = rng.choice(["regular", "discount", "convenience", "warehouse"], stores)
    kinds[0] = "regular"  # with no eligible store at all, there is nothing to cost
    size = rng.choice([1.0, 500.0, 1000.0], items)
    item = rng.integers(0, items, rows)
    # Few distinct prices, so that ties for the lowest price happen.
    price = rng.choice([1.0, 1.5, 2.0, 2.5, 3.0, 9.0, 0.2], rows) * (1 + item)
    product = size[item] * rng.choice([0.5, 1.0, 2.0], rows)
    product[rng.random(rows) < 0.02] = 0.0  # an infinite price per purchase size
    price[rng.random(rows) < 0.02] = np.nan
    observations = pd.DataFrame(
        {
            "store_id": rng.integers(1, stores + 1, rows),
            "item_id": (item + 1) * 100,
            "period": rng.choice(months, rows),
            "price": price,
            "product_size": product,
            "purchase_size": size[item],
        }
    )
    form = seed % 4
    kind = rng.choice(["regular", "sale", "member"], rows, p=[0.7, 0.2, 0.1])
    if form in (1, 3):
        observations["price_kind"] = kind
    if form == 2:
        # A kind missing, and a category no row holds.
        missing = np.where(kind == "member", None, kind)
        observations["price_kind"] = pd.Categorical(missing, categories=["regular", "sale", "x"])
        observations["period"] = pd.Categorical(observations["period"], categories=months)
    if form in (0, 1):
        # Database ids, shuffled so that the smallest id is not the first row.
        observations["observation_id"] = rng.permutation(rows).astype("int64") + 1000
    if form == 3:
        observations["price_per"] = rng.choice(["unit", "kg", "", "dozen"], rows)
        observations["purchase_unit"] = np.where(size[item] == 1.0, "unit", "g")
    quantities = pd.DataFrame(
        [(i, g, float(rng.uniform(0, 3)) * size[n], size[n])
         for n, i in enumerate((np.arange(items) + 1) * 100) for g in ("a", "b")],
        columns=["item_id", "group_code", "weekly_amount", "purchase_size"],
    )  # fmt: skip
    return EngineInputs(
        observations=observations,
        stores=pd.DataFrame({"store_id": np.arange(1, stores + 1), "kind": kinds}),
        store_regions=store_regions,
        regions=REGIONS.assign(code=list(REGIONS_NAMED)) if seed % 2 else REGIONS,
        quantities=quantities,
        items_total=items,
    )


def pandas_store_prices(observations: pd.DataFrame, protocol: CostingProtocol) -> StorePrices:
    """The previous implementation: the pandas rules, chained as the engine chained them."""
    flagged = flag_outliers(normalised_prices(observations), protocol)
    return StorePrices(
        lowest_price_per_store(usable_observations(flagged, protocol)),
        int(flagged["outlier"].sum()),
        judged_observations(flagged),
    )


def per_figure_status_and_reason(
    stored: str,
    store_reason: str,
    held: int,
    lent: int,
    within: int,
    coverage_label: str,
    coverage_reason: str,
    protocol: CostingProtocol,
    names: dict[int, str],
) -> tuple[str, str]:
    """The previous implementation: one figure's status and reason, figure by figure."""
    status = PUBLISHED if stored in ("ok", "") else stored
    territory_reason = ""
    if held == 0:
        store_reason, status = "", IMPUTED
        territory_reason = (
            f"no eligible store in this region: every price is taken from "
            f"{names.get(lent, str(lent))}"
            if lent >= 0
            else "no eligible store in this region or above it"
        )
    elif stored == "":
        status = IMPUTED
        territory_reason = "no store priced in this region this period: every price is imputed"
    elif within >= 0:
        territory_reason = f"its {held} stores all lie in {names.get(within, str(within))}"
        rule = WITHHELD if protocol.single_child_parent == "withhold" else WARNING
        status = gravest(status, rule)
    return gravest(status, coverage_label), join_reasons(
        territory_reason, store_reason, coverage_reason
    )


def per_figure_statuses(
    costs: pd.DataFrame,
    cover_status: np.ndarray,
    cover_reason: np.ndarray,
    protocol: CostingProtocol,
    names: dict[int, str],
) -> tuple[list[str], list[str]]:
    judged = [
        per_figure_status_and_reason(*row, protocol, names)
        for row in zip(
            costs["status"].astype(str).tolist(),
            costs["warning"].astype(str).tolist(),
            costs["stores_held"].fillna(1).astype("int64").tolist(),
            costs["source_region_id"].fillna(-1).astype("int64").tolist(),
            costs["stores_within"].fillna(-1).astype("int64").tolist(),
            cover_status.tolist(),
            cover_reason.tolist(),
            strict=True,
        )
    ]
    return [status for status, _ in judged], [reason for _, reason in judged]


@pytest.mark.parametrize("seed", range(40))
def test_store_prices_and_outliers_match_the_pandas_rules(seed: int) -> None:
    inputs = random_world(seed)
    protocol = PROTOCOLS[seed % len(PROTOCOLS)]
    fast = lowest_usable_prices(inputs.observations, protocol)
    expected = pandas_store_prices(inputs.observations, protocol)
    assert not expected.store_prices.empty
    assert_frame_equal(fast.store_prices, expected.store_prices)
    assert fast.outliers == expected.outliers
    assert_frame_equal(fast.judged, expected.judged, check_dtype=False)


@pytest.mark.parametrize("seed", range(0, 40, 3))
def test_store_prices_of_a_grid_too_large_for_dense_cells_match_the_pandas_rules(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every grid is "too large": the cells are compacted by sorting instead.
    monkeypatch.setattr(dense_prices, "DENSE_CELLS", 0)
    inputs = random_world(seed)
    protocol = PROTOCOLS[seed % len(PROTOCOLS)]
    fast = lowest_usable_prices(inputs.observations, protocol)
    expected = pandas_store_prices(inputs.observations, protocol)
    assert_frame_equal(fast.store_prices, expected.store_prices)
    assert fast.outliers == expected.outliers


@pytest.mark.parametrize("seed", range(40))
def test_regional_prices_match_the_pandas_rule(seed: int) -> None:
    inputs = random_world(seed)
    protocol = PROTOCOLS[seed % len(PROTOCOLS)]
    store_prices = pandas_store_prices(inputs.observations, protocol).store_prices
    fast = dense_regional_item_prices(store_prices, inputs.store_regions, protocol)
    expected = regional_item_prices(store_prices, inputs.store_regions, protocol)
    assert_frame_equal(fast, expected, rtol=1e-12)


@pytest.mark.parametrize("seed", range(40))
def test_costs_match_the_previous_engine_to_the_cent(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = random_world(seed)
    protocol = PROTOCOLS[seed % len(PROTOCOLS)]
    fast = compute_basket(inputs, protocol)
    monkeypatch.setattr(engine, "lowest_usable_prices", pandas_store_prices)
    monkeypatch.setattr(engine, "dense_regional_item_prices", regional_item_prices)
    monkeypatch.setattr(engine, "_statuses_and_reasons", per_figure_statuses)
    expected = compute_basket(inputs, protocol)
    assert expected.costs["weekly_cost"].notna().any()
    assert_frame_equal(fast.costs[["status", "warning"]], expected.costs[["status", "warning"]])
    assert_frame_equal(fast.costs, expected.costs, rtol=1e-12)
    assert_frame_equal(fast.region_prices, expected.region_prices, rtol=1e-12)
    assert_frame_equal(fast.store_prices, expected.store_prices)
    cents = (fast.costs["weekly_cost"] * 100).round() - (
        expected.costs["weekly_cost"] * 100
    ).round()
    assert cents.fillna(0).abs().max() == 0


def test_the_lowest_price_of_equal_prices_keeps_the_smallest_observation() -> None:
    observations = pd.DataFrame(
        {
            "store_id": [1, 1, 1, 2],
            "item_id": [10, 10, 10, 10],
            "period": ["2026-01"] * 4,
            "price": [2.0, 2.0, 3.0, 2.5],
            "product_size": [1.0] * 4,
            "purchase_size": [1.0] * 4,
            "observation_id": [7, 5, 1, 9],
        }
    )
    prices = lowest_usable_prices(observations, NFB).store_prices
    assert prices[["store_id", "item_price", "observation_id"]].values.tolist() == [
        [1, 2.0, 5],
        [2, 2.5, 9],
    ]
