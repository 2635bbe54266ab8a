"""Every string the web app shows has its French and English translation."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from web import i18n
from web.messages import extracted, missing


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_msgid_is_translated(language: str) -> None:
    with open(i18n.po_path(language), "rb") as handle:
        catalogue = read_po(handle)
    assert missing(catalogue, extracted()) == []


def test_a_missing_translation_is_caught() -> None:
    source = extracted()
    with open(i18n.po_path("fr"), "rb") as handle:
        catalogue = read_po(handle)
    first = next(message for message in source if message.id)
    catalogue.delete(first.id)
    assert missing(catalogue, source) == [first.id]


def test_money_and_months_per_locale() -> None:
    assert i18n.money(3.49, "fr") == "3,49\xa0$"
    assert i18n.money(3.49, "en") == "$3.49"
    assert i18n.month("2026-10", "fr") == "octobre 2026"
    assert i18n.translations("fr").gettext("Sign in") == "Se connecter"
