"""HTML from the templates in one language, and PDF from HTML: paged, dated by the release only.

WeasyPrint lays the page out; `write_pdf` tries a few densities (chart height, spacing) and
keeps the first where no page is left mostly empty, within the edition's page range.
"""

from __future__ import annotations

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
# with fontTools, which works. Silence only that notice (see publications/bulletin.py).
with warnings.catch_warnings():
    warnings.filterwarnings(
        "ignore", message="HarfBuzz-Subset will be required", category=DeprecationWarning
    )
    from weasyprint import HTML, Document
    from weasyprint.urls import URLFetcher, URLFetcherResponse

# WeasyPrint names each image in the PDF by a hash of its URL: a fixed base URL, read from
# the real folder by `_fetcher`, keeps the bytes the same wherever the edition is written.
FIXED_BASE_URL = "file:///ppne-edition/"

# The layouts tried in turn, usual first; each names a body class in editions.css.
DENSITIES = ("normal", "compact", "roomy", "tight")
# A page filled to less than this share of its height reads as half-empty.
MIN_PAGE_FILL = 0.4
DEBUG = False


@dataclass(frozen=True)
class PdfLayout:
    """How a PDF came out: its pages and how full its emptiest page is."""

    pages: int
    least_fill: float
    density: str


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


def render_html(template: str, lang: Language, density: str = "normal", **context: Any) -> str:
    """Render an edition's template in one language."""
    return environment(lang).get_template(template).render(density=density, **context)


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


def write_pdf(
    render: Any,
    base_dir: Path,
    path: Path,
    pages: tuple[int, int],
    release_date: date,
) -> PdfLayout:
    """Write the PDF of the first density whose layout fits `pages` with a full last page.

    Args:
        render: density -> HTML string.
        pages: the fewest and most pages the edition may have.
        release_date: stamped as the PDF's creation and modification dates, so the bytes
            depend on the release, never on the clock.
    """

    fetcher = _FolderFetcher(base_dir)
    best: tuple[float, Document, str] | None = None
    for density in DENSITIES:
        document = HTML(
            string=render(density), base_url=FIXED_BASE_URL, url_fetcher=fetcher
        ).render()
        count = len(document.pages)
        fill = min(page_fills(document))
        fits = pages[0] <= count <= pages[1]
        if DEBUG:
            print(density, count, [round(f, 2) for f in page_fills(document)])
        score = fill + (1.0 if fits else 0.0)
        if best is None or score > best[0]:
            best = (score, document, density)
        if fits and fill >= MIN_PAGE_FILL:
            break
    assert best is not None
    _, document, density = best
    stamp = release_date.isoformat()
    document.metadata.created = stamp
    document.metadata.modified = stamp
    document.write_pdf(path)
    return PdfLayout(len(document.pages), min(page_fills(document)), density)
