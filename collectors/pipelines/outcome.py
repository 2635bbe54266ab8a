"""The run-outcome rules of docs/collectors.md: a pure function of a run's counts and stats."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from collectors.pipelines.stats import (
    STAT_DROPPED,
    STAT_DUPLICATES,
    STAT_FAILED_PAGES,
    STAT_FIRST_EMPTY_URL,
    STAT_FIRST_FAILURE,
    STAT_FIRST_MISSING_URL,
    STAT_SEEN,
    STAT_STORED,
)

# Fields read from the page: a run whose items miss them too often met a changed layout.
PAGE_FIELDS = ("sku", "product_name", "price")
# A run whose items miss required fields more often than this has met a changed layout.
DEFAULT_MAX_MISSING_SHARE = 0.2


@dataclass(frozen=True)
class RunCounts:
    """What a run's pipelines counted: items seen, stored, duplicates, dropped by reason."""

    seen: int
    stored: int
    duplicates: int
    dropped: dict[str, int]

    @classmethod
    def from_stats(cls, stats: Mapping[str, Any]) -> RunCounts:
        """Read the counts from the crawler's stats."""
        return cls(
            seen=int(stats.get(STAT_SEEN, 0)),
            stored=int(stats.get(STAT_STORED, 0)),
            duplicates=int(stats.get(STAT_DUPLICATES, 0)),
            dropped={
                key.removeprefix(STAT_DROPPED): int(value)
                for key, value in stats.items()
                if key.startswith(STAT_DROPPED)
            },
        )


def judge_run(
    spider: str,
    counts: RunCounts,
    stats: Mapping[str, Any],
    *,
    error: str | None = None,
    entry_url: str = "",
    max_missing_share: float = DEFAULT_MAX_MISSING_SHARE,
) -> tuple[str, str]:
    """Return the run's outcome ("succeeded" or "failed") and its message.

    Args:
        error: the first storage error, if a batch could not be written.
        entry_url: where the spider started, named when it found nothing and no page says.
    """
    seen, dropped = counts.seen, counts.dropped
    # Only fields read from the page count: a store without a region is configuration.
    missing = sum(dropped.get(f"missing_{name}", 0) for name in PAGE_FIELDS)
    drops = ", ".join(f"{reason} {count}" for reason, count in sorted(dropped.items()))
    summary = f"{seen} items, {counts.stored} stored, {counts.duplicates} duplicates" + (
        f", quarantined: {drops}" if drops else ""
    )
    if error:
        return "failed", f"{spider}: {error}"
    if stats.get(STAT_FIRST_FAILURE):
        failed = int(stats.get(STAT_FAILED_PAGES, 0))
        return "failed", (
            f"spider {spider}: {failed} page(s) failed, first {stats[STAT_FIRST_FAILURE]}; "
            + summary
        )
    if seen == 0:
        url = stats.get(STAT_FIRST_EMPTY_URL) or entry_url
        answered = int(stats.get("response_received_count", 0))
        return "failed", f"spider {spider} found no product at {url} ({answered} pages answered)"
    if missing > max_missing_share * seen:
        url = stats.get(STAT_FIRST_MISSING_URL, "")
        return "failed", (
            f"spider {spider}: {missing} of {seen} items miss required fields "
            f"(more than {max_missing_share:.0%}), first at {url}; the layout may have changed"
        )
    return "succeeded", summary
