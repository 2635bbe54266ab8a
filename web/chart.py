"""A horizontal bar chart drawn as SVG on the server: no script, no CDN, prints as it shows.

Each bar carries its value written beside it, so nothing is told by length or colour alone;
the page shows the same figures in a table.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 720
LABEL_WIDTH = 210
VALUE_WIDTH = 110
BAR_HEIGHT = 26
GAP = 10


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its length in pixels and where it stands, and its value in words."""

    label: str
    value_text: str
    y: int
    length: int


@dataclass(frozen=True)
class BarChart:
    """The bars and the drawing's size, for the template to draw."""

    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int


def bar_chart(rows: list[tuple[str, float, str]], keep_order: bool = False) -> BarChart:
    """Lay out bars for (label, value, value as written) rows, scaled to the largest: longest
    first, or in the rows' order (months) when `keep_order`."""
    ordered = rows if keep_order else sorted(rows, key=lambda row: row[1], reverse=True)
    largest = max((value for _, value, _ in ordered), default=0.0) or 1.0
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = [
        Bar(label, text, GAP + n * (BAR_HEIGHT + GAP), max(1, round(room * value / largest)))
        for n, (label, value, text) in enumerate(ordered)
    ]
    height = GAP + len(bars) * (BAR_HEIGHT + GAP)
    return BarChart(bars, WIDTH, height, LABEL_WIDTH, BAR_HEIGHT)
