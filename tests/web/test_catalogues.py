"""Every string the web app shows has its French and English translation."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from core.errors import N_, InvalidInput
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


def test_the_use_cases_messages_are_extracted() -> None:
    """The refusals written in services/ (marked N_) are among the strings to translate."""
    source = extracted()
    assert "wrong email or password" in source
    assert any(str(message.id).startswith("consent missing: she has") for message in source)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_msgid_of_the_catalogue_has_a_translation(language: str) -> None:
    """Not only the extracted ones: no entry of the catalogue is left empty or fuzzy."""
    with open(i18n.po_path(language), "rb") as handle:
        catalogue = read_po(handle)
    empty = [m.id for m in catalogue if m.id and (not m.string or m.fuzzy)]
    assert empty == []


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_translations_keep_the_placeholders(language: str) -> None:
    """A value put in after translation needs its %(name)s in the translated text too."""
    with open(i18n.po_path(language), "rb") as handle:
        catalogue = read_po(handle)
    placeholder = re.compile(r"%\((\w+)\)[sdr]")
    changed = [
        m.id
        for m in catalogue
        if isinstance(m.id, str)
        and isinstance(m.string, str)
        and m.id
        and set(placeholder.findall(m.id)) != set(placeholder.findall(m.string))
    ]
    assert changed == []


def test_a_use_case_message_is_translated_then_filled_in() -> None:
    """explain(): the template in French, then the values; the English text for the API."""
    refused = InvalidInput(N_("this session is full: its capacity is %(capacity)s"), capacity=12)
    assert str(refused) == "this session is full: its capacity is 12"
    french = i18n.translations("fr").gettext
    assert i18n.explain(refused, french) == "cette séance est complète : sa capacité est de 12"
    assert i18n.explain(ValueError("x"), french) == french(i18n.GENERAL_REFUSAL)
