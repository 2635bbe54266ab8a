"""The engine's computation written by hand in DuckDB SQL, to check and time the engine against."""

from __future__ import annotations

import pandas as pd

from basket.protocol import CostingProtocol


def depth_table(regions: pd.DataFrame) -> pd.DataFrame:
    """Return the regions with the depth of each in the tree (0 at the root)."""
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
