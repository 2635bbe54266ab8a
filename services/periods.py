"""Months as the commands name them (YYYY-MM)."""

from __future__ import annotations

from datetime import UTC, date, datetime


def recent_periods(months: int, today: date | None = None) -> list[str]:
    """Return the last `months` months up to the current one, oldest first, as YYYY-MM."""
    today = today or datetime.now(UTC).date()
    # Count months from year 0 so stepping back crosses years without special cases.
    current = today.year * 12 + today.month - 1
    return [
        f"{index // 12:04d}-{index % 12 + 1:02d}"
        for index in range(current - months + 1, current + 1)
    ]
