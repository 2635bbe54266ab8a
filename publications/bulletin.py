"""The thin bulletin for journalists: headline cost, chart and table by region, HTML and PDF."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from basket.text import daily_divisor, daily_rule, monthly_rule, persons_text
from core.errors import InvalidInput, NoData

# WeasyPrint warns at import when the system lacks libharfbuzz-subset: it then subsets fonts with
# fontTools, which works. Silence only that notice, so pytest's warnings-as-errors and the CLI stay
# quiet; installing libharfbuzz-subset0 in the image is the real fix.
with warnings.catch_warnings():
    warnings.filterwarnings(
        "ignore", message="HarfBuzz-Subset will be required", category=DeprecationWarning
    )
    from weasyprint import HTML

from publications.formatting import (
    format_count,
    format_day,
    format_money,
    format_money_whole,
    format_month,
    format_month_short,
    format_percent_change,
    format_percent_share,
    period_to_date,
    shift_period,
)

COLUMNS = (
    "region_code",
    "region_name",
    "region_level",
    "period",
    "weekly_cost",
    "monthly_cost",
    "stores_priced",
    "items_priced",
    "items_total",
)
# Optional caveats: without them every figure is taken as resting on enough stores, unimputed.
CAVEAT_DEFAULTS: dict[str, float | str] = {
    "imputed_share": 0.0,
    "status": "ok",
    # The method the figures were computed with: its text is computed, never typed in.
    "preset": "nfb",
    "family": "",
}
# Broadest first, so the table reads from Quebec down to neighbourhoods.
LEVEL_ORDER = ("province", "metro", "city", "borough", "neighbourhood")
LEVEL_NAMES = {
    "province": "province",
    "metro": "région métropolitaine",
    "city": "ville",
    "borough": "arrondissement",
    "neighbourhood": "quartier",
}
PEOPLE_IN_REFERENCE_FAMILY = 4
CHART_DPI = 200
MAX_MONTH_LABELS = 7


@dataclass(frozen=True)
class BulletinFiles:
    """Where one bulletin was written."""

    html: Path
    pdf: Path
    chart: Path


def write_bulletin(
    costs: pd.DataFrame,
    out_dir: Path,
    headline_region: str = "montreal",
    generated_at: datetime | None = None,
    cpi: pd.DataFrame | None = None,
) -> BulletinFiles:
    """Write the bulletin of the latest period in `costs` as HTML, PDF and PNG chart in `out_dir`.

    Args:
        cpi: period, cpi, geo of the imported food CPI (core.queries.food_cpi_frame); its
            changes stand beside the basket's when given and not empty.

    Raises:
        NoData: `costs` has no rows.
        InvalidInput: a column is missing, a period is malformed or a region repeats in a period.
    """
    costs = _checked(costs)
    generated_at = generated_at or datetime.now().astimezone()
    latest = max(costs["period"])
    current = costs[costs["period"] == latest]
    headline_code = _headline_region(current, headline_region)

    out_dir.mkdir(parents=True, exist_ok=True)
    chart = out_dir / f"cout-par-mois-{latest}.png"
    html_path = out_dir / f"bulletin-{latest}.html"
    pdf_path = out_dir / f"bulletin-{latest}.pdf"

    _draw_chart(costs, headline_code, chart)
    html = _template().render(
        title=f"Coût du panier à provisions nutritif — {format_month(latest)}",
        month=format_month(latest),
        headline=_headline(costs, headline_code, latest, cpi),
        method=_method(current),
        cpi_geo=None if cpi is None or cpi.empty else str(cpi["geo"].iloc[0]),
        rows=_table_rows(current),
        chart_file=chart.name,
        chart_alt=_chart_alt(costs, headline_code),
        generated_on=format_day(generated_at.date()),
    )
    html_path.write_text(html, encoding="utf-8")
    # base_url lets WeasyPrint find the chart, which the HTML names relative to itself.
    HTML(string=html, base_url=out_dir.resolve().as_uri() + "/").write_pdf(pdf_path)

    # Stable names, so links to "the latest bulletin" never change.
    shutil.copyfile(html_path, out_dir / "bulletin.html")
    shutil.copyfile(pdf_path, out_dir / "bulletin.pdf")
    return BulletinFiles(html=html_path, pdf=pdf_path, chart=chart)


def _checked(costs: pd.DataFrame) -> pd.DataFrame:
    if costs.empty:
        raise NoData(
            "Aucun coût calculé : rien à publier dans le bulletin."
            " / No computed cost: nothing to put in the bulletin."
        )
    missing = [column for column in COLUMNS if column not in costs.columns]
    if missing:
        raise InvalidInput(f"bulletin input lacks columns: {', '.join(missing)}")
    costs = costs.assign(
        **{name: default for name, default in CAVEAT_DEFAULTS.items() if name not in costs}
    )
    costs = costs.loc[:, [*COLUMNS, *CAVEAT_DEFAULTS]].copy()
    costs["period"] = costs["period"].astype(str)
    for period in costs["period"].unique():
        try:
            period_to_date(period)
        except ValueError as error:
            raise InvalidInput(f"bulletin input: {error}") from error
    repeated = costs.duplicated(["region_code", "period"])
    if repeated.any():
        first = costs[repeated].iloc[0]
        raise InvalidInput(
            f"bulletin input has region {first['region_code']} twice in {first['period']}"
        )
    return costs


def _headline_region(current: pd.DataFrame, wanted: str) -> str:
    if wanted in set(current["region_code"]):
        return wanted
    # Without the asked-for region, the region priced in the most stores is the best estimate.
    ranked = current.sort_values(["stores_priced", "region_code"], ascending=[False, True])
    return str(ranked.iloc[0]["region_code"])


def _cost_in(costs: pd.DataFrame, region_code: str, period: str) -> float | None:
    row = costs[(costs["region_code"] == region_code) & (costs["period"] == period)]
    if row.empty or pd.isna(row.iloc[0]["weekly_cost"]):
        return None
    return float(row.iloc[0]["weekly_cost"])


def _cpi_change(cpi: pd.DataFrame | None, earlier: str, latest: str) -> str | None:
    if cpi is None or cpi.empty:
        return None
    values = cpi.set_index("period")["cpi"]
    before, after = values.get(earlier), values.get(latest)
    if before is None or after is None or pd.isna(before) or pd.isna(after) or not before:
        return None  # a month StatCan did not publish gives no change, rather than a wrong one
    return format_percent_change(float(after) / float(before) - 1)


def _headline(
    costs: pd.DataFrame, region_code: str, latest: str, cpi: pd.DataFrame | None = None
) -> dict[str, object]:
    row = costs[(costs["region_code"] == region_code) & (costs["period"] == latest)].iloc[0]
    weekly = float(row["weekly_cost"])
    changes = []
    for months_back, label in ((1, "sur un mois"), (12, "sur un an")):
        earlier = shift_period(latest, -months_back)
        before = _cost_in(costs, region_code, earlier)
        if before:  # a zero cost earlier would make the change meaningless
            changes.append(
                {
                    "label": label,
                    "since": format_month(earlier),
                    "value": format_percent_change(weekly / before - 1),
                    "cpi": _cpi_change(cpi, earlier, latest),
                }
            )
    return {
        "region": row["region_name"],
        "weekly": format_money(weekly),
        "monthly": format_money(float(row["monthly_cost"])),
        "per_person_per_day": format_money(
            weekly / daily_divisor(str(row["preset"]), _persons(str(row["family"])))
        ),
        "stores": format_count(row["stores_priced"]),
        "items_priced": format_count(row["items_priced"]),
        "items_total": format_count(row["items_total"]),
        "changes": changes,
    }


def _persons(family: str) -> int:
    # Costs stored before the family was recorded: the NFB family of four.
    return len(family.split(",")) if family and family != "nan" else PEOPLE_IN_REFERENCE_FAMILY


def _method(current: pd.DataFrame) -> dict[str, str]:
    """Return the method's sentences, computed from the preset and family of the figures."""
    row = current.iloc[-1]
    preset_name, persons = str(row["preset"]), _persons(str(row["family"]))
    return {
        "persons": persons_text(persons),
        "monthly_rule": monthly_rule(preset_name, french=True),
        "daily_rule": daily_rule(preset_name, persons, french=True),
    }


def _in_reading_order(frame: pd.DataFrame) -> pd.DataFrame:
    rank = frame["region_level"].map({level: i for i, level in enumerate(LEVEL_ORDER)})
    return frame.assign(_rank=rank.fillna(len(LEVEL_ORDER))).sort_values(["_rank", "region_name"])


def _table_rows(current: pd.DataFrame) -> list[dict[str, str]]:
    return [
        {
            "region": str(row["region_name"]),
            "level": LEVEL_NAMES.get(str(row["region_level"]), str(row["region_level"])),
            "weekly": format_money(row["weekly_cost"]),
            "monthly": format_money(row["monthly_cost"]),
            "stores": format_count(row["stores_priced"]),
            "items_share": (
                f"{format_count(row['items_priced'])} / {format_count(row['items_total'])}"
            ),
            "note": _caveat(row),
        }
        for row in _in_reading_order(current).to_dict("records")
    ]


def _caveat(row: Mapping[Hashable, Any]) -> str:
    # Readers must see when a figure rests on few stores or on imputed prices.
    notes = []
    if row.get("status") == "warning":
        notes.append("peu de magasins")
    imputed = row.get("imputed_share")
    if isinstance(imputed, float) and imputed > 0:
        notes.append(f"{format_percent_share(imputed)} imputé")
    return " ; ".join(notes)


def _charted(costs: pd.DataFrame, headline_code: str | None = None) -> pd.DataFrame:
    priced = _in_reading_order(costs[(costs["stores_priced"] > 0) & costs["monthly_cost"].notna()])
    # A region whose stores are all in one child (a borough with one priced neighbourhood,
    # the province when only Montreal is priced) draws the same line twice: keep one, the
    # headline region if it is among them, else the most local one.
    kept: dict[tuple[object, ...], str] = {}
    for code, series in priced.groupby("region_code", sort=False):
        ordered = series.sort_values("period")
        line = tuple(zip(ordered["period"], ordered["monthly_cost"].round(2), strict=True))
        if kept.get(line) != headline_code:
            kept[line] = str(code)
    return priced[priced["region_code"].isin(set(kept.values()))]


def _chart_alt(costs: pd.DataFrame, headline_code: str) -> str:
    names = ", ".join(dict.fromkeys(_charted(costs, headline_code)["region_name"]))
    return f"Coût mensuel du panier pour la famille de référence, par mois : {names}."


def _draw_chart(costs: pd.DataFrame, headline_code: str, path: Path) -> None:
    # Figure without pyplot: no global state, and PNG output goes through the Agg canvas.
    figure = Figure(figsize=(8, 3.2), layout="constrained")
    axes = figure.add_subplot()
    charted = _charted(costs, headline_code)
    periods = sorted(charted["period"].unique())
    position = {period: i for i, period in enumerate(periods)}
    for code, series in charted.groupby("region_code", sort=False):
        series = series.sort_values("period")
        headline = code == headline_code
        axes.plot(
            [position[p] for p in series["period"]],
            series["monthly_cost"],
            label=series["region_name"].iloc[0],
            linewidth=2.6 if headline else 1.4,
            marker="o",
            markersize=3.5 if headline else 2.5,
            zorder=3 if headline else 2,
        )
    # About a dozen labelled months at most, whatever the length of the series.
    ticks = range(0, len(periods), -(-len(periods) // MAX_MONTH_LABELS))
    axes.set_xticks(list(ticks), _tick_labels(periods, ticks))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_money_whole(value)))
    axes.set_xlabel("Mois")
    axes.set_ylabel(
        f"Coût mensuel, famille de {persons_text(_persons(str(costs['family'].iloc[-1])))}"
    )
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize="small")
    figure.savefig(path, dpi=CHART_DPI, metadata={"Software": None})


def _tick_labels(periods: list[str], ticks: range) -> list[str]:
    # The year only on the first label and where it changes, so a long series stays readable.
    labels = []
    previous_year = ""
    for index in ticks:
        year = periods[index][:4]
        label = format_month_short(periods[index])
        labels.append(f"{label}\n{year}" if year != previous_year else label)
        previous_year = year
    return labels


def _template() -> Template:
    environment = Environment(
        loader=PackageLoader("publications", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("bulletin.html.j2")
