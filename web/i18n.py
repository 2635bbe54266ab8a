"""Languages: gettext catalogues compiled in memory at load, and numbers and money per locale.

The .po files are the only source: they are compiled when first needed (no .mo to build or
commit), so a fresh clone serves both languages as it is.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from io import BytesIO

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent

from core.errors import PpneError

DEFAULT = "fr"
LANGUAGES = ("fr", "en")
# The Canadian variants: "3,49 $" and "$3.49", "fr-CA" in <html lang>.
LOCALES = {"fr": "fr_CA", "en": "en_CA"}
LOCALE_DIR = resources.files("web") / "locale"


def N_(message: str) -> str:
    """Mark a string for extraction, translated later where it is shown."""
    return message


def explain(error: Exception, gettext: Callable[[str], str]) -> str:
    """A use case's message in the visitor's language: its template translated, then its values
    put in (core/errors.py). Anything else (a model's validation error) gets a general message,
    since its own text is English and written for programmers."""
    if not isinstance(error, PpneError) or error.template is None:
        return gettext(GENERAL_REFUSAL)
    translated = gettext(error.template)
    return translated % error.params if error.params else translated


GENERAL_REFUSAL = N_("This value is too long or not valid.")


def supported(language: str | None) -> str | None:
    """Return the language if the app has it ("fr", "en"), else None."""
    language = (language or "").strip().lower()[:2]
    return language if language in LANGUAGES else None


def po_path(language: str) -> str:
    """Where a language's catalogue is, as a string (for tests and tools)."""
    return str(LOCALE_DIR / language / "LC_MESSAGES" / "messages.po")


@cache
def translations(language: str) -> gettext.GNUTranslations:
    """Return a language's translations, compiled from its .po file in memory."""
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale=LOCALES[language])
    compiled = BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def html_lang(language: str) -> str:
    """The value of <html lang>: fr-CA or en-CA."""
    return LOCALES[language].replace("_", "-")


def money(value: Decimal | float, language: str) -> str:
    """Dollars as the locale writes them: "3,49 $" (fr) or "$3.49" (en)."""
    return format_currency(Decimal(str(value)), "CAD", locale=LOCALES[language])


def number(value: Decimal | float | int, language: str) -> str:
    """A number with the locale's separators."""
    return format_decimal(value, locale=LOCALES[language])


def percent(value: float, language: str) -> str:
    """A share (0.25) as the locale writes a percentage ("25 %", "25%")."""
    return format_percent(value, locale=LOCALES[language])


def change(points: float, language: str) -> str:
    """A change in % with its sign, one decimal: "+3,2 %" (fr), "-0.5%" (en)."""
    figure = format_decimal(points, format="+#,##0.0;-#,##0.0", locale=LOCALES[language])
    return figure + ("\xa0%" if language == "fr" else "%")


def month(period: str, language: str) -> str:
    """A YYYY-MM month in words: "octobre 2026", "October 2026"."""
    year, number_ = (int(part) for part in period.split("-"))
    return format_date(date(year, number_, 1), "MMMM y", locale=LOCALES[language])


def language_name(language: str) -> str:
    """A language's name in itself: "Français", "English" (for the switch link)."""
    return (Locale.parse(LOCALES[language]).language_name or language).capitalize()
