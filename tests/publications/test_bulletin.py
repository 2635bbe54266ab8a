"""The French bulletin: formatting helpers, and HTML, PDF and chart written from a small frame."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from core.errors import NoData
from publications.bulletin import COLUMNS, write_bulletin
from publications.formatting import (
    format_money,
    format_month,
    format_percent_change,
    shift_period,
)

REGIONS = (
    ("montreal", "Montréal", "city", 8, 250.0),
    ("lachine", "Lachine", "borough", 4, 242.0),
    ("mercier-est", "Mercier-Est", "neighbourhood", 3, 255.0),
)
# 13 months, so the latest one has both a previous month and a year-earlier month.
PERIODS = [shift_period("2025-11", months) for months in range(13)]


def make_costs() -> pd.DataFrame:
    """Build 3 regions x 13 months of costs that rise, with a small wobble."""
    rows = []
    for code, name, level, stores, base in REGIONS:
        for index, period in enumerate(PERIODS):
            weekly = round(base * (1 + 0.004 * index) + index % 3, 2)
            rows.append(
                {
                    "region_code": code,
                    "region_name": name,
                    "region_level": level,
                    "period": period,
                    "weekly_cost": weekly,
                    "monthly_cost": round(weekly * 4.33, 2),
                    "stores_priced": stores,
                    "items_priced": 64,
                    "items_total": 68,
                }
            )
    return pd.DataFrame(rows)


def plain_spaces(text: str) -> str:
    """Turn Babel's no-break spaces into plain ones, to compare without caring which it used."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_money_is_formatted_the_quebec_way() -> None:
    assert plain_spaces(format_money(3.49)) == "3,49 $"
    assert plain_spaces(format_money(1286.5)) == "1 286,50 $"
    # The separator must not be a breakable space, or "1" and "286,50 $" could land on two lines.
    assert format_money(1286.5)[1] in ("\u00a0", "\u202f")
    assert format_money(float("nan")) == "n.d."


def test_percent_change_carries_its_sign() -> None:
    assert plain_spaces(format_percent_change(0.012)) == "+1,2 %"
    assert plain_spaces(format_percent_change(-0.0081)) == "-0,8 %"
    assert plain_spaces(format_percent_change(0.0004)) == "0,0 %"


def test_months_are_named_in_french() -> None:
    assert format_month("2026-11") == "novembre 2026"
    assert format_month("2026-08") == "août 2026"
    assert shift_period("2026-01", -1) == "2025-12"
    assert shift_period("2026-11", -12) == "2025-11"


def test_bulletin_writes_html_pdf_and_chart(tmp_path: Path) -> None:
    costs = make_costs()
    files = write_bulletin(costs, tmp_path, generated_at=datetime(2026, 12, 3, 9, 30))

    assert files.html == tmp_path / "bulletin-2026-11.html"
    assert files.pdf == tmp_path / "bulletin-2026-11.pdf"
    assert files.chart == tmp_path / "cout-par-mois-2026-11.png"
    assert files.chart.read_bytes().startswith(b"\x89PNG")
    pdf = files.pdf.read_bytes()
    assert pdf.startswith(b"%PDF")
    # The PDF's objects are compressed, so count pages by laying the HTML out again, as the PDF was.
    # Imported here, after publications.bulletin, which silences WeasyPrint's import-time notice.
    from weasyprint import HTML

    pages = HTML(filename=files.html).render().pages
    assert len(pages) == 1  # the bulletin is meant to fit one A4 page
    assert (tmp_path / "bulletin.pdf").read_bytes() == pdf

    html = files.html.read_text(encoding="utf-8")
    assert (tmp_path / "bulletin.html").read_text(encoding="utf-8") == html
    assert "Coût du panier à provisions nutritif — novembre 2026" in html
    assert "Produit le 3 décembre 2026" in html

    montreal = costs[costs["region_code"] == "montreal"].set_index("period")["weekly_cost"]
    assert format_money(montreal["2026-11"]) in html
    assert format_money(montreal["2026-11"] / 28) in html
    year_change = montreal["2026-11"] / montreal["2025-11"] - 1
    assert format_percent_change(year_change) in html
    assert f'src="{files.chart.name}"' in html

    table = html.split("<tbody>")[1].split("</tbody>")[0]
    assert table.count("<tr>") == len(REGIONS)
    assert table.index("Montréal") < table.index("Lachine") < table.index("Mercier-Est")


def test_headline_falls_back_to_the_region_with_most_stores(tmp_path: Path) -> None:
    costs = make_costs()
    costs = costs[costs["region_code"] != "montreal"]
    files = write_bulletin(costs, tmp_path, generated_at=datetime(2026, 12, 3))
    html = files.html.read_text(encoding="utf-8")
    assert "quatre personnes, Lachine" in html


def test_empty_frame_raises_no_data(tmp_path: Path) -> None:
    with pytest.raises(NoData, match="Aucun coût"):
        write_bulletin(pd.DataFrame(columns=list(COLUMNS)), tmp_path)
    assert not list(tmp_path.iterdir())


def test_chart_draws_a_region_once_when_its_parent_has_the_same_stores(tmp_path: Path) -> None:
    costs = make_costs()
    # The province priced only through Montreal: the same line as Montreal's.
    province = costs[costs["region_code"] == "montreal"].assign(
        region_code="quebec", region_name="Québec", region_level="province"
    )
    files = write_bulletin(pd.concat([costs, province]), tmp_path, headline_region="montreal")
    alt = files.html.read_text(encoding="utf-8").split('alt="', 1)[1].split('"', 1)[0]
    assert "Montréal" in alt
    assert "Québec" not in alt


def test_table_flags_few_stores_and_imputed_prices(tmp_path: Path) -> None:
    costs = make_costs().assign(imputed_share=0.0, status="ok")
    lachine = costs["region_code"] == "lachine"
    costs.loc[lachine, "status"] = "warning"
    costs.loc[lachine, "imputed_share"] = 0.125
    html = write_bulletin(costs, tmp_path).html.read_text(encoding="utf-8")
    rows = [row for row in html.split("<tr") if "<td" in row]
    lachine_row = next(row for row in rows if "Lachine" in row)
    assert "peu de magasins" in lachine_row
    assert "12,5" in lachine_row and "imputé" in lachine_row
    montreal_row = next(row for row in rows if "Montréal" in row)
    assert "peu de magasins" not in montreal_row


def test_food_cpi_changes_stand_beside_the_basket_when_imported(tmp_path: Path) -> None:
    costs = make_costs()
    values = [180.0 + n for n in range(13)]
    values[-2] = float("nan")  # October 2026 not published: no month-over-month CPI change
    cpi = pd.DataFrame({"period": PERIODS, "cpi": values, "geo": "Montréal, Quebec"})
    files = write_bulletin(costs, tmp_path, generated_at=datetime(2026, 12, 3), cpi=cpi)
    html = files.html.read_text(encoding="utf-8")
    year = format_percent_change(192.0 / 180.0 - 1)
    changes = html.split('<ul class="changes">')[1].split("</ul>")[0]
    month_line, year_line = (line for line in changes.split("<li>")[1:])
    assert "IPC" not in month_line
    assert f"indice des prix des aliments (IPC) : {year}" in year_line
    assert "Montréal, Quebec, Statistique Canada, tableau 18-10-0004-01" in html
    from weasyprint import HTML

    assert len(HTML(filename=files.html).render().pages) == 1

    without = write_bulletin(costs, tmp_path / "no-cpi", cpi=cpi.iloc[0:0])
    assert "IPC" not in without.html.read_text(encoding="utf-8")
