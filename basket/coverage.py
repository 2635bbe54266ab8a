"""Coverage of a figure: the share of the basket's items priced and of its cost, and its status.

A figure's status is one of STATUSES, with a reason when it is not plainly published:
- published: enough items and stores priced in the region itself;
- warning: published with a caveat (few stores, coverage under `warn_below_share`, a parent
  whose stores all lie in one child);
- imputed: the region has no eligible store of its own, every price is its parent's;
- withheld: coverage under `withhold_below_share` (or a rule set to withhold); not headlined.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from basket.group_costs import grid_axes, quantity_matrix
from basket.protocol import NFB, CostingProtocol

PUBLISHED, WARNING, IMPUTED, WITHHELD = "published", "warning", "imputed", "withheld"
STATUSES = (PUBLISHED, WARNING, IMPUTED, WITHHELD)
# When several rules apply, the gravest status wins; every reason is kept.
SEVERITY = {PUBLISHED: 0, WARNING: 1, IMPUTED: 2, WITHHELD: 3}


def coverage_shares(
    region_prices: pd.DataFrame, quantities: pd.DataFrame, items_total: int, scopes: pd.Series
) -> pd.DataFrame:
    """Return, per region, period and scope, the share of items and of cost that is priced.

    The cost share weighs each item by its price in the same region the period before
    (observed or imputed), times the scope's weekly quantity; items without such a price
    weigh nothing, and a first period (no previous price at all) has no cost share (NaN).

    Args:
        region_prices: the full imputed grid, earlier periods included: region_id, item_id,
            period, item_price (NaN when missing).
        quantities: item_id, group_code, weekly_amount, purchase_size.
        items_total: items in the basket (items never priced anywhere count as unpriced).
        scopes: scope name -> comma-separated group codes it sums ("family" -> its members).

    Returns:
        region_id, period, scope, item_share, cost_share.
    """
    axes = grid_axes(region_prices)
    region_ids, periods, item_ids = axes.region_ids, axes.periods, axes.item_ids
    shape = (len(region_ids), len(periods), len(item_ids))
    price = region_prices["item_price"].to_numpy(dtype="float64")[axes.order].reshape(shape)
    previous = np.full(shape, np.nan)
    previous[:, 1:, :] = price[:, :-1, :]
    priced = ~np.isnan(price)
    groups = quantity_matrix(quantities, item_ids)
    weights = np.column_stack(
        [groups.reindex(columns=codes.split(","), fill_value=0.0).sum(axis=1) for codes in scopes]
    )
    weighted = np.nan_to_num(previous).reshape(-1, len(item_ids))
    covered = (weighted * priced.reshape(-1, len(item_ids))) @ weights
    whole = weighted @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        cost_share = np.where(whole > 0, covered / whole, np.nan)
    index = pd.MultiIndex.from_product(
        [region_ids, periods, list(scopes.index)], names=["region_id", "period", "scope"]
    ).to_frame(index=False)
    item_share = np.repeat(priced.reshape(-1, len(item_ids)).sum(axis=1), len(scopes))
    return index.assign(
        scope=index["scope"].astype(str),
        item_share=item_share / max(items_total, 1),
        cost_share=cost_share.ravel(),
    )


def coverage_status(
    item_share: pd.Series, cost_share: pd.Series, protocol: CostingProtocol = NFB
) -> tuple[np.ndarray, np.ndarray]:
    """Return the status (published, warning, withheld) and reason of each coverage.

    The smaller of the two shares is judged (a NaN cost share is not judged).
    """
    share = np.fmin(item_share.to_numpy(dtype="float64"), cost_share.to_numpy(dtype="float64"))
    withheld = share < protocol.withhold_below_share
    warned = ~withheld & (share < protocol.warn_below_share)
    status = np.where(withheld, WITHHELD, np.where(warned, WARNING, PUBLISHED))
    limit = np.where(withheld, protocol.withhold_below_share, protocol.warn_below_share)
    reasons = np.full(len(share), "", dtype=object)
    # Most figures are covered: only the flagged ones are worded.
    flagged = np.flatnonzero(withheld | warned)
    items_share = item_share.to_numpy(dtype="float64")[flagged]
    costs_share = cost_share.to_numpy(dtype="float64")[flagged]
    reasons[flagged] = [
        f"{items:.0%} of the items and {cost:.0%} of the cost priced, "
        f"below the minimum of {bound:.0%}"
        if not np.isnan(cost)
        else f"{items:.0%} of the items priced, below the minimum of {bound:.0%}"
        for items, cost, bound in zip(items_share, costs_share, limit[flagged], strict=True)
    ]
    return status, reasons


def gravest(first: str, second: str) -> str:
    """Return the graver of two statuses."""
    return first if SEVERITY.get(first, 0) >= SEVERITY.get(second, 0) else second


def join_reasons(*reasons: str) -> str:
    """Return the non-empty reasons joined by "; "."""
    return "; ".join(reason for reason in reasons if reason)
