"""Public pages, no sign-in: the latest basket cost by territory, and the publications."""

from __future__ import annotations

from pathlib import Path

from babel.numbers import format_decimal
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from core.errors import NoData, NotFound
from services.conversions import weeks_per_month
from services.costing import LatestFamilyCosts, latest_family_costs
from services.records.activities import count_publication_download
from services.trend_models import TrendPoint
from services.trends import build_trend
from web.chart import BarChart, bar_chart
from web.i18n import LOCALES, money, month
from web.render import render
from web.session import DatabaseDep, SettingsDep, VisitorDep

router = APIRouter(prefix="/app", include_in_schema=False)

# What a publication may be: the bulletin's HTML, PDF and chart, and the data files.
PUBLISHED = {".pdf", ".html", ".png", ".svg", ".csv", ".xlsx", ".json", ".parquet"}
# Shown in the browser; the others are downloaded.
INLINE = {".pdf", ".png", ".svg"}
# The months of a territory's series the costs page shows.
TREND_MONTHS = 12
DEFAULT_REGION = "montreal"


class PublicationMissing(Exception):
    """A publication asked for by a name that is not in the listing (answered 404)."""


def publications(out_dir: Path) -> list[Path]:
    """The files published in the out directory (its top level only), newest first."""
    if not out_dir.is_dir():
        return []
    files = [
        path
        for path in out_dir.iterdir()
        if path.is_file() and path.suffix.lower() in PUBLISHED and not path.name.startswith(".")
    ]
    return sorted(files, key=lambda path: (-path.stat().st_mtime, path.name))


def _region_shown(latest: LatestFamilyCosts, asked: str | None) -> str:
    codes = sorted(region.region_code for region in latest.regions)
    for code in (asked, DEFAULT_REGION):
        if code in codes:
            return code
    return codes[0]


def _trend(
    session: DatabaseDep, region: str, family: list[str], language: str
) -> tuple[list[TrendPoint], BarChart | None]:
    """The last months of a territory's monthly cost, oldest first, and their bars by month."""
    try:
        series = build_trend(session, region, family).series[-TREND_MONTHS:]
    except (NoData, NotFound):
        return [], None
    chart = bar_chart(
        [
            (month(point.period, language), float(point.monthly_cost),
             money(point.monthly_cost, language))
            for point in series
        ],
        keep_order=True,
    )  # fmt: skip
    return series, chart


@router.get("/costs", response_class=HTMLResponse)
def costs_page(
    request: Request,
    visitor: VisitorDep,
    session: DatabaseDep,
    settings: SettingsDep,
    region: str | None = None,
) -> HTMLResponse:
    """The reference family's basket cost in every territory for the latest month, charted,
    and a territory's cost month by month."""
    try:
        latest = latest_family_costs(session)
    except NoData:
        return render(request, visitor, "costs.html", latest=None, chart=None)
    language = visitor.language
    chart = bar_chart(
        [
            (region.region_name, region.monthly_cost, money(region.monthly_cost, language))
            for region in latest.regions
        ]
    )
    regions = sorted(latest.regions, key=lambda region: region.region_name)
    shown = _region_shown(latest, region)
    series, trend_chart = _trend(session, shown, settings.reference_family, language)
    return render(
        request,
        visitor,
        "costs.html",
        latest=latest,
        regions=regions,
        chart=chart,
        shown=shown,
        shown_name=next(r.region_name for r in regions if r.region_code == shown),
        series=series,
        trend_chart=trend_chart,
        # The figures' own conversion (the preset in force), printed as the locale writes it.
        weeks=format_decimal(
            round(weeks_per_month(settings.costing_preset), 3), locale=LOCALES[language]
        ),
    )


@router.get("/publications", response_class=HTMLResponse)
def publications_page(request: Request, visitor: VisitorDep, settings: SettingsDep) -> HTMLResponse:
    """The publications to download: the bulletins and data files `ppne publish` wrote."""
    files = [
        {"name": path.name, "kind": path.suffix[1:].upper(), "size": path.stat().st_size}
        for path in publications(settings.out_dir)
    ]
    return render(request, visitor, "publications.html", files=files)


@router.get("/publications/{name}")
def publication(name: str, settings: SettingsDep, database: DatabaseDep) -> FileResponse:
    """One publication, by a name from the listing (nothing else under the out directory).

    Each download is counted (never who downloaded it): funders count the readers of the
    organisations' publications, and the outputs report shows them.
    """
    found = {path.name: path for path in publications(settings.out_dir)}.get(name)
    if found is None:
        raise PublicationMissing(name)
    count_publication_download(database, found.name)
    inline = found.suffix.lower() in INLINE
    return FileResponse(
        found, filename=found.name, content_disposition_type="inline" if inline else "attachment"
    )
