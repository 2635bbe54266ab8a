"""HTML from the templates in one language, and PDF from HTML: paged, dated by the release only.

WeasyPrint lays the page out; `write_pdf` tries up to three layouts (chart height, spacing)
and keeps the first where no page is left mostly empty, within the edition's page range.
"""

from __future__ import annotations

import logging
import mimetypes
import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from jinja2 import Environment, PackageLoader, StrictUndefined

from publications.i18n import Language, translations

# WeasyPrint warns at import when the system lacks libharfbuzz-subset: it then subsets fonts
# with fontTools, which works. Silence only that notice.
with warnings.catch_warnings():
    warnings.filterwarnings(
        "ignore", message="HarfBuzz-Subset will be required", category=DeprecationWarning
    )
    from weasyprint import HTML, Document
    from weasyprint.urls import URLFetcher, URLFetcherResponse

# WeasyPrint names each image in the PDF by a hash of its URL: a fixed base URL, read from
# the real folder by `_fetcher`, keeps the bytes the same wherever the edition is written.
FIXED_BASE_URL = "file:///ppne-edition/"

# Chart heights the layout starts from and stays within, and the page's content height (A4
# less the margins of base.html.j2), all in mm.
BASE_CHART_MM, MIN_CHART_MM, MAX_CHART_MM = 64.0, 32.0, 100.0
CONTENT_MM = 297 - 17 - 15
# A page filled to less than this share of its height reads as half-empty.
MIN_PAGE_FILL = 0.4
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PdfLayout:
    """How a PDF came out: its pages and how full its emptiest page is."""

    pages: int
    least_fill: float
    density: str
    chart_mm: float


def environment(lang: Language) -> Environment:
    """Return a template environment speaking `lang` (gettext from its catalogue)."""
    env = Environment(
        loader=PackageLoader("publications", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(lang.code), newstyle=True)  # type: ignore[attr-defined]
    env.globals["lang"] = lang
    return env


def render_html(
    template: str,
    lang: Language,
    density: str = "normal",
    chart_mm: float = BASE_CHART_MM,
    **context: Any,
) -> str:
    """Render an edition's template in one language, its charts `chart_mm` high."""
    return (
        environment(lang)
        .get_template(template)
        .render(density=density, chart_mm=chart_mm, **context)
    )


def page_fills(document: Document) -> list[float]:
    """Return how far down each page (0 to 1 of its content area) its text and images go."""
    fills = []
    for page in document.pages:
        box = page._page_box
        top = box.content_box_y()
        bottom = top
        # The margin boxes (page numbers, demo banner) are on every page: not content.
        flows = [child for child in box.children if type(child).__name__ != "MarginBox"]
        for flow in flows:
            for child in flow.descendants():
                if type(child).__name__ in ("TextBox", "InlineReplacedBox", "BlockReplacedBox"):
                    bottom = max(bottom, child.position_y + child.margin_height())
        fills.append((bottom - top) / (box.height or 1))
    return fills


class _FolderFetcher(URLFetcher):  # type: ignore[misc]
    """Read FIXED_BASE_URL's files from the edition's folder; other URLs as WeasyPrint does."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not url.startswith(FIXED_BASE_URL):
            return super().fetch(url, headers)
        path = self.folder / unquote(url[len(FIXED_BASE_URL) :])
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": kind})


def _next_layouts(fills: list[float], count: int, pages: tuple[int, int], charts: int):  # type: ignore[no-untyped-def]
    """Yield layouts likely to mend the first one: taller charts to fill a short last page,
    shorter ones to drop it; spacing alone when the edition has no chart."""
    if not charts:
        yield "roomy", BASE_CHART_MM
        yield "compact", BASE_CHART_MM
        return
    missing = (MIN_PAGE_FILL + 0.1 - fills[-1]) * CONTENT_MM / charts
    yield "roomy", min(MAX_CHART_MM, BASE_CHART_MM + missing)
    if count > pages[0]:
        spare = (fills[-1] + 0.05) * CONTENT_MM / charts
        yield "tight", max(MIN_CHART_MM, BASE_CHART_MM - spare)


def write_pdf(
    render: Any,
    base_dir: Path,
    path: Path,
    pages: tuple[int, int],
    release_date: date,
    charts: int = 0,
) -> PdfLayout:
    """Write the PDF of the first layout that fits `pages` with no page left mostly empty.

    Args:
        render: (density, chart height in mm) -> HTML string.
        pages: the fewest and most pages the edition may have.
        release_date: stamped as the PDF's creation and modification dates, so the bytes
            depend on the release, never on the clock.
        charts: how many charts the edition holds (their height is what the layout tunes).
    """
    fetcher = _FolderFetcher(base_dir)
    best: tuple[float, Document, str, float] | None = None

    def attempt(density: str, chart_mm: float) -> tuple[bool, list[float], int]:
        nonlocal best
        html = render(density, round(chart_mm, 1))
        document = HTML(string=html, base_url=FIXED_BASE_URL, url_fetcher=fetcher).render()
        fills = page_fills(document)
        fits = pages[0] <= len(document.pages) <= pages[1]
        logger.debug("%s %.0f mm: %d pages, filled %s", density, chart_mm, len(document.pages),
                     [round(f, 2) for f in fills])  # fmt: skip
        score = min(fills) + (1.0 if fits else 0.0)
        if best is None or score > best[0]:
            best = (score, document, density, round(chart_mm, 1))
        return fits and min(fills) >= MIN_PAGE_FILL, fills, len(document.pages)

    done, fills, count = attempt("normal", BASE_CHART_MM)
    if not done:
        for density, chart_mm in list(_next_layouts(fills, count, pages, charts)):
            if attempt(density, chart_mm)[0]:
                break
    assert best is not None
    _, document, density, chart_mm = best
    stamp = release_date.isoformat()
    document.metadata.created = stamp
    document.metadata.modified = stamp
    document.write_pdf(path)
    return PdfLayout(len(document.pages), min(page_fills(document)), density, chart_mm)
