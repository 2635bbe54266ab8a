"""The four charts of the editions, as PNG (print) and SVG, accessible and reproducible.

Accessible: Okabe-Ito colours (safe for colour-blind readers), values labelled on the marks
rather than in a legend, an alt text for each, a source and date line under each. Honest:
money axes start at zero, so a 2 % rise never looks like a doubling. Reproducible: no
creation date in either file and a fixed SVG hash salt, so the bytes depend on data only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from publications.categories import category_label
from publications.facts import EditionFacts
from publications.i18n import Language

# Okabe & Ito (2008): distinguishable under every common colour-vision deficiency.
BLUE, ORANGE, GREEN, VERMILION, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#6E6E6E"
PNG_DPI = 150
_STYLE = {
    "svg.hashsalt": "ppne-publications",
    # Text stays text in the SVG: smaller, searchable, and much faster to write.
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@dataclass(frozen=True)
class Chart:
    """One chart as written: its files and the alt text the HTML gives it."""

    key: str
    png: Path
    svg: Path | None  # written for the press kit only
    alt: str


def write_charts(
    facts: EditionFacts,
    lang: Language,
    out_dir: Path,
    svg: bool = False,
    only: tuple[str, ...] | None = None,
) -> dict[str, Chart]:
    """Draw the charts (`only` these keys, when given) into `out_dir` as PNG, and SVG if asked."""
    drawers: dict[str, Callable[[Axes, EditionFacts, Language], str]] = {
        "cost-over-time": _cost_over_time,
        "category-contributions": _contributions,
        "item-moves": _item_moves,
        "cost-by-territory": _territories,
    }
    charts = {}
    for key, draw in drawers.items():
        if only is not None and key not in only:
            continue
        with matplotlib.rc_context(_STYLE):
            figure = Figure(figsize=(7.2, 2.9))
            # Fixed margins rather than a layout engine: as readable, and several times faster.
            figure.subplots_adjust(left=0.27, right=0.95, top=0.94, bottom=0.27)
            axes = figure.add_subplot()
            alt = draw(axes, facts, lang)
            figure.text(0.01, 0.01, _source_line(facts, lang), fontsize=6.5, color=GREY,
                        ha="left", va="bottom")  # fmt: skip
            png = out_dir / f"{key}-{facts.period}-{lang.code}.png"
            figure.savefig(png, dpi=PNG_DPI, metadata={"Software": None})
            vector = png.with_suffix(".svg") if svg else None
            if vector:
                figure.savefig(vector, metadata={"Date": None, "Creator": None})
        charts[key] = Chart(key, png, vector, alt)
    return charts


def _source_line(facts: EditionFacts, lang: Language) -> str:
    source = lang.gettext("Source: PPNE basket costs")
    if facts.cpi_geo:
        source += lang.gettext("; food CPI: Statistics Canada, table 18-10-0004-01")
    released = lang.gettext("Released {date}").format(date=lang.day(facts.release.release_date))
    demo = " — " + lang.gettext("DEMONSTRATION DATA") if facts.demo else ""
    return f"{source}. {released}.{demo}"


def _money_axis(axes: Axes, lang: Language, axis: str = "y", cents: bool = False) -> None:
    target = axes.yaxis if axis == "y" else axes.xaxis
    money = lang.money if cents else lang.money_whole
    target.set_major_formatter(FuncFormatter(lambda value, _: money(value)))


def _short(label: str, length: int = 24) -> str:
    # Long territory and item names would push the bars off the figure.
    return label if len(label) <= length else label[: length - 1] + "…"


def _cost_over_time(axes: Axes, facts: EditionFacts, lang: Language) -> str:
    series = facts.series.tail(25)
    positions = list(range(len(series)))
    costs = series["monthly_cost"].to_numpy(dtype=float)
    axes.plot(positions, costs, color=BLUE, linewidth=2.2, marker="o", markersize=3)
    last = costs[-1]
    axes.annotate(lang.gettext("Basket {cost}").format(cost=lang.money(last)),
                  (positions[-1], last), xytext=(0, 8), textcoords="offset points",
                  ha="right", color=BLUE, fontsize=8, fontweight="bold")  # fmt: skip
    base_row = series.iloc[0]
    alt = lang.gettext(
        "Monthly cost of the basket for the reference family, {region}, {start} to {end}"
    )
    alt = alt.format(region=facts.region_in(lang.code),
                     start=lang.month(str(series["period"].iloc[0])),
                     end=lang.month(facts.period))  # fmt: skip
    cpi = series["cpi_index"].astype(float)
    if cpi.notna().sum() >= 2 and pd.notna(base_row["index"]):
        # The food CPI applied to the first month's cost: what the basket would cost had it
        # moved with the CPI.
        scaled = costs[0] * cpi / cpi.dropna().iloc[0]
        axes.plot(positions, scaled, color=ORANGE, linewidth=1.6, linestyle="--")
        valid = scaled.dropna()
        axes.annotate(lang.gettext("Food CPI"), (positions[valid.index.get_loc(valid.index[-1])],
                      valid.iloc[-1]), xytext=(0, -14), textcoords="offset points",
                      ha="right", color=ORANGE, fontsize=8)  # fmt: skip
        alt += lang.gettext(", beside the food CPI applied to the first month's cost")
    axes.set_ylim(0, max(costs.max(), 1) * 1.18)
    _money_axis(axes, lang)
    step = max(1, -(-len(series) // 8))
    ticks = positions[::step]
    axes.set_xticks(ticks, [_month_tick(lang, str(series["period"].iloc[i])) for i in ticks])
    axes.set_ylabel(lang.gettext("Monthly cost, reference family"))
    axes.grid(axis="y", alpha=0.3)
    return alt + "."


def _month_tick(lang: Language, period: str) -> str:
    return f"{lang.month_short(period)}\n{period[:4]}"


def _hbars(axes: Axes, labels: list[str], values: list[float], texts: list[str]) -> None:
    positions = list(range(len(values)))[::-1]
    colours = [VERMILION if value > 0 else BLUE for value in values]
    axes.barh(positions, values, color=colours, height=0.62)
    axes.set_yticks(positions, [_short(label) for label in labels])
    axes.axvline(0, color="#333333", linewidth=0.8)
    span = max((abs(v) for v in values), default=1) or 1
    for position, value, text in zip(positions, values, texts, strict=True):
        axes.text(value + (span * 0.02 if value >= 0 else -span * 0.02), position, text,
                  va="center", ha="left" if value >= 0 else "right", fontsize=7.5)  # fmt: skip
    axes.set_xlim(min(0, min(values, default=0)) - span * 0.35,
                  max(0, max(values, default=0)) + span * 0.35)  # fmt: skip
    axes.spines[["left"]].set_visible(False)
    axes.tick_params(axis="y", length=0)


def _contributions(axes: Axes, facts: EditionFacts, lang: Language) -> str:
    drivers = facts.drivers.sort_values(
        ["contribution_points", "category"], ascending=[False, True]
    )
    labels = [category_label(lang, str(c)) for c in drivers["category"]]
    values = [float(v) for v in drivers["contribution_points"].fillna(0.0)]
    _hbars(axes, labels, values, [lang.points(v) for v in values])
    axes.set_xlabel(lang.gettext("Contribution to the monthly change, in percentage points"))
    return lang.gettext("Contribution of each food category to the change of the basket cost "
                        "from {start} to {end}.").format(
        start=lang.month(facts.drivers_start) if facts.drivers_start else lang.na(),
        end=lang.month(facts.period))  # fmt: skip


def _item_moves(axes: Axes, facts: EditionFacts, lang: Language) -> str:
    moves = facts.item_moves
    labels = [lang.label(str(f), str(e)) for f, e in zip(moves["name_fr"], moves["name_en"],
                                                          strict=True)]  # fmt: skip
    values = [float(v) * facts.method.weeks_per_month for v in moves["change"]]
    _hbars(axes, labels, values, [_signed_money(lang, v) for v in values])
    _money_axis(axes, lang, "x", cents=max((abs(v) for v in values), default=0) < 5)
    axes.set_xlabel(lang.gettext("Change of the item's monthly cost for the reference family"))
    return lang.gettext("The basket items whose cost moved most from {start} to {end}.").format(
        start=lang.month(facts.drivers_start) if facts.drivers_start else lang.na(),
        end=lang.month(facts.period))  # fmt: skip


def _signed_money(lang: Language, value: float) -> str:
    return ("+" if value > 0 else "-" if value < 0 else "") + lang.money(abs(value))


def _territories(axes: Axes, facts: EditionFacts, lang: Language) -> str:
    shown = facts.territories.sort_values(["monthly_cost", "region_code"], ascending=[True, True])
    shown = shown[shown["monthly_cost"].notna()]
    positions = list(range(len(shown)))
    values = shown["monthly_cost"].astype(float).tolist()
    colours = [BLUE if code == facts.region_code else GREY for code in shown["region_code"]]
    axes.barh(positions, values, color=colours, height=0.62)
    names = shown["region_name"] if lang.code == "fr" else shown["region_name_en"]
    axes.set_yticks(positions, [_short(str(name)) for name in names])
    for position, value in zip(positions, values, strict=True):
        axes.text(value, position, " " + lang.money(value), va="center", fontsize=7.5)
    axes.set_xlim(0, max(values, default=1) * 1.25)
    _money_axis(axes, lang, "x")
    axes.set_xlabel(lang.gettext("Monthly cost, reference family"))
    axes.tick_params(axis="y", length=0)
    return lang.gettext("Monthly cost of the basket for the reference family in each territory "
                        "priced, {month}.").format(month=lang.month(facts.period))  # fmt: skip
