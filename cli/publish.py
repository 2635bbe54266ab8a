"""`ppne publish EDITION`: the bulletin, press kit, policy brief and quarterly PPNE release.

Every edition takes the same options; `--lang` unset writes French and English. The group
stays open to other publish commands (a data dump) registered on `publish_app`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cli.database import open_session

publish_app = typer.Typer(help="Publications for journalists and policy writers.",
                          no_args_is_help=True)  # fmt: skip
console = Console(stderr=True)

EDITION_HELP = {
    "bulletin": "The monthly bulletin (PDF and HTML per language, charts, data CSV).",
    "press": "A press kit folder: one-page release, charts PNG and SVG, CSV and XLSX, "
    "key_figures.json, method note.",
    "brief": "A policy brief: affordability scenarios and the basket against the food CPI.",
    "ppne": "The quarterly release in the PPNE's form (--period YYYY-Qn).",
}


def publish(
    edition: str,
    out: Path | None,
    region: str,
    period: str | None,
    lang: str | None,
    contact: str | None,
    incomes: Path | None,
) -> None:
    """Write one edition and list its files with the time it took."""
    from core.settings import get_settings
    from services.publishing import publish_edition

    settings = get_settings()
    started = time.perf_counter()
    with open_session() as session:
        files = publish_edition(
            session, settings, edition, (out or settings.out_dir), region, period, lang,
            contact, incomes,
        )  # fmt: skip
    elapsed = time.perf_counter() - started
    console.print(f"{edition}: {len(files.files)} files in {files.out_dir} ({elapsed:.1f} s)")
    for path in files.files:
        console.print(f"  {path}")


def _edition_command(edition: str) -> Callable[..., None]:
    def command(
        out: Annotated[Path | None, typer.Option(help="Folder to write to (default ./out)")] = None,
        region: Annotated[str, typer.Option(help="Region of the headline figures")] = "montreal",
        period: Annotated[
            str | None, typer.Option(help="YYYY-MM (ppne: YYYY-Qn); latest by default")
        ] = None,
        lang: Annotated[str | None, typer.Option(help="fr or en (default: both)")] = None,
        contact: Annotated[
            str | None,
            typer.Option(
                help="Contact printed in the edition (default: the PPNE_PUBLICATION_CONTACT "
                "setting; with neither, the edition prints 'to be completed / à compléter')"
            ),
        ] = None,
        incomes: Annotated[
            Path | None, typer.Option(help="Affordability scenarios CSV (default: the example)")
        ] = None,
    ) -> None:
        publish(edition, out, region, period, lang, contact, incomes)

    command.__doc__ = EDITION_HELP[edition]
    return command


for _edition in EDITION_HELP:
    publish_app.command(_edition)(_edition_command(_edition))


def publish_bulletin() -> None:
    """Write the latest bulletin of Montreal in both languages (the demo's last step)."""
    publish("bulletin", None, "montreal", None, None, None, None)
