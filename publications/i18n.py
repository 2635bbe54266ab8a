"""The publications' two languages: their own gettext catalogues, and numbers per locale.

The .po files under publications/locale are the only source of every sentence; they are
compiled in memory when first needed (as web/i18n.py does), so nothing is built or committed.
"""

from __future__ import annotations

import gettext
import math
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from io import BytesIO

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent

from core.errors import InvalidInput

LANGUAGES = ("fr", "en")
# The Canadian variants: "1 234,56 $" and "$1,234.56".
LOCALES = {"fr": "fr_CA", "en": "en_CA"}
CURRENCY = "CAD"
LOCALE_DIR = resources.files("publications") / "locale"


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


def languages(wanted: str | None) -> tuple[str, ...]:
    """Return the languages to publish: both when None, else the one asked for.

    Raises:
        InvalidInput: the language is neither fr nor en.
    """
    if wanted is None:
        return LANGUAGES
    if wanted not in LANGUAGES:
        raise InvalidInput(f"unknown language {wanted!r}: fr or en")
    return (wanted,)


@cache
def translations(language: str) -> gettext.GNUTranslations:
    """Return a language's publication catalogue, compiled from its .po file in memory."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=LOCALES[language])
    compiled = BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


@dataclass(frozen=True)
class Language:
    """One language of a publication: its sentences and its way of writing figures."""

    code: str
    # What a figure that cannot be computed reads as ("n.d." / "n/a").
    not_available: str = ""

    @property
    def locale(self) -> str:
        return LOCALES[self.code]

    @property
    def _percent_sign(self) -> str:
        # French sets "%" apart with a no-break space ("1,2 %"); English does not ("1.2%").
        return "\u00a0%" if self.code == "fr" else "%"

    @property
    def html_lang(self) -> str:
        return self.locale.replace("_", "-")

    def gettext(self, message: str) -> str:
        """Translate one sentence."""
        return translations(self.code).gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """Translate a sentence that depends on a count."""
        return translations(self.code).ngettext(singular, plural, count)

    def na(self) -> str:
        return self.gettext("n/a")

    def money(self, amount: float | None) -> str:
        """Dollars with cents: "1 234,56 $" or "$1,234.56"."""
        if _missing(amount):
            return self.na()
        return format_currency(amount, CURRENCY, locale=self.locale)

    def money_whole(self, amount: float | None) -> str:
        """Dollars without cents, for chart axes: "1 235 $" or "$1,235"."""
        if _missing(amount):
            return self.na()
        pattern = "#,##0\u00a0¤" if self.code == "fr" else "¤#,##0"
        return format_currency(
            amount, CURRENCY, format=pattern, currency_digits=False, locale=self.locale
        )

    def number(self, value: float | None, digits: int = 0) -> str:
        """A number with the locale's separators and `digits` decimals."""
        if _missing(value):
            return self.na()
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, pattern, locale=self.locale)

    def change(self, ratio: float | None) -> str:
        """A relative change (0.012 for 1.2 %) with its sign: "+1,2 %", "-0.8%"."""
        if _missing(ratio):
            return self.na()
        assert ratio is not None
        # A change that rounds to zero gets no sign: "+0.0%" would suggest a direction.
        if round(ratio * 100, 1) == 0:
            return format_percent(0, f"#,##0.0{self._percent_sign}", locale=self.locale)
        sign = self._percent_sign
        return format_percent(ratio, f"+#,##0.0{sign};-#,##0.0{sign}", locale=self.locale)

    def points(self, value: float | None) -> str:
        """Percentage points with a sign: "+0,4 pt" or "+0.4 pt"."""
        if _missing(value):
            return self.na()
        figure = format_decimal(value, "+#,##0.0;-#,##0.0", locale=self.locale)
        unit = self.gettext("pt")
        return f"{figure}\u00a0{unit}"

    def share(self, ratio: float | None) -> str:
        """A share without sign (0.125 for 12.5 %): "12,5 %" or "12.5%"."""
        if _missing(ratio):
            return self.na()
        return format_percent(ratio, f"#,##0.0{self._percent_sign}", locale=self.locale)

    def month(self, period: str) -> str:
        """A YYYY-MM month in words: "novembre 2026", "November 2026"."""
        year, month = (int(part) for part in period.split("-"))
        return format_date(date(year, month, 1), "LLLL y", locale=self.locale)

    def month_short(self, period: str) -> str:
        """A YYYY-MM month abbreviated: "nov.", "Nov"."""
        year, month = (int(part) for part in period.split("-"))
        return format_date(date(year, month, 1), "LLL", locale=self.locale)

    def quarter(self, period: str) -> str:
        """A YYYY-Qn quarter in words: "1er trimestre 2026", "Q1 2026"."""
        year, number = period.split("-Q")
        names = {
            "1": self.gettext("first quarter"),
            "2": self.gettext("second quarter"),
            "3": self.gettext("third quarter"),
            "4": self.gettext("fourth quarter"),
        }
        return f"{names[number]} {year}"

    def day(self, day: date) -> str:
        """A date in full: "10 décembre 2026", "December 10, 2026"."""
        return format_date(day, "long", locale=self.locale)

    def label(self, french: str, english: str) -> str:
        """Pick the stored name of this language (items, groups)."""
        return french if self.code == "fr" else english


def language(code: str) -> Language:
    """Return the Language of a code (fr or en)."""
    languages(code)
    return Language(code)
