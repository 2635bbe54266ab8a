"""Publish the editions (bulletin, press kit, policy brief, quarterly PPNE) from the database.

Each use case checks the region and period before writing anything, gathers the facts once
and hands them to the edition's writer in publications/editions.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from core.errors import InvalidInput
from core.settings import Settings
from publications.editions.files import EditionFiles
from publications.i18n import languages
from services.protocol import costing_protocol
from services.publication_facts import edition_facts
from services.publication_scenarios import cost_scenarios, read_income_scenarios

EDITIONS = ("bulletin", "press", "brief", "ppne")

__all__ = ["EDITIONS", "EditionFiles", "publish_bulletin", "publish_edition"]


def publish_edition(
    session: Session,
    settings: Settings,
    edition: str,
    out_dir: Path,
    region: str = "montreal",
    period: str | None = None,
    lang: str | None = None,
    contact: str | None = None,
    incomes: Path | None = None,
) -> EditionFiles:
    """Write one edition for a region and period (the latest by default) in `out_dir`.

    Args:
        lang: fr or en; both when None.
        contact: printed in the edition; PPNE_PUBLICATION_CONTACT when None, and when that
            is unset too, a visible "to be completed" mark.
        incomes: the affordability scenarios CSV; the shipped example when None.

    Raises:
        InvalidInput: unknown edition, language or malformed period.
        RegionNotFound: unknown region. NoData: no cost for the region in the period.
    """
    if edition not in EDITIONS:
        raise InvalidInput(f"unknown edition {edition!r}: one of {', '.join(EDITIONS)}")
    langs = languages(lang)
    family = settings.reference_family
    contact = contact or settings.publication_contact
    if edition == "ppne":
        from publications.editions.ppne import write_ppne_edition
        from services.publication_quarter import quarter_facts

        facts_q = quarter_facts(session, settings, region, period, contact)
        return write_ppne_edition(facts_q, out_dir, langs)
    facts = edition_facts(session, region, period, family, contact)
    protocol = costing_protocol(settings)
    scenarios = cost_scenarios(
        session, protocol, read_income_scenarios(incomes), region, facts.period
    )
    facts = facts.with_scenarios(scenarios)
    if edition == "bulletin":
        from publications.editions.bulletin import write_bulletin_edition

        return write_bulletin_edition(facts, out_dir, langs)
    if edition == "press":
        from publications.editions.press import write_press_kit

        return write_press_kit(facts, out_dir, langs)
    from publications.editions.brief import write_brief

    return write_brief(facts, out_dir, langs)


def publish_bulletin(
    session: Session, out_dir: Path, region: str = "montreal", settings: Settings | None = None
) -> EditionFiles:
    """Write the latest monthly bulletin in both languages (what `ppne demo` publishes)."""
    from core.settings import get_settings

    return publish_edition(session, settings or get_settings(), "bulletin", out_dir, region)
